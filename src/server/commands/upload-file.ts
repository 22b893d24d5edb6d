// Add a file to a request: the request document, an authorization, a subpoena or order, a record,
// a letter. Load (scoped: 404 for what the caller may not see) -> authorize (403 with a reason) ->
// check and prepare the content (an image becomes a PDF page, a protected PDF is opened with its
// password, every PDF's structure is checked) -> the same file already there for the same purpose is
// answered as it is (no duplicate) -> store it encrypted -> audit, all in one transaction (convention 1).
// Every refusal comes before anything is stored, so nothing is ever half-stored.
import { createHash } from 'node:crypto';
import { and, asc, eq, ne } from 'drizzle-orm';
import type { DocumentClass } from '../../shared/request-kinds.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { files, users } from '../db/schema.js';
import { prepareUpload } from '../documents/content.js';
import { enforceFileDecision, type FileMeta, storeFile } from '../documents/storage.js';
import type { FileContentType, FilePurpose } from '../documents/vocabulary.js';
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
        /** The password of a protected PDF: used once to open it, never stored, logged or audited. */
        password?: string | null;
      }
    | { ok: false; error: AppError };
}

export interface UploadResult {
  file: FileMeta;
  /** True when the very same file (SHA-256) was already on the request for the same purpose. */
  duplicate: boolean;
}

export async function uploadFile(ctx: Ctx, input: UploadFileInput): Promise<UploadResult> {
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
  const prepared = await prepareUpload(upload.file, { password: upload.password ?? null });
  const sha256 = createHash('sha256').update(prepared.data).digest('hex');

  // Two uploads of one file at once: the second waits here and then finds the first.
  await ctx.client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`upload:${row.id}`]);
  const [same] = await ctx.tx
    .select({
      id: files.id,
      requestId: files.requestId,
      purpose: files.purpose,
      name: files.name,
      contentType: files.contentType,
      size: files.size,
      sha256: files.sha256,
      documentClass: files.documentClass,
      dateFrom: files.dateFrom,
      dateTo: files.dateTo,
      uploadedBy: { id: users.id, name: users.name },
      createdAt: files.createdAt,
    })
    .from(files)
    .innerJoin(users, eq(users.id, files.uploadedBy))
    .where(
      and(
        eq(files.requestId, row.id),
        eq(files.practiceId, row.practiceId),
        eq(files.sha256, sha256),
        eq(files.purpose, upload.purpose),
        ne(files.purpose, 'packet'),
      ),
    )
    .orderBy(asc(files.createdAt))
    .limit(1);
  if (same) {
    const existing: FileMeta = {
      ...same,
      purpose: same.purpose as FilePurpose,
      contentType: same.contentType as FileContentType,
      documentClass: same.documentClass as DocumentClass | null,
    };
    record(ctx, {
      type: 'file.upload_duplicate',
      requestId: row.id,
      clientId: row.clientId,
      data: {
        fileId: existing.id,
        name: existing.name,
        uploadedName: prepared.name,
        purpose: existing.purpose,
        sha256,
      },
    });
    return { file: existing, duplicate: true };
  }

  const stored = await storeFile(ctx, {
    requestId: row.id,
    purpose: upload.purpose,
    name: prepared.name,
    contentType: prepared.contentType,
    data: prepared.data,
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
      receivedAs: prepared.receivedAs,
      ...(prepared.receivedAs !== 'application/pdf' ? { convertedToPdf: true } : {}),
      ...(prepared.decrypted ? { passwordRemoved: true } : {}),
    },
  });
  return { file: stored, duplicate: false };
}
