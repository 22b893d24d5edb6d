// The server's words about signing (issue 7; rules AUTH-7, VER-1, SEC-5): refusals and the requester
// thread's note in the requester's language (usted in Spanish), and the staff note in English. The
// requester's note says where the copy is, never what the form says: its email is a notice with a
// link (the form holds health information, so it is never attached: REL-2, SEC-5).
import type { PortalLanguage } from '../../../shared/schemas/portal.js';

export interface StaffNoteFacts {
  clientName: string;
  signedAt: string;
  ip: string;
  email: string;
  method: 'typed' | 'drawn';
  sha256: string;
  /** The language of the form signed (the request's). */
  formLanguage: PortalLanguage;
}

interface SignWords {
  alreadySigned: string;
  nothingToSign: string;
  formChanged: string;
  notSignedYet: string;
  /** A drawn signature that cannot be used (a 400 before anything is stored). */
  drawing: { unreadable: string; notPng: string; tooLarge: string };
  requesterNote: (signedAt: string) => string;
  staffNote: (f: StaffNoteFacts) => string;
}

/** rule VER-1: the staff note says what the portal proved, and what it did not. */
function staffNote(f: StaffNoteFacts): string {
  return [
    `${f.clientName} signed the practice's authorization form in the portal on ${f.signedAt} (${f.method === 'typed' ? 'typed name' : 'drawn signature'}, IP ${f.ip}).${f.formLanguage === 'es' ? ' The form was in Spanish, the language of the request; the authorization is recorded here in English.' : ''}`,
    `The signed PDF and the form signed (SHA-256 ${f.sha256}) are in Files; the authorization is recorded with its elements, and the signer's copy as given through the portal (AUTH-7).`,
    `Identity is NOT verified by this: the portal session proves only control of the email address ${f.email}. Verify who signed by the practice's usual means and record it (VER-1) before release.`,
  ].join('\n\n');
}

const WORDS: Readonly<Record<PortalLanguage, SignWords>> = {
  en: {
    alreadySigned:
      'You already signed this form. Download your copy on this page. To change it, write to the practice: they will cancel it and prepare a new one.',
    nothingToSign: 'There is no form for you to sign here. If you have questions, contact the practice.',
    formChanged:
      'The form changed after you opened it. Read the new form, then sign again. Nothing was signed.',
    notSignedYet: 'There is no signed form yet.',
    drawing: {
      unreadable:
        'The drawn signature could not be read. Clear it and sign again, or type your name instead.',
      notPng: 'The drawn signature must be a PNG image. Clear it and sign again, or type your name instead.',
      tooLarge: 'The drawn signature is too large. Clear it and sign again, or type your name instead.',
    },
    requesterNote: (signedAt) =>
      `Thank you. You signed the authorization form on ${signedAt}. Your signed copy is on your request page: you can download it there at any time. We will now verify who signed before we send any records.`,
    staffNote,
  },
  es: {
    alreadySigned:
      'Usted ya firmó este formulario. Descargue su copia en esta página. Para cambiarlo, escriba a la consulta: lo cancelarán y prepararán uno nuevo.',
    nothingToSign:
      'Aquí no hay ningún formulario para que usted firme. Si tiene preguntas, comuníquese con la consulta.',
    formChanged:
      'El formulario cambió después de que usted lo abrió. Lea el formulario nuevo y firme otra vez. No se firmó nada.',
    notSignedYet: 'Todavía no hay un formulario firmado.',
    drawing: {
      unreadable: 'No se pudo leer la firma dibujada. Bórrela y firme otra vez, o escriba su nombre.',
      notPng: 'La firma dibujada debe ser una imagen PNG. Bórrela y firme otra vez, o escriba su nombre.',
      tooLarge: 'La firma dibujada es demasiado grande. Bórrela y firme otra vez, o escriba su nombre.',
    },
    requesterNote: (signedAt) =>
      `Gracias. Usted firmó el formulario de autorización el ${signedAt}. Su copia firmada está en la página de su solicitud: puede descargarla allí cuando quiera. Ahora verificaremos quién firmó antes de enviar expedientes.`,
    staffNote,
  },
};

export function signWords(language: PortalLanguage): SignWords {
  return WORDS[language];
}
