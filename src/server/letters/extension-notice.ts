// rule TIME-2: the written notice of the one extension of an access request's deadline, as a
// letter: the reason, the original date, the new date, that there is no further extension, and who
// to contact. Sent within the first 30 days (the command refuses an extension after the deadline).
import type { LetterInput } from '../pdf/letter.js';
import { contactSentence, frame, type LetterFacts } from './letterhead.js';

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
