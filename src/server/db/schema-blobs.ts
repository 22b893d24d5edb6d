// File content (issue 6; rule SEC-4): stored once per practice and SHA-256, chunked in PostgreSQL so
// one backup plus the key holds everything and several instances share one store. A `files` row
// (schema.ts) names its content through `blob_id`; the same bytes uploaded twice in one practice
// are one blob (never shared between practices). Each blob has its own AES-256-GCM key, wrapped by
// a key derived from the master key with the blob id as associated data; each chunk is encrypted
// under that key with the blob id AND the chunk's index as associated data, so chunks cannot be
// reordered or moved to another blob. Migration 0008 adds what drizzle does not describe: the
// foreign key from files (blob, practice, hash, size) and the triggers keeping content unchangeable.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, id, tstz } from './columns.js';
import { practices } from './schema.js';

export const fileBlobs = pgTable(
  'file_blobs',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    /** SHA-256 of the plaintext, hex: with the practice, what makes two uploads the same blob. */
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    /** The blob's own key, sealed with the 'file-key' wrapper and `file-blob:<id>` as associated data. */
    wrappedKey: bytea('wrapped_key').notNull(),
    chunkSize: integer('chunk_size').notNull(),
    chunkCount: integer('chunk_count').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('file_blobs_practice_sha256_key').on(t.practiceId, t.sha256),
    // The target of files' foreign key (blob_id, practice_id, sha256, size): a file's practice,
    // hash and size are its blob's, checked by the database.
    uniqueIndex('file_blobs_identity_key').on(t.id, t.practiceId, t.sha256, t.size),
    check('file_blobs_shape_check', sql`size >= 0 and chunk_size > 0 and chunk_count >= 0`),
  ],
);

export const fileBlobChunks = pgTable(
  'file_blob_chunks',
  {
    blobId: uuid('blob_id')
      .notNull()
      .references(() => fileBlobs.id, { onDelete: 'cascade' }),
    /** 0, 1, 2… in the order of the content. */
    index: integer('index').notNull(),
    iv: bytea('iv').notNull(),
    authTag: bytea('auth_tag').notNull(),
    ciphertext: bytea('ciphertext').notNull(),
  },
  (t) => [
    primaryKey({ name: 'file_blob_chunks_pkey', columns: [t.blobId, t.index] }),
    check('file_blob_chunks_index_check', sql`index >= 0`),
  ],
);
