// rule REL-4, TIME-4, FEE-7: the accounting of disclosures as the letter the client receives (45 CFR
// 164.528(b)): each accountable disclosure with its date, the recipient and their address, what was
// disclosed and why; the period covered; a plain line when there were none. Pure: the accounting
// (already compiled, suspended entries already left out while the suspension lasts, or exactly as
// provided once sent) comes in, the letter's input goes out; renderLetter writes the PDF.
import type { AccountingView } from '../../shared/schemas/accounting.js';
import { type LocalDate, localDate } from '../../shared/time.js';
import type { LetterInput } from '../pdf/letter.js';
import { longDate } from '../rules/authorization-form.js';

export interface AccountingLetterFacts {
  practice: {
    name: string;
    privacyOfficerName: string | null;
    privacyOfficerEmail: string | null;
    privacyOfficerPhone: string | null;
  };
  client: { name: string; dateOfBirth: LocalDate; address: string | null };
  requester: { name: string; relationship: 'client' | 'representative'; contact: string | null };
  accountingRequestId: string;
  receivedAt: Date;
  fee: { free: boolean; cents: number };
  accounting: AccountingView;
  timeZone: string;
}

const lines = (text: string | null): string[] =>
  (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** The reference printed on every page: the accounting request, never the client's name. */
export const accountingReference = (id: string) => `Accounting ${id.slice(0, 8).toUpperCase()}`;

export const NO_DISCLOSURES =
  'There were none. In this period we did not share your health information in any way the law asks us to list.';

/** rule REL-4: the letter, as renderLetter takes it (the creation date is the accounting's own). */
export function accountingLetter(f: AccountingLetterFacts): LetterInput {
  const a = f.accounting;
  const generatedAt = new Date(a.generatedAt);
  const recipient =
    f.requester.relationship === 'representative'
      ? [f.requester.name, `for ${f.client.name}`, ...lines(f.requester.contact)]
      : [f.client.name, ...lines(f.client.address ?? f.requester.contact)];
  const officer = [
    f.practice.privacyOfficerName,
    f.practice.privacyOfficerPhone,
    f.practice.privacyOfficerEmail,
  ]
    .filter(Boolean)
    .join(' · ');
  const contact = [f.practice.privacyOfficerPhone, f.practice.privacyOfficerEmail]
    .filter(Boolean)
    .join(' or ');
  const count = a.entries.length;

  return {
    letterhead: { practiceName: f.practice.name, lines: officer ? [`Privacy officer: ${officer}`] : [] },
    reference: accountingReference(f.accountingRequestId),
    date: longDate(localDate(generatedAt, f.timeZone)),
    recipient,
    title: 'Accounting of disclosures of your health information',
    blocks: [
      {
        type: 'paragraph',
        text:
          'You asked us for a list of the times we shared your health information with others. This letter is that list. ' +
          'The law calls it an accounting of disclosures.',
      },
      {
        type: 'fields',
        rows: [
          ['Client', f.client.name],
          ['Date of birth', longDate(f.client.dateOfBirth)],
          ['Period covered', `${longDate(a.period.from)} to ${longDate(a.period.to)}`],
          ['Request received', longDate(localDate(f.receivedAt, f.timeZone))],
          ['Disclosures listed', String(count)],
        ],
      },
      { type: 'heading', text: 'The disclosures' },
      count === 0
        ? { type: 'paragraph', text: NO_DISCLOSURES }
        : {
            type: 'table',
            columns: ['Date', 'Recipient and address', 'What was disclosed', 'Purpose'],
            widths: [1.8, 2, 2, 2],
            rows: a.entries.map((e) => [
              longDate(e.date),
              [e.recipient, ...lines(e.address)].join('\n'),
              e.description,
              e.purpose,
            ]),
            empty: NO_DISCLOSURES,
          },
      { type: 'heading', text: 'What this list leaves out' },
      {
        type: 'paragraph',
        text:
          'The law does not ask us to list every time we share records. This list leaves out what we shared with you, ' +
          'for your treatment, for payment, and for our own health care work. It also leaves out what we shared because ' +
          'you gave us written permission.',
      },
      {
        type: 'paragraph',
        text: f.fee.free
          ? 'There is no charge for this list. Your first list in any 12 months is free.'
          : f.fee.cents > 0
            ? `The fee for this list is $${(f.fee.cents / 100).toFixed(2)}, as we told you before we made it.`
            : 'There is no charge for this list.',
      },
      {
        type: 'paragraph',
        text: contact
          ? `If you have questions, please contact our privacy officer${
              f.practice.privacyOfficerName ? `, ${f.practice.privacyOfficerName},` : ''
            } at ${contact}.`
          : `If you have questions, please contact ${f.practice.name}.`,
      },
    ],
    footerNotice: `Confidential health information. Accounting of disclosures (45 CFR 164.528) from ${f.practice.name}.`,
    createdAt: generatedAt,
  };
}
