// The vocabulary of request files: why a file is on the request, which types are accepted, and the
// size limit. (The web client reads the same values from the OpenAPI document's enums.)

/**
 * 'request' (the request document itself), 'authorization', 'legal_document', 'record', 'letter',
 * and 'packet' (an assembled packet: written by Release Desk, never uploaded; REL-5).
 */
export const FILE_PURPOSES = [
  'request',
  'authorization',
  'legal_document',
  'record',
  'letter',
  'packet',
] as const;

export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** What staff may upload: every purpose but 'packet', which only the assembly job writes. */
export const UPLOAD_PURPOSES = [
  'request',
  'authorization',
  'legal_document',
  'record',
  'letter',
] as const satisfies readonly FilePurpose[];

/** Only these are accepted, decided by the file's first bytes, never by its name or declared type. */
export const FILE_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export type FileContentType = (typeof FILE_CONTENT_TYPES)[number];

export const FILE_EXTENSIONS: Readonly<Record<FileContentType, string>> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

// The size limit is shared with the web app, which checks it before sending (one definition).
export { MAX_FILE_BYTES, MAX_FILE_MB } from '../../shared/files.js';
export const MAX_FILE_NAME_LENGTH = 200;
