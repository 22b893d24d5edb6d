// rule SEC-4: request files are encrypted at rest. A file's content is a blob of its practice
// (blobs.ts): stored once per (practice, SHA-256), chunked, with its own random AES-256-GCM key
// wrapped (sealed) with a key derived from the master key; the blob id is the associated data of
// the key, the blob id and the chunk's index that of each chunk, so a chunk or a wrapped key copied
// elsewhere fails to open. Rows written before blobs are read as written (legacy-files.ts).
//
// Convention 8: health information is read in one place. `readFile` is the ONLY function that
// decrypts a file; it loads the request through the scoped query, re-checks the policy, verifies
// the checksum and records the download. Nothing else may decrypt a file or hand its bytes around.
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { DocumentClass } from '../../shared/request-kinds.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { files, requests, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { AppError, ForbiddenError, NotFoundError } from '../errors.js';
import { decideFileDownload, type FileDecision } from '../policies/documents.js';
import { findVisibleRequest, type LoadedRequest } from '../queries/visible-requests.js';
import { putBlob, readBlob, sha256Hex } from './blobs.js';
import { openLegacyFile } from './legacy-files.js';
import type { FileContentType, FilePurpose } from './vocabulary.js';

export const INTEGRITY_MESSAGE =
  'This file failed its integrity check and cannot be opened. The privacy officer has been notified in the audit log.';

/** A file that no longer decrypts or no longer matches its checksum: never the raw crypto error. */
export class FileIntegrityError extends AppError {
  constructor(fileId: string) {
    super(500, 'file_integrity', INTEGRITY_MESSAGE, { fileId });
  }
}

/** What may be shown about a file: everything but the key material and the ciphertext. */
export interface FileMeta {
  id: string;
  requestId: string;
  purpose: FilePurpose;
  name: string;
  contentType: FileContentType;
  size: number;
  sha256: string;
  documentClass: DocumentClass | null;
  /** rule SCOPE-1: the dates the document covers. */
  dateFrom: string | null;
  dateTo: string | null;
  uploadedBy: { id: string; name: string };
  createdAt: Date;
}

export interface StoreFileInput {
  requestId: string;
  purpose: FilePurpose;
  name: string;
  contentType: FileContentType;
  data: Buffer;
  documentClass?: DocumentClass | null;
  dateFrom?: string | null;
  dateTo?: string | null;
}

export interface OpenedFile {
  name: string;
  contentType: FileContentType;
  data: Buffer;
}

const metaColumns = {
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
  uploadedById: files.uploadedBy,
  uploadedByName: users.name,
  createdAt: files.createdAt,
};

type MetaRow = Awaited<ReturnType<typeof selectMeta>>[number];

function toMeta(row: MetaRow): FileMeta {
  return {
    id: row.id,
    requestId: row.requestId,
    purpose: row.purpose as FilePurpose,
    name: row.name,
    contentType: row.contentType as FileContentType,
    size: row.size,
    sha256: row.sha256,
    documentClass: row.documentClass as DocumentClass | null,
    dateFrom: row.dateFrom,
    dateTo: row.dateTo,
    uploadedBy: { id: row.uploadedById, name: row.uploadedByName },
    createdAt: row.createdAt,
  };
}

/** Turn a policy decision into the API's answer: 404 for what is not seen, 403 with the reason. */
export function enforceFileDecision(decision: FileDecision, requestId: string): void {
  if (decision.allowed) return;
  if (decision.status === 404) throw new NotFoundError('request', { requestId });
  throw new ForbiddenError(decision.reason, { requestId });
}

/**
 * Encrypt and store a file on a request of the caller's practice. The caller (a command) has
 * already authorized the upload and checked the content; the audit event is the command's.
 */
