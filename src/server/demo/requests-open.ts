// The demo's open requests, one or more at each open stage: new (today) and waiting on the requester,
// waiting on a therapist (one overdue), on a supervisor (one escalated to the director), on the
// invoice, on preparation, and a letter waiting on the supervisor's review.
import {
  approve,
  type DemoRequest,
  discuss,
  escalate,
  intake,
  invoice,
  pay,
  prepare,
  review,
  step,
  waitFor,
} from './actions.js';
import { addDocument, assembleNow, demoDocuments } from './documents.js';
import { approveDraft, lukaszSummary, rewriteDraft, sendDraft, startDraft } from './drafts.js';
import { type Calendar, when } from './timeline.js';

export function openRequests(cal: Calendar): DemoRequest[] {
  const y = cal.year;
  const docs = demoDocuments(y);
  return [
    {
      // Approved and assembled: the packet (with the Part 2 notice, PART2-1) waits for support to send it.
      key: 'ready-to-release',
      client: 'sofia',
      stage: 'preparation',
      receivedAt: when(7, 9, 20),
      input: {
        kind: 'client_access',
        requester: { name: 'Sofía Martínez', relationship: 'client', email: 'sofia.martinez@example.test' },
        documentClasses: ['progress_notes', 'part2'],
        dateFrom: `${y - 1}-01-01`,
        purpose: 'Personal records: a copy for her new primary care doctor',
        deliverable: 'copy',
        deliveryFormat: 'secure_download',
        channel: 'portal',
      },
      steps: [
        step(when(6, 10), 'support', intake('Portal sign-in, and a call back to the number on file')),
        step(
          when(5, 11, 30),
          'therapist',
          discuss({
            outcome: 'go_ahead',
            need: 'Her notes and the program assessment for her new doctor',
            concerns: 'She knows the assessment is from the substance use program and wants it included.',
          }),
        ),
        step(
          when(4, 10),
          'supervisor',
          review({ decision: 'release', consequences: 'Her own records, at her request.' }),
        ),
        step(when(4, 14), 'support', invoice({ mode: 'no_fee' })),
        step(when(2, 10), 'clinical', addDocument(docs.sofiaNotes)),
        step(when(2, 10, 30), 'clinical', addDocument(docs.sofiaPart2)),
        step(
          when(2, 11, 30),
          'clinical',
          prepare('Progress notes since September and the program’s intake assessment.'),
        ),
        // Approved yesterday: the release step is due by the end of today, not yet late.
        step(when(1, 10), 'supervisor', approve('Checked: the Part 2 assessment carries its notice.')),
        step(when(1, 10, 45), 'support', assembleNow),
      ],
    },
    {
      key: 'letter-in-review',
      client: 'lukasz',
      stage: 'preparation',
      receivedAt: when(11, 10),
      input: {
        kind: 'authorization',
        requester: {
          name: 'Rebecca Dunn',
          organization: 'Kessler & Dunn LLP',
          relationship: 'Attorney for the client (signed authorization)',
          email: 'rdunn@kesslerdunn.example.test',
          phone: '(555) 010-3410',
          address: '1 Capitol Mall, Suite 900, Sacramento, CA 95814',
        },
        documentClasses: ['letters_and_reports'],
        dateFrom: `${y - 1}-06-01`,
        dateTo: `${y}-01-10`,
        purpose: 'Personal injury claim: a summary of treatment since the accident',
        deliverable: 'letter_or_report',
        deliveryFormat: 'email',
        channel: 'email',
        neededBy: cal.date(14),
      },
      steps: [
        step(
          when(10, 14),
          'support',
          intake('Authorization checked: signed by the client, names Kessler & Dunn, valid for 12 months'),
        ),
        step(
          when(8, 12, 15),
          'therapist',
          discuss({
            outcome: 'go_ahead',
            need: 'A treatment summary letter for his injury claim',
            why: 'A claim against the other driver’s insurer',
            when: 'Within three weeks',
            concerns: 'He wants the letter to cover the accident and its effects, not his family history.',
          }),
        ),
        step(
          when(7, 10),
          'supervisor',
          review({
            decision: 'release',
            consequences: 'Low risk: the client asked for this letter and will read it first.',
            notes: 'Keep the letter to the accident and its effects.',
          }),
        ),
        step(
          when(7, 13, 30),
          'support',
          invoice({
            mode: 'sent',
            lines: [
              { code: 'summary_preparation', description: 'Treatment summary letter', amountCents: 7500 },
            ],
            agreement: 'Ms Dunn agreed to the quoted fee by email before the letter was started.',
          }),
        ),
        step(when(5, 10), 'support', pay({ method: 'check', reference: 'Check 1042' })),
        // The letter from the practice's template, in the therapist's words, approved by the
        // supervisor (rendered with the letterhead as a prepared record); what was prepared then
        // waits on her review.
        step(when(2, 10), 'therapist', startDraft('treatment_summary')),
        step(when(2, 14), 'therapist', rewriteDraft('treatment_summary', lukaszSummary)),
        step(when(2, 14, 30), 'therapist', sendDraft('treatment_summary')),
        step(
          when(1, 9, 15),
          'supervisor',
          approveDraft('treatment_summary', 'Good: it stays with the accident and its effects.'),
        ),
        step(
          when(1, 10),
          'therapist',
          prepare('Treatment summary letter approved: course of treatment since the accident, outlook.'),
        ),
      ],
    },
    {
      key: 'invoice',
      client: 'aisha',
      stage: 'invoice',
      // California's 15 days (TIME-3) compress the step clocks: a request received two business
      // days ago and reviewed yesterday still has its invoice step ahead of it, not overdue.
      receivedAt: when(2, 9, 10),
      input: {
        kind: 'client_directed',
        requester: { name: 'Aisha Rahman', relationship: 'client', email: 'aisha.rahman@example.test' },
        documentClasses: ['progress_notes', 'assessments', 'treatment_plans'],
        purpose: 'Disability benefits application',
        deliverable: 'copy',
        deliveryFormat: 'mail',
        channel: 'portal',
        notes: 'Copy to Bright Path Disability Advocates, 500 K Street, Sacramento, CA 95814.',
      },
      steps: [
        step(when(2, 11, 30), 'support', intake('The client signed the direction in the portal')),
        step(
          when(1, 9, 30),
          'therapist2',
          discuss({
            outcome: 'narrow',
            need: 'Evidence for her disability application',
            concerns: 'She prefers the advocates not to see her session-by-session notes.',
            narrowedScope: { documentClasses: ['assessments', 'treatment_plans'] },
          }),
        ),
        step(
          when(1, 15, 30),
          'supervisor',
          review({ decision: 'release_narrowed', consequences: 'Narrowed at the client’s request.' }),
        ),
      ],
    },
    {
      key: 'overdue-representative',
      client: 'lily',
      stage: 'client_review',
      receivedAt: when(9, 16, 10),
      input: {
        kind: 'representative',
        requester: {
          name: 'Rachel Harper',
          relationship: 'Mother (parent of a minor client)',
          email: 'rachel.harper@example.test',
          phone: '(555) 010-2104',
        },
        documentClasses: ['progress_notes', 'treatment_plans'],
        purpose: 'Background for her daughter’s new school counselor',
        deliverable: 'copy',
        deliveryFormat: 'secure_download',
        channel: 'email',
      },
      steps: [
        step(
          when(8, 10, 15),
          'support',
          intake('Mother’s identity and custody checked against the intake paperwork (shared legal custody)'),
        ),
      ],
    },
    {
      key: 'escalated-subpoena',
      client: 'jordan',
      stage: 'client_review',
      receivedAt: when(7, 14),
      input: {
        kind: 'subpoena',
        requester: {
          name: 'Peter Grant',
          organization: 'Law Office of Peter Grant',
          relationship: 'Attorney for the opposing party',
          email: 'pgrant@grantlaw.example.test',
          address: '77 J Street, Sacramento, CA 95814',
        },
        documentClasses: ['progress_notes', 'assessments'],
        dateFrom: `${y - 2}-01-01`,
        purpose: 'Civil case Ellis v. Carver Logistics, Sacramento Superior Court',
        deliverable: 'copy',
        deliveryFormat: 'mail',
        channel: 'mail',
        documentDueDate: cal.date(21),
      },
      steps: [
        step(
          when(6, 11),
          'support',
          intake('Subpoena checked: issued by the clerk, served by mail; no authorization or order attached'),
        ),
        step(
          when(4, 13, 30),
          'therapist',
          discuss({
            outcome: 'go_ahead',
            need: 'Opposing counsel wants the records for the lawsuit',
            concerns: 'The client objects and has asked his own attorney to call us.',
          }),
        ),
        step(
          when(2, 9, 40),
          'supervisor',
          escalate(
            'A subpoena from opposing counsel with no authorization or court order, and the client objects. ' +
              'Should we answer with an objection instead of records?',
          ),
        ),
      ],
    },
    {
      key: 'court-order',
      client: 'marcus',
      stage: 'preparation',
      receivedAt: when(8, 9, 30),
      input: {
        kind: 'court_order',
        requester: {
          name: 'Clerk of the Court',
          organization: 'Superior Court of California, County of Sacramento',
          relationship: 'Court',
          address: '720 9th Street, Sacramento, CA 95814',
        },
        documentClasses: ['progress_notes', 'treatment_plans'],
        purpose: 'Family law matter: records ordered for the court’s own review',
        deliverable: 'copy',
        deliveryFormat: 'mail',
        channel: 'mail',
        documentDueDate: cal.date(10),
      },
      steps: [
        step(when(7, 11, 30), 'support', intake('Certified copy of the order, signed by the judge')),
        step(
          when(5, 15, 30),
          'therapist2',
          discuss({
            outcome: 'go_ahead',
            need: 'The court ordered the records for its own review',
            concerns: 'His attorney asked that the records go to the court only, sealed.',
          }),
        ),
        step(
          when(4, 10, 45),
          'supervisor',
          review({ decision: 'release', consequences: 'Sealed, to the court only, as ordered.' }),
        ),
        step(
          when(3, 14),
          'support',
          // FEE-5, TIME-3: within California's 10¢ a page (Evid. Code §1158), which applies to a
          // third party's copies even before counsel confirms it.
          invoice({
            mode: 'sent',
            pages: 38,
            lines: [
              {
                code: 'per_page_copy',
                description: 'Copies, 38 pages',
                quantity: 38,
                unitCents: 10,
                amountCents: 380,
              },
            ],
            agreement: 'The clerk’s office accepted the quoted copy fee by phone.',
          }),
        ),
      ],
    },
    {
      key: 'oversight-review',
      client: 'zoe',
      stage: 'client_review',
      receivedAt: when(3, 10),
      input: {
        kind: 'other_legal',
        kindSubtype: 'health_oversight',
        requester: {
          name: 'Investigator M. Alvarez',
          organization: 'California Board of Behavioral Sciences',
          relationship: 'Licensing board investigator',
          email: 'malvarez@bbs.example.test',
        },
        documentClasses: ['progress_notes'],
        dateFrom: `${y - 1}-01-01`,
        purpose: 'Health oversight: a complaint investigation',
        deliverable: 'copy',
        deliveryFormat: 'secure_download',
        channel: 'email',
      },
      steps: [
        step(
          when(2, 15),
          'support',
          intake('Credentials and the request letter confirmed with the board’s office'),
        ),
      ],
    },
    {
      key: 'new-access',
      client: 'marcus',
      stage: 'request_made',
      // Received this morning through the portal: with California's 15 days (TIME-3) the intake
      // check is compressed to the day of receipt, so it is due today, not yet overdue.
      receivedAt: when(0, 7),
      input: {
        kind: 'client_access',
        requester: { name: 'Marcus Bell', email: 'marcus.bell@example.test' },
        documentClasses: ['progress_notes', 'assessments', 'treatment_plans', 'billing'],
        purpose: 'Personal records',
        deliverable: 'copy',
        deliveryFormat: 'secure_download',
        channel: 'portal',
        neededBy: cal.date(21),
      },
      steps: [],
    },
    {
      key: 'waiting-authorization',
      client: 'aisha',
      stage: 'request_made',
      receivedAt: when(1, 8, 30),
      input: {
        kind: 'authorization',
        requester: {
          name: 'Underwriting',
          organization: 'Summit Mutual Insurance',
          relationship: 'Insurer (authorization enclosed)',
          phone: '(555) 010-4400',
        },
        documentClasses: ['progress_notes', 'assessments'],
        purpose: 'Life insurance application',
        deliverable: 'copy',
        deliveryFormat: 'mail',
        channel: 'fax',
      },
      steps: [
        step(
          when(1, 14),
          'support',
          waitFor(
            'intake_check',
            'The authorization has no expiry date or event; asked Summit Mutual for a complete form.',
          ),
        ),
      ],
    },
  ];
}
