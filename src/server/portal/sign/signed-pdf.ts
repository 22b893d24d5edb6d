// rule AUTH-1, AUTH-7: the signed authorization: the exact form the client saw, a signature page (the
// drawn mark or the typed name, who signed, the date and time in the practice's time zone, the IP,
// the SHA-256 of the form signed and the statement of electronic signature), and the form's exact
// bytes attached inside the PDF, so anyone can check the hash against what was signed.
// A drawn signature is decoded only by documents/image.ts (its size read from the header first, its
// pixels inflated with a hard limit), after tighter bounds of its own here.
import { PDFDocument } from 'pdf-lib';
import {
  MAX_DRAWN_SIGNATURE_SIDE,
  PNG_DATA_URL_PREFIX,
  type PortalSignature,
} from '../../../shared/schemas/portal-sign.js';
import { imageDimensions, imageToPdf } from '../../documents/image.js';
import { AppError, BadRequestError } from '../../errors.js';
import { embedFonts, MARGIN, MUTED, PageFlow } from '../../pdf/layout.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BAD_DRAWING =
  'The drawn signature could not be read. Clear it and sign again, or type your name instead.';

function badDrawing(message = BAD_DRAWING): never {
  throw new BadRequestError(message, [{ path: 'body.signature.image', message }]);
}

/** The drawn signature as a one-page PDF (safely decoded), or a 400 saying what to do. */
export async function drawnSignaturePdf(dataUrl: string): Promise<Buffer> {
  const b64 = dataUrl.slice(PNG_DATA_URL_PREFIX.length);
  if (!dataUrl.startsWith(PNG_DATA_URL_PREFIX) || !BASE64.test(b64)) badDrawing();
  const png = Buffer.from(b64, 'base64');
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) {
    badDrawing(
      'The drawn signature must be a PNG image. Clear it and sign again, or type your name instead.',
    );
  }
  const dims = imageDimensions(png, 'image/png');
  if (!dims || dims.width === 0 || dims.height === 0) badDrawing();
  if (dims.width > MAX_DRAWN_SIGNATURE_SIDE || dims.height > MAX_DRAWN_SIGNATURE_SIDE) {
    badDrawing('The drawn signature is too large. Clear it and sign again, or type your name instead.');
  }
  try {
    return await imageToPdf(png, 'image/png');
  } catch (err) {
    if (err instanceof AppError) badDrawing();
    throw err;
  }
}

export interface SignatureFacts {
  practiceName: string;
  requestNumber: string;
  clientName: string;
  signature: PortalSignature;
  /** The signature as a PDF page, when drawn. */
  drawn: Buffer | null;
  /** "28 November 2026, 9:41:07 AM EST" in the practice's time zone. */
  signedAtText: string;
  ip: string;
  requesterEmail: string;
  formSha256: string;
  formFileName: string;
}

/** The statement of electronic signature printed on the page (ESIGN / UETA: intent and consent). */
export function electronicSignatureStatement(f: Pick<SignatureFacts, 'clientName' | 'practiceName'>): string {
  return `${f.clientName} signed this form electronically through the ${f.practiceName} request portal. Before signing, the signer ticked two boxes: that they read the form and want these records shared as it says, and that they agree to sign electronically and that this electronic signature is their own, with the same effect as a signature on paper. The form signed is the one whose SHA-256 is printed below; its exact bytes are attached to this PDF.`;
}

/** rule AUTH-7: the form, then the signature page; the form's bytes attached. Same input, same bytes. */
export async function signedPdf(form: Buffer, f: SignatureFacts, at: Date): Promise<Buffer> {
  const doc = await PDFDocument.load(new Uint8Array(form), { updateMetadata: false });
  doc.setModificationDate(at);
  const fonts = await embedFonts(doc);
  const flow = new PageFlow(doc, fonts);
  flow.text(f.practiceName, { size: 13, bold: true, after: 2 });
  flow.text(`Signature page · Reference: ${f.requestNumber}`, { size: 9, color: MUTED });
  flow.rule();
  flow.space(8);
  flow.text('Electronic signature', { size: 13, bold: true, after: 8 });
  flow.text('Signature:', { bold: true, after: 4 });
  if (f.signature.method === 'drawn' && f.drawn) {
    const [page] = await doc.embedPdf(new Uint8Array(f.drawn));
    const box = { w: 260, h: 90 };
    const scale = Math.min(box.w / page!.width, box.h / page!.height);
    const w = page!.width * scale;
    const h = page!.height * scale;
    flow.keep(h + 8);
    const top = flow.room + MARGIN.bottom;
    flow.pages.at(-1)!.drawPage(page!, { x: MARGIN.left, y: top - h, width: w, height: h });
    flow.space(h + 8);
    flow.text('(drawn by the signer)', { size: 9, color: MUTED, after: 8 });
  } else if (f.signature.method === 'typed') {
    flow.text(f.signature.typedName, { size: 18, after: 2 });
    flow.text('(full name typed by the signer as their signature)', { size: 9, color: MUTED, after: 8 });
  }
  const rows: [string, string][] = [
    ['Signed by', f.clientName],
    ['Date and time', f.signedAtText],
    ['IP address', f.ip],
    ['Portal session', `opened with a code sent to ${f.requesterEmail}`],
    ['Form signed', f.formFileName],
    ['SHA-256 of the form', f.formSha256],
  ];
  for (const [label, value] of rows) flow.row([label, value], [1, 3.2], { size: 8.5 });
  flow.space(10);
  flow.text(electronicSignatureStatement(f), { size: 9.5, after: 8 });
  flow.text('The signer gets a copy of this signed form (AUTH-7).', { size: 9, color: MUTED });
  await doc.attach(new Uint8Array(form), f.formFileName, {
    mimeType: 'application/pdf',
    description: `The form as signed (SHA-256 ${f.formSha256})`,
    creationDate: at,
    modificationDate: at,
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
