// What an uploaded file is, judged from its bytes: its type (magic bytes, never the name or the
// declared type), whether a PDF is password-protected, and a name that is safe to store and to send
// back in a Content-Disposition header. `prepareUpload` turns an accepted upload into the PDF that is
// stored: a JPEG or PNG becomes a PDF page sized to the image as displayed (image.ts: its declared
// size checked before any decoding, a photo turned upright by its EXIF orientation), a
// password-protected PDF is opened with its password by qpdf, and every PDF's structure is checked
// the way the packet will read it (pdf-lib), so what is stored can always go in a packet.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EncryptedPDFError, PDFDocument } from 'pdf-lib';
import { AppError, BadRequestError } from '../errors.js';
import { imageToPdf } from './image.js';
import {
  FILE_EXTENSIONS,
  type FileContentType,
  MAX_FILE_BYTES,
  MAX_FILE_MB,
  MAX_FILE_NAME_LENGTH,
} from './vocabulary.js';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

export const TOO_LARGE_MESSAGE = `This file is larger than ${MAX_FILE_MB} MB. Reduce its size (for example, scan at a lower resolution) or split it, and upload it again.`;
export const UNSUPPORTED_TYPE_MESSAGE =
  'Only PDF, JPEG and PNG files can be uploaded, and this file is none of them (its contents were checked, not just its name).';
export const ENCRYPTED_PDF_MESSAGE =
  'This PDF is protected by a password. Enter its password with the file (it is used once to open the file and never kept), or remove the password and upload it again.';
export const WRONG_PASSWORD_MESSAGE =
  'That password does not open this PDF. Check it (capital letters count) and try again; nothing was stored.';
export const NO_QPDF_MESSAGE =
  'This server cannot open password-protected PDFs: its PDF tool (qpdf) is not installed. Remove the password from the file and upload it again, or ask your administrator to install qpdf.';
export const DAMAGED_PDF_MESSAGE =
  'This PDF is damaged or incomplete and cannot be opened (its structure was checked). Save, export or scan it again and upload the new file; nothing was stored.';
export class FileTooLargeError extends AppError {
  constructor() {
    super(413, 'payload_too_large', TOO_LARGE_MESSAGE, { maxBytes: MAX_FILE_BYTES });
  }
}

export class UnsupportedFileTypeError extends AppError {
  constructor() {
    super(415, 'unsupported_media_type', UNSUPPORTED_TYPE_MESSAGE, {
      accepted: Object.keys(FILE_EXTENSIONS),
    });
  }
}

export class EncryptedPdfError extends AppError {
  constructor() {
    super(422, 'encrypted_pdf', ENCRYPTED_PDF_MESSAGE, {
      fields: [{ path: 'body.password', message: 'is needed to open this PDF' }],
    });
  }
}

export class WrongPdfPasswordError extends AppError {
  constructor() {
    super(422, 'wrong_pdf_password', WRONG_PASSWORD_MESSAGE, {
      fields: [{ path: 'body.password', message: 'does not open this PDF' }],
    });
  }
}

/** qpdf is missing: the server itself cannot open protected PDFs (a plain answer, not a 500). */
export class PdfToolMissingError extends AppError {
  constructor() {
    super(422, 'encrypted_pdf_unsupported', NO_QPDF_MESSAGE);
  }
}

export class DamagedPdfError extends AppError {
  constructor() {
    super(422, 'damaged_pdf', DAMAGED_PDF_MESSAGE);
  }
}

/** The type the bytes say the file is, or null when it is not one we accept. */
export function sniffContentType(data: Buffer): FileContentType | null {
  const startsWith = (magic: Buffer) =>
    data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
  if (startsWith(PDF_MAGIC)) return 'application/pdf';
  if (startsWith(PNG_MAGIC)) return 'image/png';
  if (startsWith(JPEG_MAGIC)) return 'image/jpeg';
  return null;
}

const TRAILER = Buffer.from('trailer', 'latin1');
const STARTXREF = Buffer.from('startxref', 'latin1');
const XREF_TYPE = /\/Type\s*\/XRef(?![A-Za-z0-9])/;
const ENCRYPT_KEY = /\/Encrypt(?![A-Za-z0-9])/;
const WINDOW = 8 * 1024;

