// The requester thread's own messages (issue 5), in plain language, as pure functions of plain facts:
// the acknowledgement (a request is recorded), the fee quote (FEE-3), the status when a request ends,
// and the ready-for-delivery message when records are released. Each is an email template (subject
// and text with {{placeholders}}) that an admin may override (practice settings `mailTemplates`).
// rule REL-2, SEC-5: no health information, ever: no client name, no kind of record, no diagnosis, no
// note or document content. Only the request number, what happens next, and who to contact. The
// placeholders offered are exactly those facts, so an override cannot bring anything else in.

import { MAIL_TEMPLATE_KEYS } from '../../shared/schemas/practice-settings.js';
import { formatLocalDate, localDate } from '../../shared/time.js';
import {
  contactLineEs,
  formatFeeEs,
  howDeliveredEs,
  outcomeWordsEs,
  SPANISH_TEMPLATES,
} from './requester-notices-es.js';

export const REQUESTER_NOTICE_KINDS = [
  'requester_acknowledgement',
  'requester_fee_quote',
  'requester_status',
  'requester_ready',
] as const;
export type RequesterNoticeKind = (typeof REQUESTER_NOTICE_KINDS)[number];

/** Every template an admin may override: the requester notices and the internal instructions email. */
export const TEMPLATE_KEYS = MAIL_TEMPLATE_KEYS;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

export interface Template {
  subject: string;
  text: string;
}

const COMMON = ['requestNumber', 'practiceName', 'contact', 'dueDate', 'link'] as const;

/** The placeholders each template may use (anything else is refused: a 400 naming it). */
export const TEMPLATE_PLACEHOLDERS: Record<TemplateKey, readonly string[]> = {
  // Internal: the step's instructions as Release Desk wrote them, and the client's initials (SEC-5).
  instructions: [...COMMON, 'instructions', 'clientInitials'],
  requester_acknowledgement: COMMON,
  requester_fee_quote: [...COMMON, 'feeTotal'],
  requester_status: [...COMMON, 'outcome'],
  requester_ready: [...COMMON, 'howDelivered'],
};

export const TEMPLATE_LABELS: Record<TemplateKey, string> = {
  instructions: 'Instructions for staff (internal thread)',
  requester_acknowledgement: 'Requester: request received',
  requester_fee_quote: 'Requester: fee quote',
  requester_status: 'Requester: request ended',
  requester_ready: 'Requester: records released',
};

const FOOTER = [
  'Questions? {{contact}}',
  'You can also reply to this email; your reply is kept with request {{requestNumber}}.',
  'For your privacy, please do not send health information by email.',
].join('\n');

/** The words shipped (the practice may override each). */
export const DEFAULT_TEMPLATES: Record<TemplateKey, Template> = {
  instructions: {
    subject: 'Release of records {{requestNumber}}: your task',
    text: [
      'Release of records {{requestNumber}} · client {{clientInitials}}',
      '',
      '{{instructions}}',
      '',
      'Open the request: {{link}}',
      '',
      'Reply to this email to answer on the thread (your reply is kept with the request).',
    ].join('\n'),
  },
  requester_acknowledgement: {
    subject: 'We received your records request {{requestNumber}}',
    text: [
      'Thank you. {{practiceName}} received your request for records. Its number is {{requestNumber}}: please quote it whenever you contact us.',
      '',
      'What happens next: we check the request and may contact you to confirm who you are. If there is a fee, we tell you the amount before anything is charged. We will answer by {{dueDate}}.',
      '',
      'See how your request is going: {{link}}',
      '',
      FOOTER,
    ].join('\n'),
  },
  requester_fee_quote: {
    subject: 'Your records request {{requestNumber}}: the fee',
    text: [
      'The fee for your records request {{requestNumber}} is {{feeTotal}}.',
      '',
      'What happens next: nothing is charged until you agree. Tell us if you agree, or if you have questions about the fee. It covers only preparing and sending the records.',
      '',
      'See the invoice and pay here: {{link}}',
      '',
      FOOTER,
    ].join('\n'),
  },
  requester_status: {
    subject: 'Your records request {{requestNumber}}: {{outcome}}',
    text: [
      'Your records request {{requestNumber}} is now closed: {{outcome}}.',
      '',
      'What happens next: nothing more is needed from you. If we wrote to you about it, that message is kept with your request. You may make a new request at any time.',
      '',
      'Your request: {{link}}',
      '',
      FOOTER,
    ].join('\n'),
  },
  requester_ready: {
    subject: 'Your records request {{requestNumber}}: records released',
    text: [
      'The records for your request {{requestNumber}} were released. {{howDelivered}}',
      '',
      'What happens next: nothing more is needed from you. If something is missing or you cannot open it, contact us.',
      '',
      'Your request: {{link}}',
      '',
      FOOTER,
    ].join('\n'),
  },
};

const PLACEHOLDER = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Placeholders a template uses that its key does not offer (each named once, in order). */
export function unknownPlaceholders(key: TemplateKey, template: Template): string[] {
  const allowed = TEMPLATE_PLACEHOLDERS[key];
  const found = new Set<string>();
  for (const part of [template.subject, template.text]) {
    for (const m of part.matchAll(PLACEHOLDER)) {
      if (!allowed.includes(m[1]!)) found.add(m[1]!);
    }
  }
  return [...found];
}

