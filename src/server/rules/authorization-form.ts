// rule AUTH-7: the authorization form the practice prepares for the client to sign, in plain
// language (164.508(c)(3)), pre-filled from the request with every core element of 164.508(c)(1)
// (AUTH-1) and the three statements of 164.508(c)(2) (AUTH-2), written the way a client reads them,
// and the promise of a copy (164.508(c)(4)). ONE builder for every language: the sections, their
// order and what fills them are here; a language gives only its words (`AuthorizationFormWords`:
// English below, Spanish in authorization-form-es.ts), so an element added to the form is added
// once and a language that lacks its words does not compile. Pure: the facts come in, the letter's
// blocks go out; the command renders and stores them. The words are kept plain (readability.ts and
// readability-es.ts, checked by the tests beside this file).
import type { DocumentClass } from '../../shared/request-kinds.js';
import type { LocalDate } from '../../shared/time.js';
import type { LetterBlock } from '../pdf/letter.js';

/** What a client reads for each class of records: the name, then what it is. */
export const PLAIN_RECORD_WORDS: Readonly<Record<DocumentClass, string>> = {
  progress_notes: 'Progress notes: notes from your visits',
  psychotherapy_notes: "Psychotherapy notes: your therapist's own private notes about your talks",
  assessments: 'Assessments: test results and what they mean',
  treatment_plans: 'Treatment plans: your goals and the plan for your care',
  letters_and_reports: 'Letters and reports about you',
  billing: 'Billing records: your bills and payments',
  part2: 'Records of care for alcohol or drug use',
  third_party: 'Records we got from other doctors or services',
};

/**
 * The default expiry event when none is given: a year from signing, a date the client can see.
 * The record keeps it in English for staff; each language's form says it in its own words.
 */
export const DEFAULT_EXPIRY_EVENT = 'one year after the date you sign this form';

export interface AuthorizationFormFacts {
  practice: {
    name: string;
    privacyOfficerName: string | null;
    privacyOfficerEmail: string | null;
    privacyOfficerPhone: string | null;
  };
  client: { name: string; dateOfBirth: LocalDate; address: string | null };
  recipient: { name: string; organization: string | null; address: string | null; email: string | null };
  /** The classes this form covers (psychotherapy notes alone, or none of them: AUTH-4). */
  documentClasses: readonly DocumentClass[];
  /** The classes of the request this form leaves out (psychotherapy notes need their own form). */
  leftOut: readonly DocumentClass[];
  dateFrom: LocalDate | null;
  dateTo: LocalDate | null;
  purpose: string | null;
  expiresOn: LocalDate | null;
  expiryEvent: string | null;
  psychotherapyNotesOnly: boolean;
}

