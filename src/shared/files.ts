// The size limit of an uploaded file, the same on both sides: the server refuses a larger one with
// 413 (and stops reading the body there: routes/files/multipart.ts); the web app says so before
// sending it, so a busy clinician is not left waiting on an upload that can only be refused.

export const MAX_FILE_MB = 25;
export const MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024;

/** What a form says, before sending, of a chosen file over the limit. */
export const FILE_TOO_LARGE_TEXT = `The file is larger than ${MAX_FILE_MB} MB.`;
