// What an uploaded file is, judged from its bytes: its type (magic bytes, never the name or the
// declared type), whether a PDF is password-protected, and a name that is safe to store and to send
// back in a Content-Disposition header.
import { AppError, BadRequestError } from '../errors.js';
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
  'This PDF is password-protected; remove the password and upload it again.';

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
    super(422, 'encrypted_pdf', ENCRYPTED_PDF_MESSAGE);
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

/** Check an upload's bytes; answers the type, or throws the precise refusal (400, 413, 415, 422). */
export function checkFileContent(data: Buffer): FileContentType {
  if (data.length === 0) {
    throw new BadRequestError('The file is empty.', [{ path: 'body.file', message: 'is empty' }]);
  }
  if (data.length > MAX_FILE_BYTES) throw new FileTooLargeError();
  const type = sniffContentType(data);
  if (!type) throw new UnsupportedFileTypeError();
  if (type === 'application/pdf' && isEncryptedPdf(data)) throw new EncryptedPdfError();
  return type;
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
