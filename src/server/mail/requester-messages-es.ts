// Issue 7: the messages Release Desk itself posts on the requester thread (read on the portal's status
// page), in the request's language. Spanish is natural, plain and with "usted", in the tone of
// requester-notices-es.ts; staff-typed text (a reason, a written answer) is carried as typed. Pure.
// The English words of the denial, review and extension messages stay where they were
// (letters/denial-letter.ts, letters/denial-review-outcome.ts, clocks/messages.ts); the commands
// pick the Spanish function below for a request whose language is 'es'.
import { type DenialGround, isReviewableDenialGround } from '../../shared/review-decisions.js';
import type { ExtensionNoticeText } from '../clocks/messages.js';
import type { PracticeFacts, RecipientFacts } from '../letters/letterhead.js';
import { contactSentenceEs } from '../letters/letterhead-es.js';

export type ThreadLanguage = 'en' | 'es';

export interface ThreadText {
  subject: string;
  body: string;
}

/** 'es' for a Spanish request, 'en' otherwise (the default). */
export function threadLanguage(language: string | null | undefined): ThreadLanguage {
  return language === 'es' ? 'es' : 'en';
}

/** rule TIME-2: the written notice of the one extension (reason and new date), in Spanish. */
export function extensionNoticeEs(m: ExtensionNoticeText): ThreadText {
  return {
    subject: `Su solicitud de expedientes ${m.number}: necesitamos más tiempo`,
    body: [
      `Estimado/a ${m.requesterName}:`,
      '',
      `Recibimos su solicitud de expedientes (${m.number}) el ${m.received}. Debíamos responderle a más tardar el ${m.originalDue}, pero necesitamos más tiempo por este motivo:`,
      '',
      m.reason,
      '',
      `Le responderemos a más tardar el ${m.newDue}. Solo podemos tomar este tiempo adicional una vez.`,
      ...(m.letterName ? [`Adjuntamos nuestra carta con estos datos (${m.letterName}).`] : []),
      m.contact
        ? `Si tiene preguntas, comuníquese con ${m.contact}.`
        : 'Si tiene preguntas, responda a este mensaje.',
      '',
      m.practiceName,
    ].join('\n'),
  };
}

interface DenialNoteFacts {
  recipient: RecipientFacts;
  number: string;
  practice: PracticeFacts;
}

/** rule REV-3, REV-5: the note that goes with the denial letter, in Spanish. */
export function denialMessageEs(
  f: DenialNoteFacts & { ground: DenialGround; partial: unknown },
  letterName: string,
): ThreadText {
  return {
    subject: `Su solicitud de expedientes ${f.number}: nuestra decisión`,
    body: [
      `Estimado/a ${f.recipient.name}:`,
      '',
      f.partial
        ? `Tomamos una decisión sobre su solicitud de expedientes (${f.number}). Solo podemos darle una parte de los expedientes que pidió.`
        : `Tomamos una decisión sobre su solicitud de expedientes (${f.number}). No podemos darle los expedientes que pidió.`,
      isReviewableDenialGround(f.ground)
        ? `Nuestra carta explica por qué, cómo pedir que se revise esta decisión y cómo presentar una queja. La adjuntamos (${letterName}).`
        : `Nuestra carta explica por qué y cómo presentar una queja. La adjuntamos (${letterName}).`,
      `Si tiene preguntas, comuníquese con ${contactSentenceEs(f.practice)}.`,
      '',
      f.practice.name,
    ].join('\n'),
  };
}

type ReviewOutcomeName = 'upheld' | 'upheld_in_part' | 'overturned';

const REVIEW_SUMMARY_ES: Record<ReviewOutcomeName, string> = {
  upheld: 'El revisor estuvo de acuerdo con la decisión, así que se mantiene.',
  upheld_in_part:
    'El revisor cambió una parte de la decisión: recibirá algunos de los expedientes, pero no todos.',
  overturned: 'El revisor cambió la decisión: recibirá los expedientes.',
};

/** rule REV-4: the note that goes with the review's letter, in Spanish. */
export function denialReviewMessageEs(
  f: DenialNoteFacts & { outcome: ReviewOutcomeName },
  letterName: string,
): ThreadText {
  return {
    subject: `Su solicitud de expedientes ${f.number}: la revisión de nuestra decisión`,
    body: [
      `Estimado/a ${f.recipient.name}:`,
      '',
      `Terminó la revisión que usted pidió de nuestra decisión sobre su solicitud de expedientes (${f.number}). ${REVIEW_SUMMARY_ES[f.outcome]}`,
      `Nuestra carta explica lo que sigue. La adjuntamos (${letterName}).`,
      `Si tiene preguntas, comuníquese con ${contactSentenceEs(f.practice)}.`,
      '',
      f.practice.name,
    ].join('\n'),
  };
}

/**
 * The short messages the commands write inline (no records, withdrawn or cancelled, merged, an
 * authorization revoked), in both languages. The staff's own words are passed in and kept as typed.
 */
export interface InlineWords {
  /** "Release of records R-…: <what>" */
  subject(number: string, what: string): string;
  /** rule REV-7: the staff's written answer, then where to ask instead (when known). */
  noRecordsAnswer(writtenAnswer: string, whereToAsk: string | null): string;
  noRecordsSubject: string;
  letterAttached(letterName: string): string;
  ended(action: 'withdraw' | 'cancel'): string;
  merged(intoNumber: string): { what: string; body: string };
  /** rule AUTH-5 */
  revoked(number: string): { what: string; body: string };
}

const EN: InlineWords = {
  subject: (number, what) => `Release of records ${number}: ${what}`,
  noRecordsAnswer: (answer, where) => (where ? `${answer}\n\nWhere to ask instead: ${where}` : answer),
  noRecordsSubject: 'our answer',
  letterAttached: (name) => `Our letter is attached (${name}).`,
  ended: (action) => (action === 'withdraw' ? 'withdrawn' : 'cancelled'),
  merged: (into) => ({
    what: `combined with ${into}`,
    body: `We have combined this request with your earlier request ${into} and will answer both there.`,
  }),
  revoked: (number) => ({
    what: 'authorization revoked',
    body:
      `The authorization for request ${number} has been revoked in writing. We cannot release records on it. ` +
      'If a new authorization is signed, we will continue with the request.',
  }),
};

const ES: InlineWords = {
  subject: (number, what) => `Su solicitud de expedientes ${number}: ${what}`,
  noRecordsAnswer: (answer, where) => (where ? `${answer}\n\nDónde puede pedirlos: ${where}` : answer),
  noRecordsSubject: 'nuestra respuesta',
  letterAttached: (name) => `Adjuntamos nuestra carta (${name}).`,
  ended: (action) => (action === 'withdraw' ? 'retirada' : 'cancelada'),
  merged: (into) => ({
    what: `unida a la solicitud ${into}`,
    body: `Unimos esta solicitud con la que usted hizo antes, ${into}, y le responderemos sobre ambas allí.`,
  }),
  revoked: (number) => ({
    what: 'autorización revocada',
    body:
      `La autorización de la solicitud ${number} fue revocada por escrito. No podemos entregar expedientes con ella. ` +
      'Si se firma una nueva autorización, continuaremos con la solicitud.',
  }),
};

export function inlineWords(language: ThreadLanguage): InlineWords {
  return language === 'es' ? ES : EN;
}
