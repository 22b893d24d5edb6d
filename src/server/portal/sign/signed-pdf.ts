// rule AUTH-1, AUTH-7: the signed authorization: the exact form the client saw, a signature page in
// the form's language, English or Spanish (the drawn mark or the typed name, who signed, the date and
// time in the practice's time zone, the IP, the SHA-256 of the form signed and the statement of
// electronic signature), and the form's exact bytes attached inside the PDF, so anyone can check the
// hash against what was signed.
// A drawn signature is decoded only by documents/image.ts (its size read from the header first, its
// pixels inflated with a hard limit), after tighter bounds of its own here.
import { PDFDocument } from 'pdf-lib';
import type { PortalLanguage } from '../../../shared/schemas/portal.js';
import {
  MAX_DRAWN_SIGNATURE_SIDE,
  PNG_DATA_URL_PREFIX,
  type PortalSignature,
} from '../../../shared/schemas/portal-sign.js';
import { imageDimensions, imageToPdf } from '../../documents/image.js';
import { AppError, BadRequestError } from '../../errors.js';
import { embedFonts, MARGIN, MUTED, PageFlow } from '../../pdf/layout.js';
import { signWords } from './words.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The drawn signature as a one-page PDF (safely decoded), or a 400 saying what to do (in the requester's language). */
export async function drawnSignaturePdf(dataUrl: string, language: PortalLanguage = 'en'): Promise<Buffer> {
  const words = signWords(language).drawing;
  const badDrawing = (message = words.unreadable): never => {
    throw new BadRequestError(message, [{ path: 'body.signature.image', message }]);
  };
  const b64 = dataUrl.slice(PNG_DATA_URL_PREFIX.length);
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX) || !BASE64.test(b64)) badDrawing();
  const png = Buffer.from(b64, 'base64');
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) badDrawing(words.notPng);
  const dims = imageDimensions(png, 'image/png');
  if (!dims || dims.width === 0 || dims.height === 0) return badDrawing();
  if (dims.width > MAX_DRAWN_SIGNATURE_SIDE || dims.height > MAX_DRAWN_SIGNATURE_SIDE) {
    badDrawing(words.tooLarge);
  }
  try {
    return await imageToPdf(png, 'image/png');
  } catch (err) {
    if (err instanceof AppError) badDrawing();
    throw err;
  }
}

export interface SignatureFacts {
  /** The form's language: the signature page is written in it too. */
  language: PortalLanguage;
  practiceName: string;
  requestNumber: string;
  clientName: string;
  signature: PortalSignature;
  /** The signature as a PDF page, when drawn. */
  drawn: Buffer | null;
  /** "March 1, 2027 at 10:00:00 AM PST" (or "1 de marzo de 2027, 10:00:00 a.m. PST"), in the practice's time zone. */
  signedAtText: string;
  ip: string;
  requesterEmail: string;
  formSha256: string;
  formFileName: string;
}

type Statement = (f: Pick<SignatureFacts, 'clientName' | 'practiceName'>) => string;

interface PageWords {
  pageLine: (reference: string) => string;
  heading: string;
  signature: string;
  drawn: string;
  typed: string;
  signedBy: string;
  dateTime: string;
  ip: string;
  session: string;
  sessionValue: (email: string) => string;
  formSigned: string;
  formSha: string;
  statement: Statement;
  copy: string;
  attachment: (sha256: string) => string;
}

/** The statement of electronic signature printed on the page (ESIGN / UETA: intent and consent). */
export const electronicSignatureStatement: Statement = (f) =>
  `${f.clientName} signed this form electronically through the ${f.practiceName} request portal. Before signing, the signer ticked two boxes: that they read the form and want these records shared as it says, and that they agree to sign electronically and that this electronic signature is their own, with the same effect as a signature on paper. The form signed is the one whose SHA-256 is printed below; its exact bytes are attached to this PDF.`;

