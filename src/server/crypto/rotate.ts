// `release-desk keys rotate`: re-wrap everything sealed with a key derived from the master key
// (file keys, TOTP secrets, sealed raw messages, email bodies) from the old master key to a new one, in batches,
// one transaction per batch, without stopping the server.
//
// Design (rule SEC-4, no downtime): the sealed values carry no key id. AES-GCM authenticates the key,
// so a value opens with exactly one key and a reader may simply try its key ring (the master key,
// then the previous one: crypto/seal.ts masterKeyRing). A row is therefore "done" when it opens
// with the new key; a rotation that stops half-way is resumed by running it again (done rows are
// skipped). The database records the new key's fingerprint as `master:next` while the rotation
// runs, so an instance may boot with the new key (and the old one as its previous key) before the
// rewrap finishes; the `master` fingerprint switches to the new key only at the end, after which the
// old key is refused at boot (db/keys.ts). Delivery-code HMACs cannot be re-keyed (the codes are not
// stored): they are checked against the ring, so codes sent before the switch work while the
// previous key is configured.
import type pg from 'pg';
import { auditEventSchema } from '../../shared/audit-events.js';
import { appendToChain } from '../audit/chain.js';
import { fingerprint } from '../db/keys.js';
import { deriveKey, type Purpose, seal, unsealAny } from './seal.js';

interface Target {
  table: string;
  key: string;
  column: string;
  purpose: Purpose;
  /** Extra columns the associated data needs. */
  select: string;
  aad(row: Record<string, unknown>): string;
}

/** Every column sealed with a key derived from the master key. */
export const SEALED_COLUMNS: readonly Target[] = [
  {
    table: 'files',
    key: 'id',
    column: 'wrapped_key',
    purpose: 'file-key',
    select: 'id',
    aad: (r) => `file:${r.id}`,
  },
  {
    // Blob keys (documents/blobs.ts blobKeyAad); the chunks themselves are never re-encrypted.
    table: 'file_blobs',
    key: 'id',
    column: 'wrapped_key',
    purpose: 'file-key',
    select: 'id',
    aad: (r) => `file-blob:${r.id}`,
  },
  {
    table: 'users',
    key: 'id',
    column: 'mfa_secret_enc',
    purpose: 'mfa-secret',
    select: 'id',
    aad: (r) => `user:${r.id}`,
  },
  {
    table: 'sessions',
    key: 'token_hash',
    column: 'pending_mfa_secret_enc',
    purpose: 'mfa-secret',
    select: 'user_id',
    aad: (r) => `enrol:${r.user_id}`,
  },
  {
    table: 'inbound_emails',
    key: 'id',
    column: 'raw_sealed',
    purpose: 'inbound-mail',
    select: 'id',
    aad: (r) => `inbound:${r.id}`,
  },
  {
    // Email bodies (mail/outbox-body.ts): codes, status-link and secure-link tokens, health information.
    table: 'outbound_emails',
    key: 'id',
    column: 'body_sealed',
    purpose: 'outbound-mail',
    select: 'id',
    aad: (r) => `outbound:${r.id}`,
  },
  {
    table: 'draft_versions',
    key: 'id',
    column: 'content_sealed',
    purpose: 'draft-content',
    select: 'id',
    aad: (r) => `draft_version:${r.id}`,
  },
  {
    table: 'draft_comments',
    key: 'id',
    column: 'body_sealed',
    purpose: 'draft-content',
    select: 'id',
    aad: (r) => `draft_comment:${r.id}`,
  },
];

export const NEXT_PURPOSE = 'master:next';

export class RotationError extends Error {}

export interface RotateOptions {
  /** The audit key: the finished rotation is one row in each practice's chain (SEC-3). */
  auditKey: Buffer;
  now?: () => Date;
  batchSize?: number;
  /** For tests: stop after this many batches, as an interrupted rotation would. */
  stopAfterBatches?: number;
  /** Only record the new key as the one being rotated to (instances may then boot with it). */
  stageOnly?: boolean;
  log?: (line: string) => void;
}

export interface RotateResult {
  complete: boolean;
  rewrapped: number;
  alreadyNew: number;
  /** Rows no key opens (tampered or moved): left as they are, refused when read. */
  unopenable: Array<{ table: string; key: string }>;
}

