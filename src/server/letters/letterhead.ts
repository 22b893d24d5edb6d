// The pieces every letter to a requester shares: the practice's letterhead, who to contact (the
// privacy officer, from the practices row), the recipient's lines, dates written out in full, and
// what records were asked for, in words. Pure functions over plain facts.
import { DOCUMENT_CLASS_LABELS, type DocumentClass } from '../../shared/request-kinds.js';
import type { LetterInput, PageWords } from '../pdf/letter.js';

/** Issue 7: the language of everything a requester sees (`requests.language`); English by default. */
export type LetterLanguage = 'en' | 'es';

export const SPANISH_PAGE_WORDS: PageWords = { reference: 'Referencia', page: 'Página', of: 'de' };

/** The practice as a letter needs it (a row of `practices` fits). */
export interface PracticeFacts {
  name: string;
  privacyOfficerName: string | null;
  privacyOfficerPhone: string | null;
  privacyOfficerEmail: string | null;
}

/** The person a letter is for: the requester of the request. */
export interface RecipientFacts {
  name: string;
  organization?: string | null;
  address?: string | null;
}

/** What every letter about a request starts from. */
export interface LetterFacts {
  practice: PracticeFacts;
  recipient: RecipientFacts;
  /** The request number, printed on every page. */
  number: string;
  /** The date on the letter, "Friday 20 November 2026". */
  date: string;
  /** The PDF's creation date (the command's clock), so the same facts give the same bytes. */
  createdAt: Date;
  /** The request's language: 'es' writes the letter in Spanish. */
  language?: LetterLanguage;
}

export const CONFIDENTIAL_FOOTER =
  'Confidential: this letter is about a person’s health records. If it reached you by mistake, please tell us and destroy it.';

export const CONFIDENTIAL_FOOTER_ES =
  'Confidencial: esta carta trata de los expedientes de salud de una persona. Si le llegó por error, avísenos y destrúyala.';

/** The line every Spanish letter carries: the English version is there for the asking. */
export const ENGLISH_ON_REQUEST_ES =
  'Si desea esta carta en inglés, pídala y se la enviaremos. (An English version of this letter is available on request.)';

/** "Privacy officer: Pat Privacy · 555-0100 · privacy@practice.test" under the practice's name. */
export function letterhead(
  practice: PracticeFacts,
  language: LetterLanguage = 'en',
): LetterInput['letterhead'] {
  const contact = [practice.privacyOfficerName, practice.privacyOfficerPhone, practice.privacyOfficerEmail]
    .filter(Boolean)
    .join(' · ');
  const label = language === 'es' ? 'Responsable de privacidad' : 'Privacy officer';
  return { practiceName: practice.name, lines: contact ? [`${label}: ${contact}`] : [] };
}

/** "Pat Privacy, our privacy officer, by phone at 555-0100 or by email at privacy@practice.test". */
export function contactSentence(practice: PracticeFacts): string {
  const who = practice.privacyOfficerName
    ? `${practice.privacyOfficerName}, our privacy officer`
    : 'our privacy officer';
  const ways = [
    practice.privacyOfficerPhone ? `by phone at ${practice.privacyOfficerPhone}` : null,
    practice.privacyOfficerEmail ? `by email at ${practice.privacyOfficerEmail}` : null,
  ].filter(Boolean);
  return ways.length > 0 ? `${who}, ${ways.join(' or ')}` : `${who} at ${practice.name}`;
}

/** The privacy officer's name, phone and email as label/value rows (the missing ones left out). */
export function contactFields(practice: PracticeFacts): [string, string][] {
  const rows: [string, string][] = [
    ['Privacy officer', practice.privacyOfficerName ?? `The privacy officer, ${practice.name}`],
  ];
  if (practice.privacyOfficerPhone) rows.push(['Phone', practice.privacyOfficerPhone]);
  if (practice.privacyOfficerEmail) rows.push(['Email', practice.privacyOfficerEmail]);
  return rows;
}

export function recipientLines(recipient: RecipientFacts): string[] {
  return [
    recipient.name,
    ...(recipient.organization ? [recipient.organization] : []),
    ...(recipient.address
      ? recipient.address
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter(Boolean)
      : []),
  ];
}

