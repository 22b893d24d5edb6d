// rule REV-4: the written answer after a denial was reviewed by a licensed professional who took
// no part in it (164.524(d)(4)): upheld (with the basis, no further review, and how to complain),
// upheld in part (what is now released and what is still withheld, REV-5), or overturned.
import type { RequestKind } from '../../shared/request-kinds.js';
import type { DenialGround } from '../../shared/review-decisions.js';
import type { LetterInput } from '../pdf/letter.js';
import {
  complaintBlocks,
  groundInPlainWords,
  releasedAndWithheld,
  type ScopeFacts,
  whenSent,
} from './denial-letter.js';
import {
  complaintBlocksEs,
  groundInPlainWordsEs,
  releasedAndWithheldEs,
  whenSentEs,
} from './denial-letter-es.js';
import { contactSentence, describeRecords, frame, type LetterFacts, paragraphs } from './letterhead.js';
import { askedEs, contactSentenceEs, describeRecordsEs } from './letterhead-es.js';

export type ReviewOutcome =
  | { outcome: 'upheld'; ground: DenialGround; explanation: string }
  | {
      outcome: 'upheld_in_part';
      ground: DenialGround;
      explanation: string;
      approved: ScopeFacts;
      /** A long date, or null when the legal date has passed (send as soon as ready). */
      releaseBy: string | null;
    }
  | { outcome: 'overturned' };

export type DenialReviewFacts = LetterFacts & {
  kind: RequestKind;
  clientName: string;
  received: string;
  requested: ScopeFacts;
} & ReviewOutcome;

export const DENIAL_REVIEW_LETTER_NAME = 'denial-review-outcome';

const TITLES: Record<ReviewOutcome['outcome'], string> = {
  upheld: 'The review of our decision: the decision stands',
  upheld_in_part: 'The review of our decision: you will get part of the records',
  overturned: 'The review of our decision: you will get your records',
};

export function denialReviewLetter(f: DenialReviewFacts): LetterInput {
  if (f.language === 'es') return denialReviewLetterEs(f);
  const asked = f.kind === 'client_access' ? 'your records' : `records about ${f.clientName}`;
  const blocks: LetterInput['blocks'] = [
    { type: 'paragraph', text: `Dear ${f.recipient.name},` },
    {
      type: 'paragraph',
      text: `On ${f.received} you asked us for ${asked}: ${describeRecords(f.requested.documentClasses, f.requested.dateFrom, f.requested.dateTo)}. We said no, and you asked for that decision to be reviewed.`,
    },
    {
      type: 'paragraph',
      text: 'A licensed health professional who took no part in the first decision has now reviewed it.',
    },
  ];
  if (f.outcome === 'overturned') {
    blocks.push(
      { type: 'heading', text: 'The reviewer changed the decision' },
      {
        type: 'paragraph',
        text: 'You will get the records. We are now preparing them, and we will tell you as soon as they are ready.',
      },
      { type: 'heading', text: 'Questions' },
      {
        type: 'paragraph',
        text: `If you have questions, please contact ${contactSentence(f.practice)}.`,
      },
      { type: 'paragraph', text: f.practice.name },
    );
    return frame(f, TITLES.overturned, blocks);
  }
  if (f.outcome === 'upheld_in_part') {
    // rule REV-5: everything not denied is still released (164.524(d)(1)).
    const { released, withheld } = releasedAndWithheld(f.requested, f.approved);
    blocks.push(
      { type: 'heading', text: 'The reviewer changed part of the decision' },
      { type: 'paragraph', text: 'You will get some of the records, but not all of them.' },
      { type: 'heading', text: 'What we will send you' },
      { type: 'list', items: released.length > 0 ? released : ['The records not listed below.'] },
      { type: 'paragraph', text: whenSent(f.releaseBy) },
      { type: 'heading', text: 'What we are still holding back' },
      {
        type: 'list',
        items: withheld.length > 0 ? withheld : ['The parts of these records described below.'],
      },
    );
  } else {
    blocks.push(
      { type: 'heading', text: 'The reviewer agreed with the decision' },
      { type: 'paragraph', text: 'We will not give you these records.' },
    );
  }
  blocks.push(
    { type: 'heading', text: 'Why' },
    { type: 'paragraph', text: groundInPlainWords(f.ground, f.clientName, f.kind) },
    { type: 'paragraph', text: 'In the words of the reviewer:' },
    ...paragraphs(f.explanation),
    // rule REV-4: the reviewer's decision is final at the practice; complaints stay open (REV-5).
    { type: 'heading', text: 'What happens now' },
    {
      type: 'paragraph',
      text: 'This review was the last step at the practice: the decision cannot be reviewed again here. You can still make a complaint, as explained below.',
    },
    ...complaintBlocks(f.practice),
    { type: 'heading', text: 'Questions' },
    {
      type: 'paragraph',
      text: `If anything in this letter is unclear, please contact ${contactSentence(f.practice)}.`,
    },
    { type: 'paragraph', text: f.practice.name },
  );
  return frame(f, TITLES[f.outcome], blocks);
}

