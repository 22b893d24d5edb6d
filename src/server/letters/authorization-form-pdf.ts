// rule AUTH-7: the practice's authorization form as a PDF in the request's language, the one rendering
// shared by the two ways a client gets it: staff prepare it (commands/prepare-authorization-form.ts) or
// the portal shows it to sign (portal/sign/form.ts). A request made in Spanish gets the form written in
// Spanish (the one builder, rules/authorization-form.ts, with the Spanish words of
// rules/authorization-form-es.ts) with a Spanish letterhead, date and page words; otherwise the English
// form. The file names are in the same language (ASCII only, so every browser and mail client keeps
// them as they are): the client reads the name of the file she is given.

import type { LocalDate } from '../../shared/time.js';
import { type LetterBlock, renderLetter } from '../pdf/letter.js';
import {
  AUTHORIZATION_FORM_WORDS_EN,
  type AuthorizationForm,
  type AuthorizationFormFacts,
  type AuthorizationFormWords,
  authorizationForm,
  longDate,
} from '../rules/authorization-form.js';
import { AUTHORIZATION_FORM_WORDS_ES } from '../rules/authorization-form-es.js';
import { type LetterLanguage, letterhead, SPANISH_PAGE_WORDS } from './letterhead.js';
import { plainDateEs } from './letterhead-es.js';

/** The form's language from the request's (`requests.language`): Spanish only when it says 'es'. */
export function authorizationFormLanguage(requestLanguage: string | null | undefined): LetterLanguage {
  return requestLanguage === 'es' ? 'es' : 'en';
}

/** The form's words for each language a letter is written in (a new language needs its words here). */
const FORM_WORDS: Readonly<Record<LetterLanguage, AuthorizationFormWords>> = {
  en: AUTHORIZATION_FORM_WORDS_EN,
  es: AUTHORIZATION_FORM_WORDS_ES,
};

/** The form's words in a language (pure). */
export function authorizationFormIn(
  language: LetterLanguage,
  facts: AuthorizationFormFacts,
): AuthorizationForm {
  return authorizationForm(facts, FORM_WORDS[language]);
}

export interface RenderedAuthorizationForm {
  title: string;
  blocks: LetterBlock[];
  pdf: Buffer;
}

/** The form as a PDF: same facts, language, day and creation time give the same bytes. */
export async function renderAuthorizationForm(input: {
  language: LetterLanguage;
  facts: AuthorizationFormFacts;
  /** The request number, printed on every page. */
  reference: string;
  /** The date on the form (the practice's day). */
  today: LocalDate;
  createdAt: Date;
}): Promise<RenderedAuthorizationForm> {
  const es = input.language === 'es';
  const form = authorizationFormIn(input.language, input.facts);
  const pdf = await renderLetter({
    letterhead: letterhead(input.facts.practice, input.language),
    reference: input.reference,
    date: es ? plainDateEs(input.today) : longDate(input.today),
    recipient: form.addressee,
    title: form.title,
    blocks: form.blocks,
    footerNotice: form.footerNotice,
    createdAt: input.createdAt,
    ...(es ? { pageWords: SPANISH_PAGE_WORDS } : {}),
  });
  return { title: form.title, blocks: form.blocks, pdf };
}

const FILE_WORDS: Readonly<Record<LetterLanguage, { form: string; notesForm: string; signed: string }>> = {
  en: {
    form: 'authorization-form',
    notesForm: 'authorization-form-psychotherapy-notes',
    signed: 'authorization-signed',
  },
  es: {
    form: 'formulario-autorizacion',
    notesForm: 'formulario-autorizacion-notas-psicoterapia',
    signed: 'autorizacion-firmada',
  },
};

/**
 * The names of the form's files in the request's language, ASCII only ("autorizacion", no accent):
 * the blank form (staff's psychotherapy notes form, AUTH-4, named as such) and the signed copy.
 */
export function authorizationFileNames(
  language: LetterLanguage,
  requestNumber: string,
  psychotherapyNotesOnly = false,
): { form: string; signed: string } {
  const w = FILE_WORDS[language];
  return {
    form: `${psychotherapyNotesOnly ? w.notesForm : w.form}-${requestNumber}.pdf`,
    signed: `${w.signed}-${requestNumber}.pdf`,
  };
}
