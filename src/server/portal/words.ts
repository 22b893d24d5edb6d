// The requester's words the server writes for the portal (issue 7): the code email and the refusals,
// in English and Spanish (usted). Pure.
import type { PortalLanguage } from '../../shared/schemas/portal.js';

export interface PortalWords {
  linkGone: string;
  locked: string;
  wrongCode: (left: number) => string;
  codeExpired: string;
  noCodeYet: string;
  tooManyCodes: string;
  sessionGone: string;
  codeSubject: (practiceName: string) => string;
  codeBody: (practiceName: string, code: string, minutes: number) => string;
  notReady: string;
  secondChannel: string;
  payDirectlyNote: string;
}

export const PORTAL_WORDS: Readonly<Record<PortalLanguage, PortalWords>> = {
  en: {
    linkGone:
      'This link does not work. It may be incomplete or too old. Open the link in the latest email from the practice, or contact them.',
    locked:
      'This link is locked after too many wrong codes. Open the link in a newer email from the practice, or contact them.',
    wrongCode: (left) => `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`,
    codeExpired: 'That code has expired. Ask for a new one.',
    noCodeYet: 'Ask for a code first.',
    tooManyCodes: 'We have sent several codes already. Check your inbox (and spam folder), or wait an hour.',
    sessionGone: 'For your privacy, this page closed. Open the link in your email again to see your request.',
    codeSubject: (p) => `Your code for ${p}`,
    codeBody: (p, code, minutes) =>
      [
        `Your code to see your records request at ${p} is:`,
        '',
        code,
        '',
        `It works for ${minutes} minutes. If you did not ask for it, you can ignore this email.`,
      ].join('\n'),
    notReady: 'The records are not ready to download yet.',
    secondChannel:
      'These records need a second code. Use the secure link in the email we sent you, with the code we read out to you.',
    payDirectlyNote: 'Online payment is not set up at this practice.',
  },
  es: {
    linkGone:
      'Este enlace no funciona. Puede estar incompleto o ser muy antiguo. Abra el enlace del correo más reciente de la consulta, o comuníquese con ella.',
    locked:
      'Este enlace se bloqueó después de demasiados códigos incorrectos. Abra el enlace de un correo más reciente de la consulta, o comuníquese con ella.',
    wrongCode: (left) =>
      `Ese código no es correcto. ${left === 1 ? 'Le queda 1 intento' : `Le quedan ${left} intentos`}.`,
    codeExpired: 'Ese código ya venció. Pida uno nuevo.',
    noCodeYet: 'Primero pida un código.',
    tooManyCodes:
      'Ya le enviamos varios códigos. Revise su bandeja de entrada (y la carpeta de correo no deseado), o espere una hora.',
    sessionGone:
      'Por su privacidad, esta página se cerró. Vuelva a abrir el enlace de su correo para ver su solicitud.',
    codeSubject: (p) => `Su código para ${p}`,
    codeBody: (p, code, minutes) =>
      [
        `Su código para ver su solicitud de expedientes en ${p} es:`,
        '',
        code,
        '',
        `Sirve durante ${minutes} minutos. Si usted no lo pidió, puede ignorar este correo.`,
      ].join('\n'),
    notReady: 'Los expedientes todavía no están listos para descargar.',
    secondChannel:
      'Estos expedientes necesitan un segundo código. Use el enlace seguro del correo que le enviamos, con el código que le dimos por teléfono.',
    payDirectlyNote: 'Esta consulta no tiene configurado el pago en línea.',
  },
};

export function wordsFor(language: string | null | undefined): PortalWords {
  return language === 'es' ? PORTAL_WORDS.es : PORTAL_WORDS.en;
}

/** "j•••@example.org" */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
}
