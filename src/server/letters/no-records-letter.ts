// rule REV-7: when the practice holds none of the records asked for, the request ends with a written
// answer saying so and, where known, where to ask instead (164.524(d)(3)). A request never just closes.
import type { LetterInput } from '../pdf/letter.js';
import { contactSentence, describeRecords, frame, type LetterFacts, paragraphs } from './letterhead.js';
import { contactSentenceEs, describeRecordsEs } from './letterhead-es.js';

export interface NoRecordsLetterFacts extends LetterFacts {
  /** "your records" or "records about Alex Client" (in the letter's language). */
  asked: string;
  received: string;
  requested: { documentClasses: readonly string[]; dateFrom?: string | null; dateTo?: string | null };
  /** The written answer, in the words of the staff member who recorded it. */
  writtenAnswer: string;
  /** Who may hold the records instead, when the practice knows. */
  whereToAsk: string | null;
}

export const NO_RECORDS_LETTER_NAME = 'no-records-answer';

export function noRecordsLetter(f: NoRecordsLetterFacts): LetterInput {
  if (f.language === 'es') return noRecordsLetterEs(f);
  return frame(f, 'We do not have the records you asked for', [
    { type: 'paragraph', text: `Dear ${f.recipient.name},` },
    {
      type: 'paragraph',
      text: `On ${f.received} you asked us for ${f.asked}: ${describeRecords(f.requested.documentClasses, f.requested.dateFrom, f.requested.dateTo)}.`,
    },
    {
      type: 'paragraph',
      text: 'We have looked, and we do not hold any of these records. This is not a refusal: there is nothing here for us to send.',
    },
    { type: 'heading', text: 'Our answer' },
    ...paragraphs(f.writtenAnswer),
    { type: 'heading', text: 'Where to ask instead' },
    // rule REV-7: where to ask instead, when the practice knows.
    ...(f.whereToAsk
      ? [{ type: 'paragraph' as const, text: 'These records may be held by:' }, ...paragraphs(f.whereToAsk)]
      : [
          {
            type: 'paragraph' as const,
            text: 'We do not know who holds these records. If you were seen somewhere else, that provider may have them.',
          },
        ]),
    { type: 'heading', text: 'What happens now' },
    {
      type: 'paragraph',
      text: 'We have closed this request. You can make a new request at any time.',
    },
    {
      type: 'paragraph',
      text: `If you think we do hold these records, or you have questions, please contact ${contactSentence(f.practice)}.`,
    },
    { type: 'paragraph', text: f.practice.name },
  ]);
}

/** rule REV-7: the same answer in Spanish (the staff member's words stay as written). */
function noRecordsLetterEs(f: NoRecordsLetterFacts): LetterInput {
  return frame(f, 'No tenemos los expedientes que usted pidió', [
    { type: 'paragraph', text: `Estimado/a ${f.recipient.name}:` },
    {
      type: 'paragraph',
      text: `El ${f.received} usted nos pidió ${f.asked}: ${describeRecordsEs(f.requested.documentClasses, f.requested.dateFrom, f.requested.dateTo)}.`,
    },
    {
      type: 'paragraph',
      text: 'Los buscamos y no tenemos ninguno de estos expedientes. No es una negativa: simplemente no hay nada aquí que podamos enviarle.',
    },
    { type: 'heading', text: 'Nuestra respuesta' },
    ...paragraphs(f.writtenAnswer),
    { type: 'heading', text: 'Dónde puede pedirlos' },
    // rule REV-7: where to ask instead, when the practice knows.
    ...(f.whereToAsk
      ? [
          { type: 'paragraph' as const, text: 'Es posible que estos expedientes los tenga:' },
          ...paragraphs(f.whereToAsk),
        ]
      : [
          {
            type: 'paragraph' as const,
            text: 'No sabemos quién tiene estos expedientes. Si usted recibió atención en otro lugar, es posible que ese proveedor los tenga.',
          },
        ]),
    { type: 'heading', text: 'Qué pasa ahora' },
    {
      type: 'paragraph',
      text: 'Hemos cerrado esta solicitud. Puede hacer una nueva solicitud en cualquier momento.',
    },
    {
      type: 'paragraph',
      text: `Si cree que sí tenemos estos expedientes, o si tiene preguntas, comuníquese con ${contactSentenceEs(f.practice)}.`,
    },
    { type: 'paragraph', text: f.practice.name },
  ]);
}
