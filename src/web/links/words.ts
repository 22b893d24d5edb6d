// The recipient page's words (issue 7): English, and plain Spanish with "usted" for a request made in
// Spanish (the link's public view says which; before it answers, the browser's language: language.ts). A tiny dictionary of its own, outside the portal's
// chunk. The server's refusals are English: the page says them in Spanish from their error code.
import type { Need } from './api';

export type LinkLanguage = 'en' | 'es';

export interface LinkWords {
  htmlLang: LinkLanguage;
  /** The language switch's name (read by screen readers). */
  language: string;
  opening: string;
  waitingTitle: string;
  docTitle: (practice: string | null) => string;
  footer: string;
  reachUs: string;
  fields: Record<Need, string>;
  enterDate: string;
  enterCode: string;
  codeHint: string;
  formLabel: string;
  askCodes: (two: boolean) => string;
  continue: string;
  notYet: string;
  worksUntil: (date: string) => string;
  /** undefined: the browser's own (English page). */
  dateLocale: string | undefined;
  mailTitle: string;
  mailBody: (practice: string, contact: boolean) => string;
  phone: string;
  email: string;
  rightTitle: string;
  ready: string;
  downloadFailed: string;
  download: string;
  within15: string;
  downloaded: string;
  keepPrivate: (fileName: string) => string;
  usesLeft: (left: number) => string;
  closePage: string;
  again: string;
  gone: Record<
    'not_found' | 'link_expired' | 'link_revoked' | 'link_used_up' | 'link_locked' | 'other',
    string
  >;
  goneHelp: string;
  openFailed: string;
  tryLater: string;
  /** A refusal in this language from its error code (null: the server's own words). */
  problem: (code: string, serverMessage: string) => string | null;
}

export const LANGUAGE_NAMES: Readonly<Record<LinkLanguage, string>> = { en: 'English', es: 'Español' };

const EN: LinkWords = {
  htmlLang: 'en',
  language: 'Language',
  opening: 'Opening the secure link…',
  waitingTitle: 'A document is waiting for you',
  docTitle: (p) => (p ? `A document from ${p}` : 'A document is waiting'),
  footer: 'A secure link from your provider. Nobody else can use it without your code.',
  reachUs:
    'To reach the practice, reply to the email this link came in, or call the number on its letters or website.',
  fields: {
    code: 'Confirmation code from the email',
    phoneCode: 'Code read out to you by phone',
    dateOfBirth: 'The client’s date of birth',
  },
  enterDate: 'Enter the date of birth.',
  enterCode: 'Enter the 6-digit code.',
  codeHint: 'Six digits, sent in a separate email.',
  formLabel: 'Confirm it is you',
  askCodes: (two) =>
    two
      ? 'To keep it private, enter the code we sent to your email, and the second check below.'
      : 'To keep it private, enter the code we sent to your email.',
  continue: 'Continue',
  notYet: 'Not yet',
  worksUntil: (d) => `The link works until ${d}.`,
  dateLocale: undefined,
  mailTitle: 'Email is not set up at this practice',
  mailBody: (p, contact) =>
    `The confirmation code may not reach your inbox. Contact ${p || 'the practice'} and they can read it out to you by phone${contact ? ':' : '.'}`,
  phone: 'Phone',
  email: 'Email',
  rightTitle: 'Thank you, that is right',
  ready: 'Your document is ready to download (a PDF).',
  downloadFailed: 'The download did not start',
  download: 'Download the document',
  within15: 'For your privacy, download it within 15 minutes; after that, enter the code again.',
  downloaded: 'Downloaded',
  keepPrivate: (f) => `${f} is in your downloads folder. Keep it somewhere private.`,
  usesLeft: (n) =>
    n > 0
      ? `This link can be used ${n} more ${n === 1 ? 'time' : 'times'}: to download again, enter the code again.`
      : 'This link has now been used as many times as allowed.',
  closePage: 'You can close this page.',
  again: 'Download again',
  gone: {
    not_found: 'This link does not work',
    link_expired: 'This link has expired',
    link_revoked: 'This link is no longer valid',
    link_used_up: 'This link has been used up',
    link_locked: 'This link is locked',
    other: 'This link cannot be used',
  },
  goneHelp:
    'Check that you opened the whole link from the email (it is long, and some email programs break it across lines).',
  openFailed: 'The page could not be opened',
  tryLater: 'Try again in a few minutes.',
  problem: () => null,
};

