// The practice's built-in templates for prepared documents (issue 6, procedure step 4): a treatment
// summary, letters to a court, a school and an employer, and the notes that prepare a verbal
// discussion. Each is a title and a body in plain words with its fields filled from the request
// (client, date of birth, recipient, purpose, dates of service, therapist). The therapist then edits
// the words; what may be said stays within the authorized scope (SCOPE-1, SCOPE-2), which the
// supervisor checks before approving. Pure functions.
import type { Deliverable } from '../../shared/request-kinds.js';
import type { DraftKind, DraftTemplateKey, DraftTemplateView } from '../../shared/schemas/drafts.js';

export interface TemplateFacts {
  clientName: string;
  /** "12 April 1990". */
  dateOfBirth: string;
  recipient: string;
  purpose: string;
  /** "from 1 January 2026 to 31 December 2026", or "all dates of service". */
  datesOfService: string;
  /** What the request asks for, in words: "Progress notes and treatment plans". */
  records: string;
  therapistName: string;
  practiceName: string;
}

interface Template {
  kind: DraftKind;
  label: string;
  description: string;
  /** Which deliverables it serves (a verbal discussion is prepared with notes, not a letter). */
  for: readonly Deliverable[];
  title(f: TemplateFacts): string;
  body(f: TemplateFacts): string;
}

const WRITTEN: readonly Deliverable[] = ['letter_or_report', 'copy'];

const about = (f: TemplateFacts) => `Client: ${f.clientName}\nDate of birth: ${f.dateOfBirth}`;

const signOff = (f: TemplateFacts) => `Sincerely,\n\n${f.therapistName}\n${f.practiceName}`;

export const TEMPLATES: Readonly<Record<DraftTemplateKey, Template>> = {
  treatment_summary: {
    kind: 'report',
    label: 'Treatment summary',
    description: 'A short report of the treatment: when, what for, progress and what comes next.',
    for: WRITTEN,
    title: (f) => `Treatment summary for ${f.clientName}`,
    body: (f) =>
      [
        about(f),
        `Prepared for: ${f.recipient}\nPurpose: ${f.purpose}\nDates of service: ${f.datesOfService}`,
        `${f.clientName} has been seen at ${f.practiceName} ${f.datesOfService}.`,
        'Reason for treatment: [in a sentence or two]',
        'Treatment and progress: [what was worked on, and how it went]',
        'Current status and recommendations: [where things stand, and what comes next]',
        `This summary is limited to what was authorized: ${f.records.toLowerCase()}.`,
        signOff(f),
      ].join('\n\n'),
  },
  court_letter: {
    kind: 'letter',
    label: 'Letter to a court',
    description: 'A letter for a court or an attorney, limited to what the order or authorization allows.',
    for: WRITTEN,
    title: (f) => `Letter regarding ${f.clientName}`,
    body: (f) =>
      [
        `To ${f.recipient},`,
        about(f),
        `I am writing at the request of ${f.clientName} for this purpose: ${f.purpose}.`,
        `${f.clientName} has been my client at ${f.practiceName} ${f.datesOfService}.`,
        '[What you can say, within the authorized scope: attendance, engagement, relevant observations.]',
        'This letter shares only what was authorized. It is not a forensic evaluation.',
        signOff(f),
      ].join('\n\n'),
  },
  school_letter: {
    kind: 'letter',
    label: 'Letter to a school',
    description: 'A letter for a school, for example about attendance or support the student needs.',
    for: WRITTEN,
    title: (f) => `Letter regarding ${f.clientName}`,
    body: (f) =>
      [
        `Dear ${f.recipient},`,
        about(f),
        `${f.clientName} has been seen at ${f.practiceName} ${f.datesOfService}. I am writing for this purpose: ${f.purpose}.`,
        '[The support or adjustments that would help, in plain words.]',
        'Please contact me if you have questions about this letter.',
        signOff(f),
      ].join('\n\n'),
  },
  employer_letter: {
    kind: 'letter',
    label: 'Letter to an employer',
    description: 'A letter for an employer, for example to confirm appointments or a return to work.',
    for: WRITTEN,
    title: (f) => `Letter regarding ${f.clientName}`,
    body: (f) =>
      [
        `Dear ${f.recipient},`,
        about(f),
        `I confirm that ${f.clientName} has been attending appointments at ${f.practiceName} ${f.datesOfService}. I am writing for this purpose: ${f.purpose}.`,
        '[Only what the employer needs to know: dates, time off, any work adjustments.]',
        signOff(f),
      ].join('\n\n'),
  },
  verbal_discussion_notes: {
    kind: 'verbal_notes',
    label: 'Notes for a verbal discussion',
    description: 'What may and may not be said when you talk with someone about the client’s care.',
    for: ['verbal'],
    title: (f) => `Notes for a discussion with ${f.recipient}`,
    body: (f) =>
      [
        about(f),
        `Talking with: ${f.recipient}\nPurpose: ${f.purpose}\nAuthorized: ${f.records}, ${f.datesOfService}`,
        'What may be said: [the points you will cover, within what was authorized]',
        'What may not be said: [anything outside the authorization: for example psychotherapy notes, substance-use treatment, other people in the client’s life]',
        'If asked about something outside this: say you can only speak to what the client authorized, and offer to ask the client.',
      ].join('\n\n'),
  },
};

export function templatesFor(deliverable: Deliverable): DraftTemplateView[] {
  return (Object.entries(TEMPLATES) as [DraftTemplateKey, Template][])
    .filter(([, t]) => t.for.includes(deliverable))
    .map(([key, t]) => ({ key, builtIn: true, kind: t.kind, label: t.label, description: t.description }));
}

export function fillTemplate(key: DraftTemplateKey, facts: TemplateFacts): { title: string; body: string } {
  const t = TEMPLATES[key];
  return { title: t.title(facts), body: t.body(facts) };
}