const SUMMARY: Record<ReviewOutcome['outcome'], string> = {
  upheld: 'The reviewer agreed with the decision, so it stands.',
  upheld_in_part:
    'The reviewer changed part of the decision: you will get some of the records, but not all of them.',
  overturned: 'The reviewer changed the decision: you will get the records.',
};

/** The note on the thread that goes with the review's letter. */
export function denialReviewMessage(
  f: Pick<DenialReviewFacts, 'recipient' | 'number' | 'practice' | 'outcome'>,
  letterName: string,
): { subject: string; body: string } {
  return {
    subject: `Your records request ${f.number}: the review of our decision`,
    body: [
      `Dear ${f.recipient.name},`,
      '',
      `The review you asked for of our decision about your request for records (${f.number}) is finished. ${SUMMARY[f.outcome]}`,
      `Our letter explains what happens now. It is attached (${letterName}).`,
      `If you have questions, please contact ${contactSentence(f.practice)}.`,
      '',
      f.practice.name,
    ].join('\n'),
  };
}

const TITLES_ES: Record<ReviewOutcome['outcome'], string> = {
  upheld: 'La revisión de nuestra decisión: la decisión se mantiene',
  upheld_in_part: 'La revisión de nuestra decisión: recibirá una parte de los expedientes',
  overturned: 'La revisión de nuestra decisión: recibirá sus expedientes',
};

/** rule REV-4: the review's written answer in Spanish, with the same elements as the English. */
function denialReviewLetterEs(f: DenialReviewFacts): LetterInput {
  const contact = contactSentenceEs(f.practice);
  const blocks: LetterInput['blocks'] = [
    { type: 'paragraph', text: `Estimado/a ${f.recipient.name}:` },
    {
      type: 'paragraph',
      text: `El ${f.received} usted nos pidió ${askedEs(f.kind === 'client_access', f.clientName)}: ${describeRecordsEs(f.requested.documentClasses, f.requested.dateFrom, f.requested.dateTo)}. Le dijimos que no, y usted pidió que se revisara esa decisión.`,
    },
    {
      type: 'paragraph',
      text: 'Un profesional de la salud con licencia que no participó en la primera decisión ya la revisó.',
    },
  ];
  if (f.outcome === 'overturned') {
    blocks.push(
      { type: 'heading', text: 'El revisor cambió la decisión' },
      {
        type: 'paragraph',
        text: 'Usted recibirá los expedientes. Ya los estamos preparando y le avisaremos en cuanto estén listos.',
      },
      { type: 'heading', text: 'Preguntas' },
      { type: 'paragraph', text: `Si tiene preguntas, comuníquese con ${contact}.` },
      { type: 'paragraph', text: f.practice.name },
    );
    return frame(f, TITLES_ES.overturned, blocks);
  }
  if (f.outcome === 'upheld_in_part') {
    // rule REV-5: everything not denied is still released (164.524(d)(1)).
    const { released, withheld } = releasedAndWithheldEs(f.requested, f.approved);
    blocks.push(
      { type: 'heading', text: 'El revisor cambió una parte de la decisión' },
      { type: 'paragraph', text: 'Usted recibirá algunos de los expedientes, pero no todos.' },
      { type: 'heading', text: 'Lo que le enviaremos' },
      { type: 'list', items: released.length > 0 ? released : ['Los expedientes que no aparecen abajo.'] },
      { type: 'paragraph', text: whenSentEs(f.releaseBy) },
      { type: 'heading', text: 'Lo que todavía no le entregaremos' },
      {
        type: 'list',
        items: withheld.length > 0 ? withheld : ['Las partes de estos expedientes que se describen abajo.'],
      },
    );
  } else {
    blocks.push(
      { type: 'heading', text: 'El revisor estuvo de acuerdo con la decisión' },
      { type: 'paragraph', text: 'No le entregaremos estos expedientes.' },
    );
  }
  blocks.push(
    { type: 'heading', text: 'Por qué' },
    { type: 'paragraph', text: groundInPlainWordsEs(f.ground, f.clientName, f.kind) },
    { type: 'paragraph', text: 'En palabras del revisor:' },
    ...paragraphs(f.explanation),
    // rule REV-4: the reviewer's decision is final at the practice; complaints stay open (REV-5).
    { type: 'heading', text: 'Qué pasa ahora' },
    {
      type: 'paragraph',
      text: 'Esta revisión fue el último paso en la consulta: aquí la decisión no se puede volver a revisar. Aun así, usted puede presentar una queja, como se explica más abajo.',
    },
    ...complaintBlocksEs(f.practice),
    { type: 'heading', text: 'Preguntas' },
    { type: 'paragraph', text: `Si algo de esta carta no le queda claro, comuníquese con ${contact}.` },
    { type: 'paragraph', text: f.practice.name },
  );
  return frame(f, TITLES_ES[f.outcome], blocks);
}