const WORDS: Readonly<Record<PortalLanguage, PageWords>> = {
  en: {
    pageLine: (r) => `Signature page · Reference: ${r}`,
    heading: 'Electronic signature',
    signature: 'Signature:',
    drawn: '(drawn by the signer)',
    typed: '(full name typed by the signer as their signature)',
    signedBy: 'Signed by',
    dateTime: 'Date and time',
    ip: 'IP address',
    session: 'Portal session',
    sessionValue: (email) => `opened with a code sent to ${email}`,
    formSigned: 'Form signed',
    formSha: 'SHA-256 of the form',
    statement: electronicSignatureStatement,
    copy: 'The signer gets a copy of this signed form (AUTH-7).',
    attachment: (sha) => `The form as signed (SHA-256 ${sha})`,
  },
  es: {
    pageLine: (r) => `Página de firma · Referencia: ${r}`,
    heading: 'Firma electrónica',
    signature: 'Firma:',
    drawn: '(dibujada por quien firma)',
    typed: '(nombre completo escrito por quien firma, como su firma)',
    signedBy: 'Firmado por',
    dateTime: 'Fecha y hora',
    ip: 'Dirección IP',
    session: 'Sesión del portal',
    sessionValue: (email) => `abierta con un código enviado a ${email}`,
    formSigned: 'Formulario firmado',
    formSha: 'SHA-256 del formulario',
    statement: (f) =>
      `${f.clientName} firmó este formulario de forma electrónica en el portal de solicitudes de ${f.practiceName}. Antes de firmar, marcó dos casillas: que leyó el formulario y quiere que se compartan estos expedientes como dice, y que acepta firmar de forma electrónica y que esta firma electrónica es suya, con el mismo valor que una firma en papel. El formulario firmado es el que tiene el SHA-256 que aparece abajo; sus bytes exactos van adjuntos a este PDF.`,
    copy: 'Quien firma recibe una copia de este formulario firmado (AUTH-7).',
    attachment: (sha) => `El formulario tal como se firmó (SHA-256 ${sha})`,
  },
};

/** rule AUTH-7: the form, then the signature page in the form's language; the form's bytes attached. Same input, same bytes. */
export async function signedPdf(form: Buffer, f: SignatureFacts, at: Date): Promise<Buffer> {
  const w = WORDS[f.language];
  const doc = await PDFDocument.load(new Uint8Array(form), { updateMetadata: false });
  doc.setModificationDate(at);
  const fonts = await embedFonts(doc);
  const flow = new PageFlow(doc, fonts);
  flow.text(f.practiceName, { size: 13, bold: true, after: 2 });
  flow.text(w.pageLine(f.requestNumber), { size: 9, color: MUTED });
  flow.rule();
  flow.space(8);
  flow.text(w.heading, { size: 13, bold: true, after: 8 });
  flow.text(w.signature, { bold: true, after: 4 });
  if (f.signature.method === 'drawn' && f.drawn) {
    const [page] = await doc.embedPdf(new Uint8Array(f.drawn));
    const box = { w: 260, h: 90 };
    const scale = Math.min(box.w / page!.width, box.h / page!.height);
    const width = page!.width * scale;
    const h = page!.height * scale;
    flow.keep(h + 8);
    const top = flow.room + MARGIN.bottom;
    flow.pages.at(-1)!.drawPage(page!, { x: MARGIN.left, y: top - h, width, height: h });
    flow.space(h + 8);
    flow.text(w.drawn, { size: 9, color: MUTED, after: 8 });
  } else if (f.signature.method === 'typed') {
    flow.text(f.signature.typedName, { size: 18, after: 2 });
    flow.text(w.typed, { size: 9, color: MUTED, after: 8 });
  }
  const rows: [string, string][] = [
    [w.signedBy, f.clientName],
    [w.dateTime, f.signedAtText],
    [w.ip, f.ip],
    [w.session, w.sessionValue(f.requesterEmail)],
    [w.formSigned, f.formFileName],
    [w.formSha, f.formSha256],
  ];
  for (const [label, value] of rows) flow.row([label, value], [1, 3.2], { size: 8.5 });
  flow.space(10);
  flow.text(w.statement(f), { size: 9.5, after: 8 });
  flow.text(w.copy, { size: 9, color: MUTED });
  await doc.attach(new Uint8Array(form), f.formFileName, {
    mimeType: 'application/pdf',
    description: w.attachment(f.formSha256),
    creationDate: at,
    modificationDate: at,
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