export async function storeFile(ctx: Ctx, input: StoreFileInput): Promise<FileMeta> {
  const actor = ctx.actor;
  if (!actor || !ctx.practiceId) throw new Error('storeFile needs a signed-in actor');
  const [request] = await ctx.tx
    .select({ id: requests.id })
    .from(requests)
    .where(and(eq(requests.id, input.requestId), eq(requests.practiceId, ctx.practiceId)));
  if (!request) throw new NotFoundError('request', { requestId: input.requestId });

  const id = randomUUID();
  // The same bytes already stored in this practice are not stored again (one blob, two files).
  const blob = await putBlob(ctx.tx, ctx.services.config.masterKey, {
    practiceId: ctx.practiceId,
    data: input.data,
    now: ctx.now,
  });
  await ctx.tx.insert(files).values({
    id,
    practiceId: ctx.practiceId,
    requestId: input.requestId,
    purpose: input.purpose,
    name: input.name,
    contentType: input.contentType,
    size: input.data.length,
    sha256: blob.sha256,
    documentClass: input.documentClass ?? null,
    dateFrom: input.dateFrom ?? null,
    dateTo: input.dateTo ?? null,
    blobId: blob.id,
    uploadedBy: actor.id,
    createdAt: ctx.now,
  });
  const [row] = await selectMeta(ctx).where(eq(files.id, id));
  return toMeta(row!);
}

function selectMeta(ctx: Ctx) {
  return ctx.tx.select(metaColumns).from(files).innerJoin(users, eq(users.id, files.uploadedBy)).$dynamic();
}

/** The files' metadata of a request the caller may see (no content, no key material). */
export async function listFiles(
  ctx: Ctx,
  requestId: string,
): Promise<{ loaded: LoadedRequest; files: FileMeta[] }> {
  const loaded = await findVisibleRequest(ctx, requestId);
  enforceFileDecision(decideFileDownload(ctx.actor!, loaded.facts), requestId);
  const rows = await selectMeta(ctx)
    .where(and(eq(files.requestId, loaded.row.id), eq(files.practiceId, loaded.row.practiceId)))
    .orderBy(asc(files.createdAt), asc(files.id));
  return { loaded, files: rows.map(toMeta) };
}

/**
 * THE one read path of a file's content (convention 8, rules SEC-2, SEC-3, SEC-4): the request is
 * loaded through the scoped query (404 for what the caller may not see), the download policy is
 * checked again, the content is decrypted and its SHA-256 verified, and the download is audited.
 */
export async function readFile(ctx: Ctx, requestId: string, fileId: string): Promise<OpenedFile> {
  const loaded = await findVisibleRequest(ctx, requestId);
  enforceFileDecision(decideFileDownload(ctx.actor!, loaded.facts), requestId);
  const [row] = await ctx.tx
    .select()
    .from(files)
    .where(
      and(
        eq(files.id, fileId),
        eq(files.requestId, loaded.row.id),
        eq(files.practiceId, loaded.row.practiceId),
      ),
    );
  if (!row) throw new NotFoundError('file', { requestId, fileId });

  const data = await openContent(ctx, row);
  if (!data || data.length !== row.size || sha256Hex(data) !== row.sha256) {
    await recordIntegrityFailure(ctx, loaded, row, data ? 'checksum' : 'decryption');
    throw new FileIntegrityError(row.id);
  }
  record(ctx, {
    type: 'file.downloaded',
    requestId: loaded.row.id,
    clientId: loaded.row.clientId,
    data: {
      fileId: row.id,
      name: row.name,
      size: row.size,
      contentType: row.contentType,
      purpose: row.purpose,
    },
  });
  return { name: row.name, contentType: row.contentType as FileContentType, data };
}

/**
 * The plaintext, or null when the key or the content fails authentication (tampered, moved,
 * swapped or reordered). The caller checks the size and SHA-256 against the files row.
 */