/** The common frame of a letter: letterhead, date, recipient, reference, footer (in its language). */
export function frame(facts: LetterFacts, title: string, blocks: LetterInput['blocks']): LetterInput {
  const es = facts.language === 'es';
  return {
    letterhead: letterhead(facts.practice, facts.language),
    reference: facts.number,
    date: facts.date,
    recipient: recipientLines(facts.recipient),
    title,
    blocks: es ? [...blocks, { type: 'paragraph', text: ENGLISH_ON_REQUEST_ES }] : blocks,
    footerNotice: es ? CONFIDENTIAL_FOOTER_ES : CONFIDENTIAL_FOOTER,
    createdAt: facts.createdAt,
    ...(es ? { pageWords: SPANISH_PAGE_WORDS } : {}),
  };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "1 January 2025" (YYYY-MM-DD in), for the dates records cover. */
export function plainDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** "Progress notes and treatment plans". */
export function recordClasses(classes: readonly string[]): string {
  const labels = classes.map((c, i) => {
    const label = DOCUMENT_CLASS_LABELS[c as DocumentClass] ?? c.replaceAll('_', ' ');
    return i === 0 ? label : label.toLowerCase();
  });
  if (labels.length <= 1) return labels[0] ?? 'Records';
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}

/** "from 1 January 2025 to 30 June 2026", "from 1 January 2025 on", "up to …", or "" for all dates. */
export function dateRange(from: string | null | undefined, to: string | null | undefined): string {
  if (from && to) return `from ${plainDate(from)} to ${plainDate(to)}`;
  if (from) return `from ${plainDate(from)} on`;
  if (to) return `up to ${plainDate(to)}`;
  return '';
}

/** "Progress notes and treatment plans, from 1 January 2025 to 30 June 2026". */
export function describeRecords(
  classes: readonly string[],
  from?: string | null,
  to?: string | null,
): string {
  const range = dateRange(from, to);
  return range ? `${recordClasses(classes)}, ${range}` : `${recordClasses(classes)} (all dates)`;
}

/** Paragraph blocks from text a person wrote (blank lines separate paragraphs). */
export function paragraphs(text: string): LetterInput['blocks'] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => ({ type: 'paragraph' as const, text: p }));
}

/** rule REV-5: the U.S. Department of Health and Human Services, Office for Civil Rights. */
export const HHS_OCR = {
  name: 'U.S. Department of Health and Human Services, Office for Civil Rights',
  address: '200 Independence Avenue SW, Washington, DC 20201',
  phone: '1-800-368-1019',
  web: 'www.hhs.gov/ocr/complaints',
} as const;

export interface ScopeFacts {
  documentClasses: readonly string[];
  dateFrom?: string | null;
  dateTo?: string | null;
}

/** How one language names records, for `splitScope`. */
export interface ScopeWords {
  describe: (classes: readonly string[], from?: string | null, to?: string | null) => string;
  before: (classes: readonly string[], date: string) => string;
  after: (classes: readonly string[], date: string) => string;
}

/** rule REV-5: what a partial denial releases and what it withholds, as lines a reader can check. */
export function splitScope(
  requested: ScopeFacts,
  approved: ScopeFacts,
  w: ScopeWords,
): { released: string[]; withheld: string[] } {
  const from = approved.dateFrom ?? requested.dateFrom ?? null;
  const to = approved.dateTo ?? requested.dateTo ?? null;
  const kept = approved.documentClasses;
  const released = kept.length > 0 ? [w.describe(kept, from, to)] : [];
  const withheld: string[] = [];
  const notKept = requested.documentClasses.filter((c) => !kept.includes(c));
  if (notKept.length > 0) withheld.push(w.describe(notKept, requested.dateFrom, requested.dateTo));
  if (kept.length > 0 && from && (!requested.dateFrom || from > requested.dateFrom)) {
    withheld.push(w.before(kept, from));
  }
  if (kept.length > 0 && to && (!requested.dateTo || to < requested.dateTo)) {
    withheld.push(w.after(kept, to));
  }
  return { released, withheld };
}
