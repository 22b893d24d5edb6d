// rule SEC-4: files written before blobs (migration 0008) hold their content in their own row: a
// key wrapped with `file:<id>` and one AES-256-GCM ciphertext. SQL cannot re-encrypt, so the
// migration keeps those columns (nullable) and boot moves each such row to a blob of its practice
// (`moveLegacyFiles`), one small transaction per batch; until it is moved a row is read as it was
// written (`openLegacyFile`), so an upgraded practice never loses sight of a file.
import { createDecipheriv } from 'node:crypto';
import type pg from 'pg';
import { unsealWithRing } from '../crypto/seal.js';
import { drizzleOn } from '../db/connect.js';
import { putBlob, sha256Hex } from './blobs.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface LegacyContent {
  id: string;
  wrappedKey: Buffer;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

/** The plaintext of a row written before blobs, or null when its key or content fails authentication. */
export function openLegacyFile(masterKey: Buffer, row: LegacyContent): Buffer | null {
  let fileKey: Buffer | null = null;
  try {
    fileKey = unsealWithRing(masterKey, 'file-key', row.wrappedKey, `file:${row.id}`);
    if (row.iv.length !== IV_BYTES || row.authTag.length !== TAG_BYTES) return null;
    const decipher = createDecipheriv('aes-256-gcm', fileKey, row.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`file:${row.id}`, 'utf8'));
    decipher.setAuthTag(row.authTag);
    return Buffer.concat([decipher.update(row.ciphertext), decipher.final()]);
  } catch {
    return null;
  } finally {
    fileKey?.fill(0);
  }
}

interface LegacyRow {
  id: string;
  practice_id: string;
  size: number;
  sha256: string;
  wrapped_key: Buffer;
  iv: Buffer;
  auth_tag: Buffer;
  ciphertext: Buffer;
}

export interface MoveResult {
  moved: number;
  /** Rows whose content does not open or match its hash: left as they are, refused when read. */
  unopenable: string[];
}

/**
 * Move every row still holding its own ciphertext to a blob (deduplicated like any upload), then
 * clear its legacy columns; the database checks the blob's practice, hash and size are the file's
 * (migration 0008). Rows another instance or `keys rotate` holds are skipped (moved next time).
 */
export async function moveLegacyFiles(
  pool: pg.Pool,
  masterKey: Buffer,
  opts: { batchSize?: number; now?: () => Date } = {},
): Promise<MoveResult> {
  const batchSize = opts.batchSize ?? 20;
  const result: MoveResult = { moved: 0, unopenable: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const client = await pool.connect();
    let count = 0;
    try {
      await client.query('begin');
      const { rows } = await client.query<LegacyRow>(
        `select id::text as id, practice_id::text as practice_id, size, sha256, wrapped_key, iv, auth_tag, ciphertext
           from files where blob_id is null and id > $1::uuid order by id limit $2 for update skip locked`,
        [after, batchSize],
      );
      count = rows.length;
      const tx = drizzleOn(client);
      for (const row of rows) {
        const data = openLegacyFile(masterKey, {
          id: row.id,
          wrappedKey: row.wrapped_key,
          iv: row.iv,
          authTag: row.auth_tag,
          ciphertext: row.ciphertext,
        });
        if (!data || data.length !== row.size || sha256Hex(data) !== row.sha256) {
          result.unopenable.push(row.id);
          continue;
        }
        const blob = await putBlob(tx, masterKey, {
          practiceId: row.practice_id,
          data,
          now: opts.now?.() ?? new Date(),
        });
        await client.query(
          `update files set blob_id = $1, wrapped_key = null, iv = null, auth_tag = null, ciphertext = null
            where id = $2`,
          [blob.id, row.id],
        );
        result.moved++;
      }
      await client.query('commit');
      if (rows.length > 0) after = rows[rows.length - 1]!.id;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    if (count < batchSize) return result;
  }
}
