// rule REV-5: the denial letter 164.524(d)(2) requires, in plain words for an anxious reader: the
// basis of the denial, for a partial denial what is released and what is withheld, the right to a
// review by a licensed professional who took no part in it when the ground is reviewable (REV-4) or
// a plain statement that it is not (REV-3), and how to complain to the practice and to HHS.
import type { RequestKind } from '../../shared/request-kinds.js';
import { type DenialGround, isReviewableDenialGround } from '../../shared/review-decisions.js';
import type { LetterInput } from '../pdf/letter.js';
import { type DenialLetterFacts, denialLetterEs } from './denial-letter-es.js';
import {
  contactFields,
  contactSentence,
  describeRecords,
  frame,
  HHS_OCR,
  type PracticeFacts,
  paragraphs,
  plainDate,
  recordClasses,
  type ScopeFacts,
  splitScope,
} from './letterhead.js';

export { HHS_OCR, type ScopeFacts } from './letterhead.js';

/** The basis of each ground, for the person who asked, in plain words (REV-3, REV-4). */
export function groundInPlainWords(ground: DenialGround, clientName: string, kind: RequestKind): string {
  const whose = kind === 'client_access' ? 'your' : `${clientName}’s`;
  switch (ground) {
    // rule REV-3: the grounds that cannot be reviewed (164.524(a)(2)).
    case 'psychotherapy_notes':
      return `The records include psychotherapy notes. These are a therapist’s separate, private notes about sessions. They are kept apart from the rest of ${whose} record. The law does not give a right to get a copy of them.`;
    case 'legal_proceedings':
      return 'Some of the records were prepared for a court case or another legal proceeding. The law does not give a right to get a copy of them.';
    case 'correctional_safety':
      return 'The request comes from a correctional facility. Giving a copy there could put the health or safety of people in the facility at risk.';
    case 'research_in_progress':
      return 'The records are part of a research study that is still going on. When the study began, the client agreed not to see them until it ends. They can be seen once the study is over.';
    case 'privacy_act':
      return 'The records are covered by a federal law, the Privacy Act, which allows us to say no to this request.';
    case 'confidential_source':
      return 'Some of the information came from a person outside the practice who was promised it would be kept private. Giving it to you would likely show who that person is.';
    // rule REV-4: the grounds a licensed professional judged, which can be reviewed (164.524(a)(3)).
    case 'endanger_life_or_safety':
      return `A licensed health professional believes that seeing these records is likely to put ${kind === 'client_access' ? 'your life or physical safety' : `the life or physical safety of ${clientName}`}, or someone else’s, at risk.`;
    case 'harm_to_referenced_person':
      return 'The records mention another person. A licensed health professional believes that giving them to you is likely to cause that person serious harm.';
    case 'representative_harm':
      return `You asked as ${clientName}’s representative. A licensed health professional believes that giving the records to you is likely to cause serious harm to ${clientName} or to another person.`;
  }
}

/** rule REV-5: what a partial denial releases and what it withholds, as lines a reader can check. */
export function releasedAndWithheld(
  requested: ScopeFacts,
  approved: ScopeFacts,
): { released: string[]; withheld: string[] } {
  return splitScope(requested, approved, {
    describe: describeRecords,
    before: (kept, date) => `${recordClasses(kept)} dated before ${plainDate(date)}`,
    after: (kept, date) => `${recordClasses(kept)} dated after ${plainDate(date)}`,
  });
}

/** rule REV-5: how to complain to the practice and to HHS (with the contact's name and phone). */
export function complaintBlocks(practice: PracticeFacts): LetterInput['blocks'] {
  return [
    { type: 'heading', text: 'How to make a complaint' },
    {
      type: 'paragraph',
      text: 'If you think we got this wrong, you can complain to us, to the U.S. Department of Health and Human Services, or to both. You will not be treated any differently because you complained.',
    },
    { type: 'paragraph', text: `To complain to ${practice.name}, contact:` },
    { type: 'fields', rows: contactFields(practice) },
    { type: 'paragraph', text: 'To complain to the federal government, contact:' },
    {
      type: 'fields',
      rows: [
        ['Office', HHS_OCR.name],
        ['Address', HHS_OCR.address],
        ['Phone', HHS_OCR.phone],
        ['Online', HHS_OCR.web],
      ],
    },
  ];
}