async function openContent(ctx: Ctx, row: typeof files.$inferSelect): Promise<Buffer | null> {
  const masterKey = ctx.services.config.masterKey;
  if (row.blobId) return readBlob(ctx.tx, masterKey, { blobId: row.blobId, practiceId: row.practiceId });
  // Written before blobs and not moved yet (boot moves it): read as it was written.
  if (!row.wrappedKey || !row.iv || !row.authTag || !row.ciphertext) return null;
  return openLegacyFile(masterKey, {
    id: row.id,
    wrappedKey: row.wrappedKey,
    iv: row.iv,
    authTag: row.authTag,
    ciphertext: row.ciphertext,
  });
}

/**
 * rule SEC-3: the failed attempt is recorded in its own transaction, so the event survives the
 * rollback of the download's transaction; the privacy officer finds it in the audit log.
 */
async function recordIntegrityFailure(
  ctx: Ctx,
  loaded: LoadedRequest,
  row: typeof files.$inferSelect,
  check: 'decryption' | 'checksum',
): Promise<void> {
  await inTransaction(ctx.services, ctx.meta, ctx.actor, async (own) => {
    record(own, {
      type: 'file.integrity_failed',
      requestId: loaded.row.id,
      clientId: loaded.row.clientId,
      data: { fileId: row.id, name: row.name, size: row.size, failedCheck: check },
    });
  });
}

/** Why the server itself reads a file's content, without a signed-in reader (convention 8). */
export type InternalReadPurpose = 'packet_assembly' | 'secure_link';

/**
 * The second read path, for the server's own work where no staff member reads the file: the
 * assembly job reading the approved records into a packet (the staff member who asked for it is
 * the actor, and is checked again through the scoped query), and a recipient downloading a packet
 * through a secure link (no actor; the link command has checked the link and its codes, REL-2).
 * The same decryption and checksum as readFile; each read is audited as 'packet.source_read' (the
 * link's download is audited by its command). Only packets/ and delivery/ call it (a test says so).
 */
export async function readFileInternal(
  ctx: Ctx,
  input: { requestId: string; fileId: string; purpose: InternalReadPurpose },
): Promise<OpenedFile & { sha256: string }> {
  if (!ctx.practiceId) throw new Error('readFileInternal needs the practice');
  let clientId: string;
  if (input.purpose === 'packet_assembly') {
    const loaded = await findVisibleRequest(ctx, input.requestId);
    enforceFileDecision(decideFileDownload(ctx.actor!, loaded.facts), input.requestId);
    clientId = loaded.row.clientId;
  } else {
    const [req] = await ctx.tx
      .select({ clientId: requests.clientId })
      .from(requests)
      .where(and(eq(requests.id, input.requestId), eq(requests.practiceId, ctx.practiceId)));
    if (!req) throw new NotFoundError('request', { requestId: input.requestId });
    clientId = req.clientId;
  }
  const [row] = await ctx.tx
    .select()
    .from(files)
    .where(
      and(
        eq(files.id, input.fileId),
        eq(files.requestId, input.requestId),
        eq(files.practiceId, ctx.practiceId),
      ),
    );
  if (!row) throw new NotFoundError('file', { requestId: input.requestId, fileId: input.fileId });
  const data = await openContent(ctx, row);
  if (!data || data.length !== row.size || sha256Hex(data) !== row.sha256) {
    await inTransaction(
      ctx.services,
      ctx.meta,
      ctx.actor,
      async (own) => {
        record(own, {
          type: 'file.integrity_failed',
          requestId: input.requestId,
          clientId,
          data: {
            fileId: row.id,
            name: row.name,
            size: row.size,
            failedCheck: data ? 'checksum' : 'decryption',
          },
        });
      },
      { practiceId: ctx.practiceId },
    );
    throw new FileIntegrityError(row.id);
  }
  if (input.purpose === 'packet_assembly') {
    record(ctx, {
      type: 'packet.source_read',
      requestId: input.requestId,
      clientId,
      data: { fileId: row.id, name: row.name, size: row.size, purpose: row.purpose },
    });
  }
  return { name: row.name, contentType: row.contentType as FileContentType, data, sha256: row.sha256 };
}
