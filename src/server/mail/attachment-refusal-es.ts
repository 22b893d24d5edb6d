// Issue 7: why an emailed file was refused, said in Spanish (usted) to a requester whose request is in
// Spanish. The reasons are the staff upload's own messages (documents/content.ts, image.ts) and
// attachments.ts's, kept in English on the thread for staff; the email to the sender says each one
// here. An image's "too large" carries its size, so it is known by its opening words; a reason not
// known here (a new message added later) still reaches the sender as a plain Spanish sentence.
import { MAX_FILE_MB } from '../../shared/files.js';
import {
  DAMAGED_PDF_MESSAGE,
  ENCRYPTED_PDF_MESSAGE,
  NO_QPDF_MESSAGE,
  TOO_LARGE_MESSAGE,
  UNSUPPORTED_TYPE_MESSAGE,
  WRONG_PASSWORD_MESSAGE,
} from '../documents/content.js';
import { DAMAGED_IMAGE_MESSAGE, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from '../documents/image.js';

const PROTECTED_ES =
  'Este PDF está protegido con una contraseña, y una contraseña no se puede enviar con un archivo por correo. Quite la contraseña (o imprímalo como un PDF nuevo) y envíelo otra vez; no se guardó nada.';

const KNOWN: ReadonlyMap<string, string> = new Map([
  [
    TOO_LARGE_MESSAGE,
    `Este archivo pesa más de ${MAX_FILE_MB} MB. Redúzcalo (por ejemplo, escanéelo con menos resolución) o divídalo, y envíelo otra vez.`,
  ],
  [
    UNSUPPORTED_TYPE_MESSAGE,
    'Solo se aceptan archivos PDF, JPEG y PNG, y este archivo no es ninguno de ellos (se revisó su contenido, no solo su nombre).',
  ],
  [ENCRYPTED_PDF_MESSAGE, PROTECTED_ES],
  [WRONG_PASSWORD_MESSAGE, PROTECTED_ES],
  [NO_QPDF_MESSAGE, PROTECTED_ES],
  [
    DAMAGED_PDF_MESSAGE,
    'Este PDF está dañado o incompleto y no se puede abrir (se revisó su estructura). Guárdelo, expórtelo o escanéelo otra vez y envíe el archivo nuevo; no se guardó nada.',
  ],
  [
    DAMAGED_IMAGE_MESSAGE,
    'Esta imagen está dañada o en un formato que no se puede convertir en una página PDF. Guárdela otra vez como JPEG o PNG normal (o escanéela a PDF) y envíela otra vez; no se guardó nada.',
  ],
  ['The file is empty.', 'El archivo está vacío.'],
]);

const number = new Intl.NumberFormat('es-US');

/** One refusal reason (the English words stored for staff) in Spanish. */
export function refusalReasonEs(english: string, protectedByEmail: string, uncheckable: string): string {
  if (english === protectedByEmail) return PROTECTED_ES;
  if (english === uncheckable) {
    return 'Este archivo no se pudo revisar, así que no se guardó. Envíelo otra vez o comuníquese con la consulta.';
  }
  const known = KNOWN.get(english);
  if (known) return known;
  const size =
    /^This image is too large to convert to a PDF page: it says it is ([\d,]+) × ([\d,]+) pixels/.exec(
      english,
    );
  if (size) {
    const [w, h] = [size[1]!, size[2]!].map((n) => number.format(Number(n.replaceAll(',', ''))));
    return (
      `Esta imagen es demasiado grande para convertirla en una página PDF: dice que mide ${w} × ${h} píxeles, ` +
      `y el límite es ${number.format(MAX_IMAGE_SIDE)} píxeles por lado y ${MAX_IMAGE_PIXELS / 1_000_000} megapíxeles. ` +
      'Escanéela o guárdela con menos resolución y envíela otra vez; no se guardó nada.'
    );
  }
  const most = /^at most (\d+) files are accepted per email$/.exec(english);
  if (most) return `se aceptan como máximo ${most[1]} archivos por correo`;
  return 'Este archivo no se pudo aceptar. Envíelo otra vez como PDF, JPEG o PNG, o comuníquese con la consulta.';
}