/** rule REV-4: the review right and how to use it; rule REV-3: say plainly when there is none. */
export function reviewRightBlocks(ground: DenialGround, practice: PracticeFacts): LetterInput['blocks'] {
  if (!isReviewableDenialGround(ground)) {
    return [
      { type: 'heading', text: 'This decision cannot be reviewed' },
      {
        type: 'paragraph',
        text: 'For this reason, the law does not give a right to have the decision reviewed by another professional. You can still make a complaint, as explained below.',
      },
    ];
  }
  return [
    { type: 'heading', text: 'You can ask for a review of this decision' },
    {
      type: 'paragraph',
      text: 'You have the right to ask for this decision to be reviewed. A licensed health professional chosen by the practice, who took no part in this decision, will look at it again. They can change it.',
    },
    {
      type: 'paragraph',
      text: `To ask for a review, write to or call ${contactSentence(practice)}. Say that you want the denial reviewed, and give the reference at the top of this letter. There is no charge. We will tell you the reviewer’s decision in writing.`,
    },
  ];
}

/** "We will send these by Wednesday 2 December 2026 at the latest." */
export function whenSent(releaseBy: string | null): string {
  return releaseBy
    ? `We will send these by ${releaseBy} at the latest.`
    : 'We will send these as soon as they are ready.';
}

/** The facts of a denial letter (declared with the Spanish words, which need them too). */
export type { DenialLetterFacts } from './denial-letter-es.js';

export const DENIAL_LETTER_NAME = 'denial-letter';

export function denialLetter(f: DenialLetterFacts): LetterInput {
  if (f.language === 'es') return denialLetterEs(f);
  const asked = f.kind === 'client_access' ? 'your records' : `records about ${f.clientName}`;
  const blocks: LetterInput['blocks'] = [
    { type: 'paragraph', text: `Dear ${f.recipient.name},` },
    {
      type: 'paragraph',
      text: `On ${f.received} you asked us for ${asked}: ${describeRecords(f.requested.documentClasses, f.requested.dateFrom, f.requested.dateTo)}.`,
    },
  ];
  if (f.partial) {
    // rule REV-5: everything not denied is still released (164.524(d)(1)).
    const { released, withheld } = releasedAndWithheld(f.requested, f.partial.approved);
    blocks.push(
      {
        type: 'paragraph',
        text: 'We will give you part of what you asked for, but not all of it. This letter explains what we are holding back, why, and what you can do.',
      },
      { type: 'heading', text: 'What we will send you' },
      { type: 'list', items: released.length > 0 ? released : ['The records not listed below.'] },
      { type: 'paragraph', text: whenSent(f.partial.releaseBy) },
      { type: 'heading', text: 'What we are holding back' },
      {
        type: 'list',
        items: withheld.length > 0 ? withheld : ['The parts of these records described below.'],
      },
    );
  } else {
    blocks.push({
      type: 'paragraph',
      text: 'We have decided not to give you these records. This letter explains why, and what you can do.',
    });
  }
  blocks.push(
    { type: 'heading', text: 'Why' },
    { type: 'paragraph', text: groundInPlainWords(f.ground, f.clientName, f.kind) },
    { type: 'paragraph', text: 'In the words of the clinician who made this decision:' },
    ...paragraphs(f.explanation),
    ...reviewRightBlocks(f.ground, f.practice),
    ...complaintBlocks(f.practice),
    { type: 'heading', text: 'Questions' },
    {
      type: 'paragraph',
      text: `If anything in this letter is unclear, please contact ${contactSentence(f.practice)}. We are glad to explain it.`,
    },
    { type: 'paragraph', text: f.practice.name },
  );
  return frame(
    f,
    f.partial
      ? 'We can give you only part of the records you asked for'
      : 'We are not able to give you the records you asked for',
    blocks,
  );
}

/** The note on the thread that goes with the letter (the letter itself is the file). */
export function denialMessage(
  f: Pick<DenialLetterFacts, 'recipient' | 'number' | 'practice' | 'ground' | 'partial'>,
  letterName: string,
): { subject: string; body: string } {
  return {
    subject: `Your records request ${f.number}: our decision`,
    body: [
      `Dear ${f.recipient.name},`,
      '',
      f.partial
        ? `We have made a decision about your request for records (${f.number}). We can give you only part of the records you asked for.`
        : `We have made a decision about your request for records (${f.number}). We are not able to give you the records you asked for.`,
      isReviewableDenialGround(f.ground)
        ? `Our letter explains why, how to ask for a review of this decision, and how to make a complaint. It is attached (${letterName}).`
        : `Our letter explains why, and how to make a complaint. It is attached (${letterName}).`,
      `If you have questions, please contact ${contactSentence(f.practice)}.`,
      '',
      f.practice.name,
    ].join('\n'),
  };
}