/**
 * A PDF is password-protected when its trailer (classic cross-reference table) or the dictionary of
 * a cross-reference stream (PDF 1.5+) names an /Encrypt dictionary. Every trailer is checked, so
 * linearized files and incremental updates are covered; text in page content does not count.
 */
export function isEncryptedPdf(data: Buffer): boolean {
  for (let at = data.indexOf(TRAILER); at !== -1; at = data.indexOf(TRAILER, at + TRAILER.length)) {
    const end = data.indexOf(STARTXREF, at);
    const slice = data.subarray(at, end === -1 ? Math.min(data.length, at + WINDOW) : end);
    if (ENCRYPT_KEY.test(slice.toString('latin1'))) return true;
  }
  const xrefTag = Buffer.from('/XRef', 'latin1');
  for (let at = data.indexOf(xrefTag); at !== -1; at = data.indexOf(xrefTag, at + xrefTag.length)) {
    // The stream's dictionary: from its "obj" keyword to its "stream" keyword.
    const start = Math.max(0, data.lastIndexOf('obj', at, 'latin1'), at - WINDOW);
    const stop = data.indexOf('stream', at, 'latin1');
    const dict = data.subarray(
      start,
      stop === -1 ? Math.min(data.length, at + WINDOW) : Math.min(stop, at + WINDOW),
    );
    const text = dict.toString('latin1');
    if (XREF_TYPE.test(text) && ENCRYPT_KEY.test(text)) return true;
  }
  return false;
}

/** The type of an upload's bytes, or the precise refusal (400 empty, 413 too large, 415 another type). */
export function checkFileType(data: Buffer): FileContentType {
  if (data.length === 0) {
    throw new BadRequestError('The file is empty.', [{ path: 'body.file', message: 'is empty' }]);
  }
  if (data.length > MAX_FILE_BYTES) throw new FileTooLargeError();
  const type = sniffContentType(data);
  if (!type) throw new UnsupportedFileTypeError();
  return type;
}

/** Check an upload's bytes without opening them; answers the type, or throws the precise refusal (400, 413, 415, 422). */
export function checkFileContent(data: Buffer): FileContentType {
  const type = checkFileType(data);
  if (type === 'application/pdf' && isEncryptedPdf(data)) throw new EncryptedPdfError();
  return type;
}

export interface PreparedUpload {
  /** What is stored: always a PDF (images converted, protected PDFs opened). */
  contentType: 'application/pdf';
  data: Buffer;
  name: string;
  /** The type the upload arrived as. */
  receivedAs: FileContentType;
  /** A password-protected PDF was opened (with the password given, or an empty user password). */
  decrypted: boolean;
}

/**
 * Turn an upload into the PDF to store, or throw the precise refusal: 400 empty, 413 over 25 MB
 * (the opened PDF too), 415 not PDF/JPEG/PNG, 422 protected without (or with the wrong) password,
 * protected while qpdf is missing, a damaged PDF or image, an image too large to decode.
 * The password is handed to qpdf on its standard input only: never an argument, a file or a log line.
 */
export async function prepareUpload(
  file: { name: string | undefined; data: Buffer },
  opts: { password?: string | null } = {},
): Promise<PreparedUpload> {
  const receivedAs = checkFileType(file.data);
  let data: Buffer;
  let decrypted = false;
  if (receivedAs === 'application/pdf') {
    data = file.data;
    if (isEncryptedPdf(data) || (await needsOpening(data))) {
      data = await decryptPdf(data, opts.password ?? null);
      decrypted = true;
      if (data.length > MAX_FILE_BYTES) throw new FileTooLargeError();
    }
    await checkPdfStructure(data);
  } else {
    data = await imageToPdf(file.data, receivedAs);
    if (data.length > MAX_FILE_BYTES) throw new FileTooLargeError();
  }
  const stem = receivedAs === 'application/pdf' ? file.name : stripImageExtension(file.name);
  return {
    contentType: 'application/pdf',
    data,
    name: sanitizeFileName(stem, 'application/pdf'),
    receivedAs,
    decrypted,
  };
}

function stripImageExtension(name: string | undefined): string | undefined {
  return name?.replace(/\.(jpe?g|png)\s*$/i, '');
}

