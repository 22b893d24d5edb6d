// rule AUTH-7: the authorization form the practice prepares for the client to sign, in plain
// language (164.508(c)(3)), pre-filled from the request with every core element of 164.508(c)(1)
// (AUTH-1) and the three statements of 164.508(c)(2) (AUTH-2), written the way a client reads them,
// and the promise of a copy (164.508(c)(4)). Pure: the facts come in, the letter's blocks go out;
// the command renders and stores them. The words are kept at or below a US 8th-grade reading level
// (readability.ts, checked by the test beside this file).
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

/** The default expiry event when none is given: a year from signing, a date the client can see. */
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

/** The dates of the records in plain words. */
export function recordDates(from: LocalDate | null, to: LocalDate | null): string {
  if (from && to) return `Records from ${longDate(from)} to ${longDate(to)}.`;
  if (from) return `Records from ${longDate(from)} to the date you sign this form.`;
  if (to) return `Records up to ${longDate(to)}.`;
  return 'Records from any date, up to the date you sign this form.';
}

const ensureStop = (s: string) => (/[.!?]$/.test(s) ? s : `${s}.`);

/** The purpose as the form says it: the request's, or the client's own request (164.508(c)(1)(iv)). */
export function plainPurpose(purpose: string | null): string {
  return purpose?.trim() ? ensureStop(purpose.trim()) : 'At my request.';
}

/** The expiry as the form says it (AUTH-1: a date or an event). */
export function plainExpiry(f: Pick<AuthorizationFormFacts, 'expiresOn' | 'expiryEvent'>): string {
  if (f.expiresOn) return `This permission ends on ${longDate(f.expiresOn)}.`;
  return `This permission ends ${ensureStop(f.expiryEvent?.trim() || DEFAULT_EXPIRY_EVENT)}`;
}

/** How to revoke, with the practice's own contact (164.508(c)(2)(i)). */
function howToRevoke(p: AuthorizationFormFacts['practice']): string {
  const to = p.privacyOfficerName ? `${p.privacyOfficerName} at ${p.name}` : p.name;
  const email = p.privacyOfficerEmail ? ` You may also email it to ${p.privacyOfficerEmail}.` : '';
  return `To do this, write us a letter and sign it. Mail it or bring it to ${to}.${email}`;
}

export interface AuthorizationForm {
  title: string;
  blocks: LetterBlock[];
  /** The client's name and address, at the top of the form. */
  addressee: string[];
  footerNotice: string;
}

/** rule AUTH-7: the form's words and layout, pre-filled from the facts. */
export function authorizationForm(f: AuthorizationFormFacts): AuthorizationForm {
  const oneLine = (s: string) =>
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .join(', ');
  const recipientRows: [string, string][] = [
    ['Name', f.recipient.name],
    ...(f.recipient.organization ? ([['Organization', f.recipient.organization]] as [string, string][]) : []),
    ...(f.recipient.address ? ([['Address', oneLine(f.recipient.address)]] as [string, string][]) : []),
    ...(f.recipient.email ? ([['Email', f.recipient.email]] as [string, string][]) : []),
  ];
  const records: LetterBlock[] = [
    {
      type: 'list',
      items:
        f.documentClasses.length > 0
          ? f.documentClasses.map((c) => PLAIN_RECORD_WORDS[c])
          : ['The records named here: ____________________________'],
    },
    { type: 'paragraph', text: recordDates(f.dateFrom, f.dateTo) },
  ];
  if (f.psychotherapyNotesOnly) {
    records.push({
      type: 'paragraph',
      text: 'This form is only for psychotherapy notes. The law asks for a form just for them. It does not cover any other records.',
    });
  } else if (f.leftOut.includes('psychotherapy_notes')) {
    records.push({
      type: 'paragraph',
      text: "This form does not cover psychotherapy notes. These are your therapist's own private notes. The law asks for a separate form for them.",
    });
  }

  const blocks: LetterBlock[] = [
    {
      type: 'paragraph',
      text: `This form lets ${f.practice.name} share some of your records. It says which records, who gets them, and why. Please read it before you sign. Ask us if anything is not clear.`,
    },
    {
      type: 'fields',
      rows: [
        ['Client', f.client.name],
        ['Date of birth', longDate(f.client.dateOfBirth)],
      ],
    },
    { type: 'heading', text: '1. Who will share your records' },
    { type: 'paragraph', text: `${f.practice.name} will share them.` },
    { type: 'heading', text: '2. Who will get your records' },
    { type: 'fields', rows: recipientRows },
    { type: 'heading', text: '3. Which records we will share' },
    ...records,
    { type: 'heading', text: '4. Why we will share them' },
    { type: 'paragraph', text: `The reason: ${plainPurpose(f.purpose)}` },
    { type: 'heading', text: '5. When this permission ends' },
    { type: 'paragraph', text: plainExpiry(f) },
    { type: 'heading', text: 'Your rights' },
    {
      type: 'list',
      items: [
        // rule AUTH-2, 164.508(c)(2)(i): the right to revoke in writing, how, and its limit.
        `You can take back (cancel) this permission at any time. ${howToRevoke(f.practice)} It stops us from sharing from the day we get it. It does not undo what we already shared.`,
        // rule AUTH-2, 164.508(c)(2)(ii): treatment is not conditioned on signing.
        'You do not have to sign this form. We will still treat you if you do not sign. Your care and your payment for it do not depend on it.',
        // rule AUTH-2, 164.508(c)(2)(iii): redisclosure, and the loss of protection.
        'The person or group who gets your records may share them with others. If they do, federal privacy law may no longer protect them.',
        // rule AUTH-7, 164.508(c)(4): the signer gets a copy.
        'You will get a copy of this form after you sign it.',
      ],
    },
    { type: 'heading', text: 'Sign here' },
    {
      type: 'paragraph',
      text: 'By signing, you say yes to sharing these records. If someone signs for the client, write why they can. For example: parent of a child, guardian, or power of attorney.',
    },
    {
      type: 'signature',
      lines: [
        'Signature of client or representative',
        'Date signed',
        'Name, printed',
        'If not the client: how you may sign for them',
      ],
    },
  ];

  return {
    title: f.psychotherapyNotesOnly
      ? 'Your permission to share psychotherapy notes'
      : 'Your permission to share your records',
    blocks,
    addressee: [
      f.client.name,
      ...(f.client.address ? f.client.address.split(/\r?\n/).filter((l) => l.trim()) : []),
    ],
    footerNotice: `Confidential: this form is about a client of ${f.practice.name}. The signer gets a copy.`,
  };
}

/** The prose a client reads (paragraphs and list items, not headings, labels or blanks to fill). */
export function formProse(blocks: readonly LetterBlock[]): string {
  return blocks
    .flatMap((b) => (b.type === 'paragraph' ? [b.text] : b.type === 'list' ? b.items : []))
    .join('\n');
}