export async function rotateMasterKey(
  pool: pg.Pool,
  oldKeys: readonly Buffer[],
  newKey: Buffer,
  opts: RotateOptions,
): Promise<RotateResult> {
  const batchSize = opts.batchSize ?? 200;
  const newFp = fingerprint(newKey);
  const olds = oldKeys.filter((k) => !k.equals(newKey));
  const { rows: stored } = await pool.query<{ purpose: string; fingerprint: string }>(
    `select purpose, fingerprint from instance_keys where purpose in ('master', $1)`,
    [NEXT_PURPOSE],
  );
  const master = stored.find((r) => r.purpose === 'master')?.fingerprint;
  const next = stored.find((r) => r.purpose === NEXT_PURPOSE)?.fingerprint;
  if (master === newFp && !next)
    throw new RotationError('The database is already set up with this key: there is nothing to rotate.');
  if (next && next !== newFp)
    throw new RotationError(
      `A rotation to another key (fingerprint ${next}) is in progress: finish it with that key first.`,
    );
  if (!olds.some((k) => fingerprint(k) === master))
    throw new RotationError('None of the keys given opens this database (its master fingerprint differs).');
  await pool.query(
    'insert into instance_keys (purpose, fingerprint) values ($1, $2) on conflict (purpose) do nothing',
    [NEXT_PURPOSE, newFp],
  );
  const result: RotateResult = { complete: false, rewrapped: 0, alreadyNew: 0, unopenable: [] };
  if (opts.stageOnly) return result;

  let batches = 0;
  for (const target of SEALED_COLUMNS) {
    const newWrap = deriveKey(newKey, target.purpose);
    const oldWraps = olds.map((k) => deriveKey(k, target.purpose));
    let after: string | null = null;
    for (;;) {
      if (opts.stopAfterBatches !== undefined && batches >= opts.stopAfterBatches) return result;
      const client = await pool.connect();
      let count = 0;
      try {
        await client.query('begin');
        // Row locks: a concurrent write of the same row waits for this batch (and vice versa).
        const { rows }: pg.QueryResult<Record<string, unknown>> = await client.query(
          `select ${target.key}::text as k, ${target.select}, ${target.column} as sealed from ${target.table}
           where ${target.column} is not null ${after === null ? '' : `and ${target.key}::text > $2`}
           order by ${target.key}::text limit $1 for update`,
          after === null ? [batchSize] : [batchSize, after],
        );
        count = rows.length;
        for (const row of rows) {
          const sealed = row.sealed as Buffer;
          const aad = target.aad(row);
          try {
            unsealAny([newWrap], sealed, aad);
            result.alreadyNew++;
            continue;
          } catch {}
          let plain: Buffer;
          try {
            plain = unsealAny(oldWraps, sealed, aad);
          } catch {
            result.unopenable.push({ table: target.table, key: String(row.k) });
            continue;
          }
          await client.query(
            `update ${target.table} set ${target.column} = $1 where ${target.key}::text = $2`,
            [seal(newWrap, plain, aad), row.k],
          );
          plain.fill(0);
          result.rewrapped++;
        }
        await client.query('commit');
        if (rows.length > 0) after = String(rows[rows.length - 1]!.k);
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
      batches++;
      if (count > 0) opts.log?.(`${target.table}.${target.column}: through ${after}`);
      if (count < batchSize) break;
    }
  }
  // The switch: from now on the database is set up with the new key; the old one is refused at boot.
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows: started } = await client.query<{ created_at: Date }>(
      'select created_at from instance_keys where purpose = $1',
      [NEXT_PURPOSE],
    );
    await client.query(
      `update instance_keys set fingerprint = $1, created_at = now() where purpose = 'master'`,
      [newFp],
    );
    await client.query('delete from instance_keys where purpose = $1', [NEXT_PURPOSE]);
    // Last, as the audit chain requires: the switch and its audit rows commit together.
    await recordRotation(client, opts, result, { newFp, startedAt: started[0]?.created_at ?? null });
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  result.complete = true;
  return result;
}

/**
 * rules SEC-3, SEC-4: one `keys.rotated` row in each practice's audit chain when a rotation finishes:
 * when it began (the key being rotated to was first recorded, by this run or an interrupted or
 * staged one), when it finished, the counts, and the new key's fingerprint; never key material.
 */
async function recordRotation(
  client: pg.PoolClient,
  opts: RotateOptions,
  result: RotateResult,
  rotation: { newFp: string; startedAt: Date | null },
): Promise<void> {
  const finishedAt = opts.now?.() ?? new Date();
  const { rows: practices } = await client.query<{ id: string }>('select id from practices order by id');
  const event = auditEventSchema.parse({
    type: 'keys.rotated',
    data: {
      startedAt: (rotation.startedAt ?? finishedAt).toISOString(),
      finishedAt: finishedAt.toISOString(),
      rewrapped: result.rewrapped,
      alreadyNew: result.alreadyNew,
      unopenable: result.unopenable.length,
      newKeyFingerprint: rotation.newFp,
    },
  });
  await appendToChain(
    client,
    opts.auditKey,
    practices.map((p) => ({
      practiceId: p.id,
      at: finishedAt,
      type: event.type,
      actorId: null,
      actorName: null,
      actorRole: null,
      ip: null,
      userAgent: 'release-desk keys rotate',
      requestId: null,
      clientId: null,
      data: event.data,
    })),
  );
}
