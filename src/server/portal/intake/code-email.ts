// The words of the verification-code email, in the requester's language (plain text only: nothing
// the requester typed is in it, so there is nothing to render inert).
import type { PortalLanguage } from '../../../shared/schemas/portal-intake.js';
import { CODE_TTL_MINUTES } from './codes.js';

export interface CodeEmail {
  subject: string;
  text: string;
}

export function codeEmail(language: PortalLanguage, practiceName: string, code: string): CodeEmail {
  if (language === 'es') {
    return {
      subject: `Su código para pedir registros a ${practiceName}`,
      text: [
        `Su código es: ${code}`,
        '',
        `Escríbalo en el formulario para enviar su solicitud a ${practiceName}. Vale por ${CODE_TTL_MINUTES} minutos.`,
        '',
        'Si usted no pidió este código, puede ignorar este correo: no se envió ninguna solicitud.',
      ].join('\n'),
    };
  }
  return {
    subject: `Your code to request records from ${practiceName}`,
    text: [
      `Your code is: ${code}`,
      '',
      `Type it into the form to send your request to ${practiceName}. It works for ${CODE_TTL_MINUTES} minutes.`,
      '',
      'If you did not ask for this code, you can ignore this email: no request was sent.',
    ].join('\n'),
  };
}
