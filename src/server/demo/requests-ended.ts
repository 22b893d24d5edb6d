// The demo's requests that have ended: released (with their disclosure entries), denied (with the
// letter), no records (with the written answer) and withdrawn. Each is the script of the steps the
// right people took on the right (business) days.
import {
  approve,
  type DemoRequest,
  discuss,
  intake,
  invoice,
  noRecords,
  prepare,
  release,
  review,
  step,
} from './actions.js';
import { addDocument, assembleNow, demoDocuments, sendLink } from './documents.js';
import { type Calendar, when } from './timeline.js';

const noConcerns = 'No concerns identified; the client and the therapist have talked this through.';

export function endedRequests(cal: Calendar): DemoRequest[] {
  const y = cal.year;
  const docs = demoDocuments(y);
  return [
    {
      key: 'released-access',
      client: 'jordan',
      stage: 'released',
      receivedAt: when(16, 9, 10),
      input: {
        kind: 'client_access',
        requester: { name: 'Jordan Ellis', email: 'jordan.ellis@example.test' },
        documentClasses: ['progress_notes', 'treatment_plans'],
        dateFrom: `${y - 1}-01-01`,
        purpose: 'Personal use: a copy for a new therapist after a move',
        deliverable: 'copy',
        deliveryFormat: 'secure_download',
        channel: 'portal',
      },
      steps: [
        step(when(15, 10), 'support', intake('Portal sign-in, and a call back to the number on file')),
        step(
          when(13, 14, 30),
          'therapist',
          discuss({
            outcome: 'go_ahead',
            need: 'A copy of the notes and plans for a new therapist in Portland',
            when: 'Before the end of the month',
            concerns: 'None; we agreed to go through the notes together at the last session.',
          }),
        ),
        step(when(12, 11), 'supervisor', review({ decision: 'release', consequences: noConcerns })),
        step(when(12, 15), 'support', invoice({ mode: 'no_fee' })),
        step(when(9, 11), 'clinical', addDocument(docs.jordanNotes)),
        step(when(9, 11, 30), 'clinical', addDocument(docs.jordanPlan)),
        step(when(9, 13), 'clinical', prepare('Progress notes and treatment plans since January, 46 pages.')),
        step(when(8, 10, 30), 'supervisor', approve('Checked: nothing about third parties.')),
        // The packet (REL-5) is assembled by the real job; the release marks it released, and the
        // client gets a secure link to it (REL-2).
        step(when(8, 11, 15), 'support', assembleNow),
        step(when(8, 15, 20), 'support', release({ method: 'secure_download' })),
        step(when(8, 15, 50), 'support', sendLink),
      ],
    },
    {
      key: 'released-continuity',
      client: 'marcus',
      stage: 'released',
      receivedAt: when(14, 11, 20),
      input: {
        kind: 'provider_continuity',
        requester: {
          name: 'Dr. Lena Fischer',
          organization: 'Lakeside Psychiatry',
          relationship: 'Treating psychiatrist',
          phone: '(555) 010-3300',
          address: '200 Lakeside Blvd, Sacramento, CA 95831',
        },
        documentClasses: ['assessments', 'treatment_plans'],
        purpose: 'Continuity of care: medication evaluation',
        deliverable: 'copy',
        deliveryFormat: 'fax',
        channel: 'fax',
      },
      steps: [
        step(
          when(13, 9, 15),
          'support',
          intake('Called Lakeside Psychiatry back at the number on its letterhead'),
        ),
        step(
          when(12, 16),
          'therapist2',
          discuss({ outcome: 'go_ahead', need: 'A medication evaluation', concerns: 'None' }),
        ),
        step(when(11, 10), 'supervisor', review({ decision: 'release', consequences: noConcerns })),
        step(when(11, 14), 'support', invoice({ mode: 'no_fee' })),
        step(when(10, 11), 'clinical', prepare('Intake assessment and the current treatment plan, 9 pages.')),
        step(when(9, 9, 30), 'supervisor', approve()),
        step(
          when(9, 13),
          'support',
          release({
            method: 'fax',
            // rule REL-1: the fax number and the confirmation are recorded.
            details: { faxNumber: '(555) 010-3301', confirmation: 'Transmission OK, 9 pages' },
          }),
        ),
      ],
    },
    {
      key: 'denied',
      client: 'thomas',
      stage: 'denied',
      receivedAt: when(12, 15, 45),
      input: {
        kind: 'client_access',
        requester: { name: 'Thomas O’Brien', address: '45 Juniper Way, Sacramento, CA 95822' },
        documentClasses: ['psychotherapy_notes'],
        purpose: 'Personal use',
        deliverable: 'copy',
        deliveryFormat: 'mail',
        channel: 'mail',
      },
      steps: [
        step(
          when(11, 10, 30),
          'support',
          intake('Signature compared with the intake form; called the client back'),
        ),
        // What he asked for: the therapist's separate notes (SCOPE-3), never part of a packet by default.
        step(when(11, 11, 15), 'support', addDocument(docs.thomasPsychotherapy)),
        step(
          when(9, 15),
          'therapist2',
          discuss({
            outcome: 'go_ahead',
            need: 'To read the therapist’s own session notes',
            when: 'No rush',
            concerns: 'Offered the progress notes or a summary instead; he wants the private notes only.',
          }),
        ),
        step(
          when(8, 11, 30),
          'supervisor',
          review({
            decision: 'deny',
            denialGround: 'psychotherapy_notes',
            consequences: 'Dr. Kim will talk the letter through with the client at the next session.',
            denialLetter:
              'Dear Mr. O’Brien, we cannot send copies of your therapist’s psychotherapy notes: the law lets ' +
              'a practice keep these separate notes private. You may ask at any time for your progress notes, ' +
              'assessments and treatment plans, or for a summary of your care, and we will send them. ' +
              'If you have questions, please call our privacy officer, Priya Shah, at (555) 010-0199.',
          }),
        ),
      ],
    },
    {
      key: 'no-records',
      client: 'zoe',
      stage: 'no_records',
      receivedAt: when(10, 9, 5),
      input: {
        kind: 'authorization',
        requester: {
          name: 'Claims Department',
          organization: 'Northwind Life Insurance',
          relationship: 'Insurer, with the client’s signed authorization',
          email: 'claims@northwind-life.example.test',
        },
        documentClasses: ['progress_notes', 'assessments'],
        dateFrom: `${y - 10}-01-01`,
        dateTo: `${y - 7}-12-31`,
        purpose: 'Life insurance underwriting',
        deliverable: 'copy',
        deliveryFormat: 'mail',
        channel: 'email',
      },
      steps: [
        step(
          when(9, 11),
          'support',
          noRecords(
            `We hold no records for the dates you asked about (${y - 10} to ${y - 7}): ` +
              `Ms Andersen's care with Riverbend Counseling began in ${y - 1}. No fee is charged for this answer.`,
          ),
        ),
      ],
    },
    {
      key: 'withdrawn',
      client: 'sofia',
      stage: 'withdrawn',
      receivedAt: when(9, 13, 30),
      input: {
        kind: 'client_access',
        requester: { name: 'Sofía Martínez', phone: '(555) 010-2103' },
        documentClasses: ['progress_notes'],
        purpose: 'Disability application',
        deliverable: 'copy',
        deliveryFormat: 'secure_download',
        channel: 'phone',
      },
      steps: [
        step(
          when(8, 9, 45),
          'support',
          intake('Confirmed by phone against the date of birth and address on file'),
        ),
        step(
          when(6, 17),
          'therapist',
          discuss({
            outcome: 'client_withdraws',
            need: 'Notes for a disability application',
            concerns: 'The application was approved without them; she no longer needs the records.',
          }),
        ),
      ],
    },
  ];
}
