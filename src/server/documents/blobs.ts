// rule SEC-4: a file's content as a blob, stored once per (practice, SHA-256) and chunked in
// PostgreSQL (db/schema-blobs.ts). Each blob has its own random AES-256-GCM key, wrapped like a file
// key (the 'file-key' wrapper) with `file-blob:<id>` as associated data; each chunk of about 1 MiB is
// encrypted under the blob's key with the blob id AND its index as associated data, so a chunk
// copied to another blob, or moved to another place in its own, fails its tag.
//
// Only documents/storage.ts (the read paths) and documents/legacy-files.ts (moving rows written
// before blobs) call these functions (convention 8; one-read-path.test.ts).
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import { deriveKey, seal, unsealWithRing } from '../crypto/seal.js';
import type { Db } from '../db/connect.js';
import { fileBlobChunks, fileBlobs } from '../db/schema-blobs.js';

export const CHUNK_SIZE = 1024 * 1024;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Chunks fetched per query while reading: a few MiB in memory beside the assembled file. */
const CHUNKS_PER_READ = 4;

/** The associated data of a blob's wrapped key (keys rotate spells it the same: crypto/rotate.ts). */
export const blobKeyAad = (blobId: string) => `file-blob:${blobId}`;
const chunkAad = (blobId: string, index: number) => `file-blob:${blobId}:chunk:${index}`;

export const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export interface PutBlobInput {
  practiceId: string;
  data: Buffer;
  now: Date;
}

/**
 * The blob holding these bytes in this practice: the existing one, or a new one written in the
 * caller's transaction (so a rolled-back upload leaves no blob). Two transactions storing the same
 * bytes at once meet on the unique (practice, sha256): the second waits for the first, and then
 * uses its blob if it committed, or writes its own if it rolled back.
 */
export async function putBlob(
  tx: Db,
  masterKey: Buffer,
  input: PutBlobInput,
): Promise<{ id: string; sha256: string; created: boolean }> {
  const { practiceId, data } = input;
  const sha256 = sha256Hex(data);
  const id = randomUUID();
  const blobKey = randomBytes(32);
  try {
    const chunkCount = Math.ceil(data.length / CHUNK_SIZE);
    const inserted = await tx
      .insert(fileBlobs)
      .values({
        id,
        practiceId,
        sha256,
        size: data.length,
        wrappedKey: seal(deriveKey(masterKey, 'file-key'), blobKey, blobKeyAad(id)),
        chunkSize: CHUNK_SIZE,
        chunkCount,
        createdAt: input.now,
      })
      .onConflictDoNothing({ target: [fileBlobs.practiceId, fileBlobs.sha256] })
      .returning({ id: fileBlobs.id });
    if (inserted.length === 0) {
      const [existing] = await tx
        .select({ id: fileBlobs.id })
        .from(fileBlobs)
        .where(and(eq(fileBlobs.practiceId, practiceId), eq(fileBlobs.sha256, sha256)));
      if (!existing) throw new Error('putBlob: the conflicting blob is not visible');
      return { id: existing.id, sha256, created: false };
    }
    for (let index = 0; index < chunkCount; index++) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', blobKey, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(chunkAad(id, index), 'utf8'));
      const plain = data.subarray(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
      const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
      await tx
        .insert(fileBlobChunks)
        .values({ blobId: id, index, iv, authTag: cipher.getAuthTag(), ciphertext });
    }
    return { id, sha256, created: true };
  } finally {
    blobKey.fill(0);
  }
}

/**
 * A blob's plaintext, its chunks read a few at a time and each one's tag verified; null when the
 * key or any chunk fails authentication, or a chunk is missing (tampered, swapped or reordered).
 * The caller verifies the whole file's size and SHA-256 against its files row.
 */
export async function readBlob(
  tx: Db,
  masterKey: Buffer,
  ref: { blobId: string; practiceId: string },
): Promise<Buffer | null> {
  const [blob] = await tx
    .select()
    .from(fileBlobs)
    .where(and(eq(fileBlobs.id, ref.blobId), eq(fileBlobs.practiceId, ref.practiceId)));
  if (!blob) return null;
  let blobKey: Buffer | null = null;
  try {
    // A key rotation in progress: the old or the new master key may wrap it (keys rotate).
    blobKey = unsealWithRing(masterKey, 'file-key', blob.wrappedKey, blobKeyAad(blob.id));
    const parts: Buffer[] = [];
    for (let from = 0; from < blob.chunkCount; from += CHUNKS_PER_READ) {
      const upTo = Math.min(from + CHUNKS_PER_READ, blob.chunkCount);
      const rows = await tx
        .select()
        .from(fileBlobChunks)
        .where(
          and(
            eq(fileBlobChunks.blobId, blob.id),
            gte(fileBlobChunks.index, from),
            lt(fileBlobChunks.index, upTo),
          ),
        )
        .orderBy(asc(fileBlobChunks.index));
      if (rows.length !== upTo - from) return null;
      for (const [i, row] of rows.entries()) {
        const index = from + i;
        if (row.index !== index || row.iv.length !== IV_BYTES || row.authTag.length !== TAG_BYTES)
          return null;
        const decipher = createDecipheriv('aes-256-gcm', blobKey, row.iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(chunkAad(blob.id, index), 'utf8'));
        decipher.setAuthTag(row.authTag);
        parts.push(decipher.update(row.ciphertext), decipher.final());
      }
    }
    return Buffer.concat(parts);
  } catch {
    // The crypto error says nothing useful to the caller and must not reach them (or the log).
    return null;
  } finally {
    blobKey?.fill(0);
  }
}
