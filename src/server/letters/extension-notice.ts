// rule TIME-2: the written notice of the one extension of an access request's deadline, as a
// letter: the reason, the original date, the new date, that there is no further extension, and who
// to contact. Sent within the first 30 days (the command refuses an extension after the deadline).
import type { LetterInput } from '../pdf/letter.js';
import { contactSentence, frame, type LetterFacts } from './letterhead.js';
import { contactSentenceEs } from './letterhead-es.js';

export interface ExtensionLetterFacts extends LetterFacts {
  /** Long dates: "Monday 2 November 2026". */
  received: string;
  originalDue: string;
  newDue: string;
  /** Why more time is needed, in the words of the staff member who extended it. */
  reason: string;
}

export const EXTENSION_LETTER_NAME = 'extension-notice';

export function extensionLetter(f: ExtensionLetterFacts): LetterInput {
  if (f.language === 'es') return extensionLetterEs(f);
  return frame(f, 'We need more time to answer your request', [
    { type: 'paragraph', text: `Dear ${f.recipient.name},` },
    {
      type: 'paragraph',
      text: `We received your request for records on ${f.received}. We were due to answer by ${f.originalDue}. We need more time to answer it well.`,
    },
    { type: 'heading', text: 'Why we need more time' },
    { type: 'paragraph', text: f.reason },
    { type: 'heading', text: 'Your new date' },
    {
      type: 'fields',
      rows: [
        ['Request received', f.received],
        ['First date', f.originalDue],
        ['New date', f.newDue],
      ],
    },
    // rule TIME-2: one extension only, of at most 30 days.
    {
      type: 'paragraph',
      text: `We will answer by ${f.newDue} at the latest. This is the only extension we can take: we cannot ask for more time again.`,
    },
    { type: 'heading', text: 'What you can do' },
    {
      type: 'paragraph',
      text: 'You do not need to do anything. Your request is still open, and we are working on it.',
    },
    {
      type: 'paragraph',
      text: `If you have questions, or if you need the records sooner, please contact ${contactSentence(f.practice)}.`,
    },
    { type: 'paragraph', text: f.practice.name },
  ]);
}

/** rule TIME-2: the same notice in Spanish (the reason stays in the staff member's words). */
function extensionLetterEs(f: ExtensionLetterFacts): LetterInput {
  return frame(f, 'Necesitamos más tiempo para responder a su solicitud', [
    { type: 'paragraph', text: `Estimado/a ${f.recipient.name}:` },
    {
      type: 'paragraph',
      text: `Recibimos su solicitud de expedientes el ${f.received}. Debíamos responderle a más tardar el ${f.originalDue}. Necesitamos más tiempo para responderle bien.`,
    },
    { type: 'heading', text: 'Por qué necesitamos más tiempo' },
    { type: 'paragraph', text: f.reason },
    { type: 'heading', text: 'Su nueva fecha' },
    {
      type: 'fields',
      rows: [
        ['Solicitud recibida', f.received],
        ['Primera fecha', f.originalDue],
        ['Nueva fecha', f.newDue],
      ],
    },
    // rule TIME-2: one extension only, of at most 30 days.
    {
      type: 'paragraph',
      text: `Le responderemos a más tardar el ${f.newDue}. Esta es la única prórroga que podemos tomar: no podemos pedir más tiempo otra vez.`,
    },
    { type: 'heading', text: 'Qué puede hacer usted' },
    {
      type: 'paragraph',
      text: 'No necesita hacer nada. Su solicitud sigue abierta y estamos trabajando en ella.',
    },
    {
      type: 'paragraph',
      text: `Si tiene preguntas, o si necesita los expedientes antes, comuníquese con ${contactSentenceEs(f.practice)}.`,
    },
    { type: 'paragraph', text: f.practice.name },
  ]);
}