/** Everything the form says that is not a fact, in one language. Dates come in already in words. */
export interface AuthorizationFormWords {
  /** A date in words, as the letters of this language write it. */
  date: (date: LocalDate) => string;
  title: string;
  /** The title of the separate psychotherapy notes form (AUTH-4). */
  notesTitle: string;
  intro: (practice: string) => string;
  client: { name: string; dateOfBirth: string };
  /** The numbered sections (AUTH-1's elements), then the rights (AUTH-2) and the signature. */
  headings: {
    discloser: string;
    recipient: string;
    records: string;
    purpose: string;
    expiry: string;
    rights: string;
    sign: string;
  };
  discloser: (practice: string) => string;
  recipient: { name: string; organization: string; address: string; email: string };
  records: Readonly<Record<DocumentClass, string>>;
  /** The line to fill in when the request names no class. */
  recordsBlank: string;
  recordDates: {
    fromTo: (from: string, to: string) => string;
    from: (from: string) => string;
    to: (to: string) => string;
    any: string;
  };
  notesOnly: string;
  notesLeftOut: string;
  /** The purpose sentence, given the request's purpose or `atMyRequest`. */
  purpose: (purpose: string) => string;
  atMyRequest: string;
  expiresOn: (date: string) => string;
  /** The expiry sentence, given an event that ends in a stop. */
  expiresAfter: (event: string) => string;
  /** DEFAULT_EXPIRY_EVENT in this language. */
  defaultExpiryEvent: string;
  revoke: {
    /** Whom to send the revocation to, when the practice names its privacy officer. */
    officer: (officer: string, practice: string) => string;
    how: (to: string) => string;
    byEmail: (email: string) => string;
    statement: (howTo: string) => string;
  };
  notConditioned: string;
  redisclosure: string;
  copy: string;
  signIntro: string;
  signatureLines: readonly [signature: string, date: string, name: string, authority: string];
  footer: (practice: string) => string;
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

/** "1 January 2025": a date in words, as the letters write it. */
export function longDate(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** The English form's words. */
export const AUTHORIZATION_FORM_WORDS_EN: AuthorizationFormWords = {
  date: longDate,
  title: 'Your permission to share your records',
  notesTitle: 'Your permission to share psychotherapy notes',
  intro: (practice) =>
    `This form lets ${practice} share some of your records. It says which records, who gets them, and why. Please read it before you sign. Ask us if anything is not clear.`,
  client: { name: 'Client', dateOfBirth: 'Date of birth' },
  headings: {
    discloser: '1. Who will share your records',
    recipient: '2. Who will get your records',
    records: '3. Which records we will share',
    purpose: '4. Why we will share them',
    expiry: '5. When this permission ends',
    rights: 'Your rights',
    sign: 'Sign here',
  },
  discloser: (practice) => `${practice} will share them.`,
  recipient: { name: 'Name', organization: 'Organization', address: 'Address', email: 'Email' },
  records: PLAIN_RECORD_WORDS,
  recordsBlank: 'The records named here: ____________________________',
  recordDates: {
    fromTo: (from, to) => `Records from ${from} to ${to}.`,
    from: (from) => `Records from ${from} to the date you sign this form.`,
    to: (to) => `Records up to ${to}.`,
    any: 'Records from any date, up to the date you sign this form.',
  },
  notesOnly:
    'This form is only for psychotherapy notes. The law asks for a form just for them. It does not cover any other records.',
  notesLeftOut:
    "This form does not cover psychotherapy notes. These are your therapist's own private notes. The law asks for a separate form for them.",
  purpose: (purpose) => `The reason: ${purpose}`,
  atMyRequest: 'At my request.',
  expiresOn: (date) => `This permission ends on ${date}.`,
  expiresAfter: (event) => `This permission ends ${event}`,
  defaultExpiryEvent: DEFAULT_EXPIRY_EVENT,
  revoke: {
    officer: (officer, practice) => `${officer} at ${practice}`,
    how: (to) => `To do this, write us a letter and sign it. Mail it or bring it to ${to}.`,
    byEmail: (email) => `You may also email it to ${email}.`,
    statement: (howTo) =>
      `You can take back (cancel) this permission at any time. ${howTo} It stops us from sharing from the day we get it. It does not undo what we already shared.`,
  },
  notConditioned:
    'You do not have to sign this form. We will still treat you if you do not sign. Your care and your payment for it do not depend on it.',
  redisclosure:
    'The person or group who gets your records may share them with others. If they do, federal privacy law may no longer protect them.',
  copy: 'You will get a copy of this form after you sign it.',
  signIntro:
    'By signing, you say yes to sharing these records. If someone signs for the client, write why they can. For example: parent of a child, guardian, or power of attorney.',
  signatureLines: [
    'Signature of client or representative',
    'Date signed',
    'Name, printed',
    'If not the client: how you may sign for them',
  ],
  footer: (practice) => `Confidential: this form is about a client of ${practice}. The signer gets a copy.`,
};

const ensureStop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

function datesIn(words: AuthorizationFormWords, from: LocalDate | null, to: LocalDate | null): string {
  const w = words.recordDates;
  if (from && to) return w.fromTo(words.date(from), words.date(to));
  if (from) return w.from(words.date(from));
  if (to) return w.to(words.date(to));
  return w.any;
}

function purposeIn(words: AuthorizationFormWords, purpose: string | null): string {
  return purpose?.trim() ? ensureStop(purpose.trim()) : words.atMyRequest;
}

// rule AUTH-1: an expiration date or event; the default event in the form's own words.
function expiryIn(
  words: AuthorizationFormWords,
  f: Pick<AuthorizationFormFacts, 'expiresOn' | 'expiryEvent'>,
): string {
  if (f.expiresOn) return words.expiresOn(words.date(f.expiresOn));
  const event = f.expiryEvent?.trim();
  return words.expiresAfter(
    ensureStop(!event || event === DEFAULT_EXPIRY_EVENT ? words.defaultExpiryEvent : event),
  );
}

/** The dates of the records in plain English (staff's record says them so too). */
export function recordDates(from: LocalDate | null, to: LocalDate | null): string {
  return datesIn(AUTHORIZATION_FORM_WORDS_EN, from, to);
}

/** The purpose as the form says it: the request's, or the client's own request (164.508(c)(1)(iv)). */
export function plainPurpose(purpose: string | null): string {
  return purposeIn(AUTHORIZATION_FORM_WORDS_EN, purpose);
}

/** The expiry as the English form says it (AUTH-1: a date or an event). */
export function plainExpiry(f: Pick<AuthorizationFormFacts, 'expiresOn' | 'expiryEvent'>): string {
  return expiryIn(AUTHORIZATION_FORM_WORDS_EN, f);
}

/** How to revoke, with the practice's own contact (164.508(c)(2)(i)). */
function howToRevoke(p: AuthorizationFormFacts['practice'], words: AuthorizationFormWords): string {
  const to = p.privacyOfficerName ? words.revoke.officer(p.privacyOfficerName, p.name) : p.name;
  const how = words.revoke.how(to);
  return p.privacyOfficerEmail ? `${how} ${words.revoke.byEmail(p.privacyOfficerEmail)}` : how;
}

/** An address on one line: its lines trimmed, the blank ones dropped, joined by commas. */
const oneLine = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(', ');

export interface AuthorizationForm {
  title: string;
  blocks: LetterBlock[];
  /** The client's name and address, at the top of the form. */
  addressee: string[];
  footerNotice: string;
}

/** rule AUTH-7: the form's words and layout in a language (English by default), pre-filled from the facts. */
export function authorizationForm(
  f: AuthorizationFormFacts,
  words: AuthorizationFormWords = AUTHORIZATION_FORM_WORDS_EN,
): AuthorizationForm {
  const label = words.recipient;
  const recipientRows: [string, string][] = [[label.name, f.recipient.name]];
  if (f.recipient.organization) recipientRows.push([label.organization, f.recipient.organization]);
  if (f.recipient.address) recipientRows.push([label.address, oneLine(f.recipient.address)]);
  if (f.recipient.email) recipientRows.push([label.email, f.recipient.email]);
  const records: LetterBlock[] = [
    {
      type: 'list',
      items:
        f.documentClasses.length > 0 ? f.documentClasses.map((c) => words.records[c]) : [words.recordsBlank],
    },
    { type: 'paragraph', text: datesIn(words, f.dateFrom, f.dateTo) },
  ];
  // rule AUTH-4: psychotherapy notes never share a form with other records, and the form says so.
  if (f.psychotherapyNotesOnly) {
    records.push({ type: 'paragraph', text: words.notesOnly });
  } else if (f.leftOut.includes('psychotherapy_notes')) {
    records.push({ type: 'paragraph', text: words.notesLeftOut });
  }

  const blocks: LetterBlock[] = [
    { type: 'paragraph', text: words.intro(f.practice.name) },
    {
      type: 'fields',
      rows: [
        [words.client.name, f.client.name],
        [words.client.dateOfBirth, words.date(f.client.dateOfBirth)],
      ],
    },
    // rule AUTH-1: who may disclose.
    { type: 'heading', text: words.headings.discloser },
    { type: 'paragraph', text: words.discloser(f.practice.name) },
    // rule AUTH-1: who receives.
    { type: 'heading', text: words.headings.recipient },
    { type: 'fields', rows: recipientRows },
    // rule AUTH-1: a specific description of the information.
    { type: 'heading', text: words.headings.records },
    ...records,
    // rule AUTH-1: the purpose.
    { type: 'heading', text: words.headings.purpose },
    { type: 'paragraph', text: words.purpose(purposeIn(words, f.purpose)) },
    // rule AUTH-1: an expiration date or event.
    { type: 'heading', text: words.headings.expiry },
    { type: 'paragraph', text: expiryIn(words, f) },
    { type: 'heading', text: words.headings.rights },
    {
      type: 'list',
      items: [
        // rule AUTH-2, 164.508(c)(2)(i): the right to revoke in writing, how, and its limit.
        words.revoke.statement(howToRevoke(f.practice, words)),
        // rule AUTH-2, 164.508(c)(2)(ii): treatment is not conditioned on signing.
        words.notConditioned,
        // rule AUTH-2, 164.508(c)(2)(iii): redisclosure, and the loss of protection.
        words.redisclosure,
        // rule AUTH-7, 164.508(c)(4): the signer gets a copy.
        words.copy,
      ],
    },
    { type: 'heading', text: words.headings.sign },
    // rule AUTH-1: signature and date, and a representative's authority.
    { type: 'paragraph', text: words.signIntro },
    { type: 'signature', lines: [...words.signatureLines] },
  ];

  return {
    title: f.psychotherapyNotesOnly ? words.notesTitle : words.title,
    blocks,
    addressee: [
      f.client.name,
      ...(f.client.address ? f.client.address.split(/\r?\n/).filter((l) => l.trim()) : []),
    ],
    footerNotice: words.footer(f.practice.name),
  };
}

/** The prose a client reads (paragraphs and list items, not headings, labels or blanks to fill). */
export function formProse(blocks: readonly LetterBlock[]): string {
  return blocks
    .flatMap((b) => (b.type === 'paragraph' ? [b.text] : b.type === 'list' ? b.items : []))
    .join('\n');
}