const ES: LinkWords = {
  htmlLang: 'es',
  language: 'Idioma',
  opening: 'Abriendo el enlace seguro…',
  waitingTitle: 'Tiene un documento esperándole',
  docTitle: (p) => (p ? `Un documento de ${p}` : 'Un documento le espera'),
  footer: 'Un enlace seguro de su proveedor. Nadie más puede usarlo sin su código.',
  reachUs:
    'Para comunicarse con la consulta, responda al correo con el que llegó este enlace o llame al número de sus cartas o su sitio web.',
  fields: {
    code: 'Código de confirmación del correo',
    phoneCode: 'Código que le leyeron por teléfono',
    dateOfBirth: 'Fecha de nacimiento del cliente',
  },
  enterDate: 'Escriba la fecha de nacimiento.',
  enterCode: 'Escriba el código de 6 dígitos.',
  codeHint: 'Seis dígitos, enviados en otro correo.',
  formLabel: 'Confirme que es usted',
  askCodes: (two) =>
    two
      ? 'Para proteger su privacidad, escriba el código que le enviamos por correo y el segundo dato de abajo.'
      : 'Para proteger su privacidad, escriba el código que le enviamos por correo.',
  continue: 'Continuar',
  notYet: 'Todavía no',
  worksUntil: (d) => `El enlace funciona hasta el ${d}.`,
  dateLocale: 'es',
  mailTitle: 'Esta consulta no tiene el correo configurado',
  mailBody: (p, contact) =>
    `Es posible que el código de confirmación no llegue a su correo. Comuníquese con ${p || 'la consulta'} y se lo leerán por teléfono${contact ? ':' : '.'}`,
  phone: 'Teléfono',
  email: 'Correo',
  rightTitle: 'Gracias, es correcto',
  ready: 'Su documento está listo para descargar (un PDF).',
  downloadFailed: 'La descarga no empezó',
  download: 'Descargar el documento',
  within15: 'Por su privacidad, descárguelo en los próximos 15 minutos; después, escriba el código de nuevo.',
  downloaded: 'Descargado',
  keepPrivate: (f) => `${f} está en su carpeta de descargas. Guárdelo en un lugar privado.`,
  usesLeft: (n) =>
    n > 0
      ? `Puede usar este enlace ${n} ${n === 1 ? 'vez' : 'veces'} más: para descargarlo otra vez, escriba el código de nuevo.`
      : 'Este enlace ya se usó todas las veces permitidas.',
  closePage: 'Puede cerrar esta página.',
  again: 'Descargar otra vez',
  gone: {
    not_found: 'Este enlace no funciona',
    link_expired: 'Este enlace venció',
    link_revoked: 'Este enlace ya no es válido',
    link_used_up: 'Este enlace ya se usó todas las veces permitidas',
    link_locked: 'Este enlace está bloqueado',
    other: 'Este enlace no se puede usar',
  },
  goneHelp:
    'Revise que abrió el enlace completo del correo (es largo, y algunos programas de correo lo parten en varias líneas).',
  openFailed: 'No se pudo abrir la página',
  tryLater: 'Inténtelo de nuevo en unos minutos.',
  problem: (code, serverMessage) => {
    const left = /(\d+) tr(?:y|ies) left/.exec(serverMessage)?.[1];
    if (code === 'wrong_code' && left)
      return `Eso no es correcto. Le ${left === '1' ? 'queda 1 intento' : `quedan ${left} intentos`} antes de que el enlace se bloquee.`;
    if (code === 'wrong_code') return 'Eso no es correcto. Revise el correo e inténtelo de nuevo.';
    if (code === 'link_expired' || code === 'link_used_up' || code === 'link_locked')
      return 'Pida un enlace nuevo a quien se lo envió.';
    if (code === 'link_revoked') return 'Pregunte a quien se lo envió si todavía necesita el documento.';
    if (code === 'bad_request') return 'Complete también el segundo dato.';
    if (code === 'file_integrity')
      return 'No se puede abrir el documento. Comuníquese con quien se lo envió.';
    return 'Algo salió mal. Inténtelo de nuevo en unos minutos.';
  },
};

export function linkWords(language: LinkLanguage | undefined): LinkWords {
  return language === 'es' ? ES : EN;
}