/** Fill the placeholders (one pass: a value is never read as a template itself). */
export function render(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

export function renderTemplate(template: Template, values: Readonly<Record<string, string>>): Template {
  // A subject is one line (a value with a line break never splits the header).
  return {
    subject: render(template.subject, values).replace(/\s*[\r\n]+\s*/g, ' '),
    text: render(template.text, values),
  };
}

/** The practice's template for a key, or the shipped one; a half-written override keeps the other half. */
export function templateFor(
  key: TemplateKey,
  overrides: Readonly<Partial<Record<string, Partial<Template>>>> | undefined,
): Template {
  const o = overrides?.[key];
  const d = DEFAULT_TEMPLATES[key];
  return { subject: o?.subject?.trim() ? o.subject : d.subject, text: o?.text?.trim() ? o.text : d.text };
}

export interface PracticeContact {
  name: string;
  phone: string | null;
  email: string | null;
}

/** "call 555-0100 or email records@x.org (Riverbend Counseling)", or just the practice's name. */
export function contactLine(p: PracticeContact): string {
  const ways = [p.phone ? `call ${p.phone}` : null, p.email ? `email ${p.email}` : null].filter(Boolean);
  return ways.length > 0 ? `${ways.join(' or ')} (${p.name}).` : `contact ${p.name}.`;
}

/** "$25.00", or "no charge". */
export function formatFee(totalCents: number): string {
  if (totalCents <= 0) return 'no charge';
  return `$${(totalCents / 100).toFixed(2)}`;
}

/** How the records reach the requester, in plain words (no description of the records: REL-2). */
export function howDelivered(method: string | null | undefined): string {
  switch (method) {
    case 'secure_download':
      return 'A separate email gives you a secure link, and another a code to open it.';
    case 'mail':
      return 'They were sent by post to the address you gave us.';
    case 'pickup':
      return 'They are ready for you to collect: bring a photo ID.';
    case 'inspection':
      return 'We will arrange with you a time to look at them.';
    case 'fax':
      return 'They were sent by fax to the number you gave us.';
    case 'email':
      return 'They were sent by email to the address you gave us.';
    case 'verbal':
      return 'They were discussed with you as agreed.';
    default:
      return 'They were sent in the way you asked for.';
  }
}

/** The end of a request, in plain words. */
export function outcomeWords(stage: string): string {
  switch (stage) {
    case 'withdrawn':
      return 'withdrawn at your request';
    case 'cancelled':
      return 'cancelled';
    case 'no_records':
      return 'we do not hold the records asked for';
    case 'denied':
      return 'not granted (our letter explains why and your rights)';
    case 'released':
      return 'records released';
    default:
      return 'closed';
  }
}

export interface NoticeFacts {
  requestNumber: string;
  practice: PracticeContact;
  /** The answer date, already formatted in the practice's time zone. */
  dueDate: string;
  /** Where the requester reads the thread. */
  link: string;
  feeTotalCents?: number;
  /** For the status notice: the stage the request ended in. */
  endStage?: string;
  /** For the ready notice: the release method. */
  method?: string | null;
}

export function noticeValues(facts: NoticeFacts): Record<string, string> {
  return {
    requestNumber: facts.requestNumber,
    practiceName: facts.practice.name,
    contact: contactLine(facts.practice),
    dueDate: facts.dueDate,
    link: facts.link,
    feeTotal: formatFee(facts.feeTotalCents ?? 0),
    outcome: outcomeWords(facts.endStage ?? ''),
    howDelivered: howDelivered(facts.method),
  };
}

/** The placeholder values in Spanish (issue 7). */
export function noticeValuesEs(facts: NoticeFacts): Record<string, string> {
  return {
    ...noticeValues(facts),
    contact: contactLineEs(facts.practice),
    feeTotal: formatFeeEs(facts.feeTotalCents ?? 0),
    outcome: outcomeWordsEs(facts.endStage ?? ''),
    howDelivered: howDeliveredEs(facts.method),
  };
}

/**
 * The message of a requester notice: its subject and text (the thread message, emailed as is). In
 * Spanish (issue 7) for a request whose language is 'es', unless the practice wrote its own words for
 * that notice (its override is kept as written).
 */
export function requesterNotice(
  kind: RequesterNoticeKind,
  facts: NoticeFacts,
  overrides?: Readonly<Partial<Record<string, Partial<Template>>>>,
  language: 'en' | 'es' = 'en',
): Template {
  if (language === 'es' && !overrides?.[kind]) {
    const values = noticeValuesEs(facts);
    const vars = Object.fromEntries(TEMPLATE_PLACEHOLDERS[kind].map((k) => [k, values[k] ?? '']));
    return renderTemplate(SPANISH_TEMPLATES[kind], vars);
  }
  const values = noticeValues(facts);
  const vars = Object.fromEntries(TEMPLATE_PLACEHOLDERS[kind].map((k) => [k, values[k] ?? '']));
  return renderTemplate(templateFor(kind, overrides), vars);
}

/**
 * The instructions email in the practice's words, when it overrode them (null: the shipped compose).
 * Its placeholders are the step's instructions as Release Desk wrote them, the client's initials and
 * the request's number, date and link (SEC-5: never a staff message's text).
 */
export function customInstructions(
  overrides: Readonly<Partial<Record<string, Partial<Template>>>> | undefined,
  values: Readonly<Record<string, string>>,
): Template | null {
  if (!overrides?.instructions) return null;
  const vars = Object.fromEntries(TEMPLATE_PLACEHOLDERS.instructions.map((k) => [k, values[k] ?? '']));
  return renderTemplate(templateFor('instructions', overrides), vars);
}

/** A date in words, in the practice's time zone: "Monday 28 December 2026". */
export function answerDate(at: Date, timeZone: string): string {
  return formatLocalDate(localDate(at, timeZone), -1);
}
