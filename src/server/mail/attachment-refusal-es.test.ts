// Every reason an emailed file can be refused has its Spanish words (issue 7), so a Spanish requester
// never reads an English reason: the upload's messages, the email-only ones, an image's size.
import { describe, expect, it } from 'vitest';
import {
  DAMAGED_PDF_MESSAGE,
  ENCRYPTED_PDF_MESSAGE,
  NO_QPDF_MESSAGE,
  TOO_LARGE_MESSAGE,
  UNSUPPORTED_TYPE_MESSAGE,
  WRONG_PASSWORD_MESSAGE,
} from '../documents/content.js';
import { DAMAGED_IMAGE_MESSAGE, ImageTooLargeError } from '../documents/image.js';
import { refusalReasonEs } from './attachment-refusal-es.js';
import {
  EMAILED_PROTECTED_PDF_MESSAGE,
  MAX_ATTACHMENTS,
  UNCHECKABLE_ATTACHMENT_MESSAGE,
} from './attachments.js';
import { composeAttachmentRefusal } from './compose.js';

const es = (english: string) =>
  refusalReasonEs(english, EMAILED_PROTECTED_PDF_MESSAGE, UNCHECKABLE_ATTACHMENT_MESSAGE);
const ENGLISH = /\b(the|this|file|your|upload|again)\b/i;

describe('issue 7: refused attachments in Spanish', () => {
  it.each([
    ['too large', TOO_LARGE_MESSAGE, 'pesa más de 25 MB'],
    ['not PDF, JPEG or PNG', UNSUPPORTED_TYPE_MESSAGE, 'Solo se aceptan archivos PDF, JPEG y PNG'],
    ['protected (by email)', EMAILED_PROTECTED_PDF_MESSAGE, 'protegido con una contraseña'],
    ['protected (upload words)', ENCRYPTED_PDF_MESSAGE, 'protegido con una contraseña'],
    ['wrong password', WRONG_PASSWORD_MESSAGE, 'protegido con una contraseña'],
    ['no qpdf', NO_QPDF_MESSAGE, 'protegido con una contraseña'],
    ['damaged PDF', DAMAGED_PDF_MESSAGE, 'dañado o incompleto'],
    ['damaged image', DAMAGED_IMAGE_MESSAGE, 'dañada'],
    ['empty', 'The file is empty.', 'vacío'],
    ['uncheckable', UNCHECKABLE_ATTACHMENT_MESSAGE, 'no se pudo revisar'],
    ['zip bomb', new ImageTooLargeError(20_000, 15_000).message, 'mide 20,000 × 15,000 píxeles'],
    ['too many', `at most ${MAX_ATTACHMENTS} files are accepted per email`, 'como máximo 10 archivos'],
    ['unknown', 'Some reason added later.', 'no se pudo aceptar'],
  ])('%s is said in Spanish', (_name, english, spanish) => {
    const said = es(english);
    expect(said).toContain(spanish);
    expect(said).not.toMatch(ENGLISH);
  });

  it('the email frames the reasons in Spanish, and in English by default', () => {
    const spanish = composeAttachmentRefusal(
      'R-1',
      'Consultorio Sol',
      [es(UNSUPPORTED_TYPE_MESSAGE)],
      2,
      'es',
    );
    expect(spanish.subject).toBe('Re: su correo sobre la solicitud R-1: algunos archivos no se aceptaron');
    expect(spanish.text).toMatch(/^1 de los 2 archivos que usted adjuntó/);
    expect(spanish.html).toContain('Su mensaje sí nos llegó.');
    const one = composeAttachmentRefusal('R-1', 'Consultorio Sol', [es(UNSUPPORTED_TYPE_MESSAGE)], 1, 'es');
    expect(one.text).toMatch(/^El archivo que usted adjuntó sobre la solicitud R-1 no se pudo aceptar:/);
    const english = composeAttachmentRefusal('R-1', 'Sun Counseling', [UNSUPPORTED_TYPE_MESSAGE], 2);
    expect(english.subject).toBe('Re: your email about request R-1: some files were not accepted');
  });
});