/** pdf-lib's own judgement that the file is encrypted (the trailer scan above catches most first). */
async function needsOpening(data: Buffer): Promise<boolean> {
  try {
    await PDFDocument.load(data, { updateMetadata: false });
    return false;
  } catch (err) {
    return err instanceof EncryptedPDFError;
  }
}

/** The PDF opens the way packet assembly opens it (packets/render.ts), and every page can be reached. */
async function checkPdfStructure(data: Buffer): Promise<void> {
  try {
    const doc = await PDFDocument.load(data, { updateMetadata: false });
    const count = doc.getPageCount();
    const pages = doc.getPages();
    if (pages.length !== count) throw new Error('page tree');
    for (const page of pages) page.getSize();
  } catch (err) {
    if (err instanceof EncryptedPDFError) throw new EncryptedPdfError();
    throw new DamagedPdfError();
  }
}

const QPDF_TIMEOUT_MS = 60_000;

/**
 * `qpdf --decrypt --password-file=-`: the password goes in on stdin, the opened PDF comes out on
 * stdout; only the (still protected) upload touches the disk, in a private temporary folder removed
 * at once. Without a password the empty user password is tried (a PDF that only restricts printing
 * or copying opens in any reader, so it is opened here too).
 */
async function decryptPdf(data: Buffer, password: string | null): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'rd-upload-'));
  try {
    await chmod(dir, 0o700);
    const input = path.join(dir, 'upload.pdf');
    await writeFile(input, data, { mode: 0o600 });
    const out = await runQpdf(
      ['--decrypt', '--password-file=-', '--deterministic-id', input, '-'],
      password ?? '',
    );
    if (out.kind === 'missing') throw new PdfToolMissingError();
    if (out.kind === 'ok') return out.stdout;
    if (/invalid password/i.test(out.stderr)) {
      throw password ? new WrongPdfPasswordError() : new EncryptedPdfError();
    }
    throw new DamagedPdfError();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type QpdfOutcome = { kind: 'ok'; stdout: Buffer } | { kind: 'failed'; stderr: string } | { kind: 'missing' };

function runQpdf(args: string[], stdin: string): Promise<QpdfOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn('qpdf', args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: QPDF_TIMEOUT_MS });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let settled = false;
    const settle = (outcome: QpdfOutcome | Error) => {
      if (settled) return;
      settled = true;
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      settle(e.code === 'ENOENT' ? { kind: 'missing' } : new Error('qpdf could not be started'));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      // Far past what could be stored: stop reading (the caller answers 413).
      if (outBytes > 2 * MAX_FILE_BYTES) {
        child.kill('SIGKILL');
        settle(new FileTooLargeError());
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 4096) err += chunk.toString('utf8');
    });
    child.on('close', (code) => {
      // 0: done; 3: done with warnings (a repaired cross-reference table, say).
      if (code === 0 || code === 3) settle({ kind: 'ok', stdout: Buffer.concat(out) });
      else settle({ kind: 'failed', stderr: err });
    });
    child.stdin.on('error', () => {
      // qpdf may exit before reading its stdin (a file it cannot parse): the close handler answers.
    });
    child.stdin.end(stdin, 'utf8');
  });
}

// Control characters, format characters (bidirectional overrides, zero-width marks that disguise an
// extension) and characters reserved in file names on common systems.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}<>:"/\\|?*]/gu;

/**
 * A name safe to store and to offer for download: no path parts, no control or format characters,
 * NFC, at most 200 characters with the extension kept, and an extension that matches the content.
 */
export function sanitizeFileName(raw: string | undefined, type: FileContentType): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const name = base
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(UNSAFE, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const wanted = FILE_EXTENSIONS[type];
  const accepted = type === 'image/jpeg' ? ['.jpg', '.jpeg'] : [wanted];
  const ext = accepted.find((e) => name.toLowerCase().endsWith(e));
  let stem = ext ? name.slice(0, -ext.length).trimEnd() : name;
  const suffix = ext ? name.slice(-ext.length) : wanted;
  if (stem.length === 0) stem = 'file';
  return `${truncate(stem, MAX_FILE_NAME_LENGTH - suffix.length)}${suffix}`;
}

/** At most `max` UTF-16 units, cut between code points so a surrogate pair is never split. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trimEnd() || 'file';
}

/** `attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 / RFC 8187). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
