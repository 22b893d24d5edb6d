// Add a file to a request: the request document, an authorization, a subpoena or order, a record,
// a letter. Load (scoped: 404 for what the caller may not see) -> authorize (403 with a reason) ->
// check the content -> store it encrypted -> audit, all in one transaction (convention 1).
import type { DocumentClass } from '../../shared/request-kinds.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { checkFileContent, sanitizeFileName } from '../documents/content.js';
import { enforceFileDecision, type FileMeta, storeFile } from '../documents/storage.js';
import type { FilePurpose } from '../documents/vocabulary.js';
import { type AppError, BadRequestError } from '../errors.js';
import { decideFileUpload } from '../policies/documents.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

export interface UploadFileInput {
  requestId: string;
  /**
   * The body as read by the route, or why it could not be read (too large, malformed). A body
   * problem is answered only after the access check, so a caller who may not see the request
   * always gets 404 (and the refusal is audited), whatever they sent.
   */
  upload:
    | {
        ok: true;
        file: { name: string | undefined; data: Buffer };
        purpose: FilePurpose;
        documentClass: DocumentClass | null;
        /** rule SCOPE-1: the dates the document covers (YYYY-MM-DD, from ≤ to), checked before release. */
        dateFrom: string | null;
        dateTo: string | null;
      }
    | { ok: false; error: AppError };
}

export async function uploadFile(ctx: Ctx, input: UploadFileInput): Promise<FileMeta> {
  const { row, facts } = await findVisibleRequest(ctx, input.requestId);
  enforceFileDecision(decideFileUpload(ctx.actor!, facts), row.id);
  const { upload } = input;
  if (!upload.ok) throw upload.error;
  // rule SCOPE-3: a record carries its document class from upload (psychotherapy notes, Part 2…).
  if (upload.purpose === 'record' && !upload.documentClass) {
    throw new BadRequestError('Choose the document class of this record.', [
      { path: 'body.documentClass', message: 'is required for a record (SCOPE-3)' },
    ]);
  }
  const contentType = checkFileContent(upload.file.data);
  const stored = await storeFile(ctx, {
    requestId: row.id,
    purpose: upload.purpose,
    name: sanitizeFileName(upload.file.name, contentType),
    contentType,
    data: upload.file.data,
    documentClass: upload.documentClass,
    dateFrom: upload.dateFrom,
    dateTo: upload.dateTo,
  });
  record(ctx, {
    type: 'file.uploaded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      fileId: stored.id,
      name: stored.name,
      size: stored.size,
      contentType: stored.contentType,
      purpose: stored.purpose,
      documentClass: stored.documentClass,
      dateFrom: stored.dateFrom,
      dateTo: stored.dateTo,
      sha256: stored.sha256,
    },
  });
  return stored;
}
