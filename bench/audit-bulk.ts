// Bulk append to a practice's audit chain (SEC-3) for the bench data set: the same HMAC as
// appendToChain (rowHmac over the canonical row, linked to the previous row), but thousands of rows
// per INSERT … SELECT FROM unnest(…) instead of one INSERT per row, so a million rows take about a
// minute. The chain stays valid: `verifyChains` (and `npm run cli -- audit verify`) walk it as usual.
import type pg from 'pg';
import { type ChainRow, genesis, rowHmac } from '../src/server/audit/chain.js';

/** The same lock as appendToChain (chain.ts: LOCK_NAMESPACE), so an app write waits for a batch. */
const CHAIN_LOCK_NAMESPACE = 7_310_002;
const BATCH = 5_000;

export type BulkRow = Omit<ChainRow, 'seq' | 'practiceId'>;

export interface BulkFigures {
  rows: number;
  /** Building the rows and their HMACs in Node. */
  computeMs: number;
  /** The INSERTs and COMMITs. */
  insertMs: number;
}

/**
 * Append `count` rows made by `make(i)` to the practice's chain, in batches, each batch its own
 * transaction under the chain lock.
 */
export async function appendBulk(
  pool: pg.Pool,
  key: Buffer,
  practiceId: string,
  count: number,
  /** A superuser connection: skip the foreign-key check on practice_id (it is one known practice). */
  superuser: boolean,
  make: (i: number) => BulkRow,
): Promise<BulkFigures> {
  let written = 0;
  let computeMs = 0;
  let insertMs = 0;
  while (written < count) {
    const n = Math.min(BATCH, count - written);
    const client = await pool.connect();
    try {
      await client.query('begin');
      // One WAL flush per batch is not worth waiting for: a crash mid-seed means seeding again.
      await client.query('set local synchronous_commit = off');
      if (superuser) await client.query('set local session_replication_role = replica');
      await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [
        CHAIN_LOCK_NAMESPACE,
        practiceId,
      ]);
      const last = await client.query<{ seq: string; hmac: string }>(
        'select seq, hmac from audit_events where practice_id = $1 order by seq desc limit 1',
        [practiceId],
      );
      const t0 = performance.now();
      let seq = Number(last.rows[0]?.seq ?? 0);
      let prev = last.rows[0]?.hmac ?? genesis(practiceId);
      const cols = {
        seq: [] as number[],
        at: [] as string[],
        type: [] as string[],
        actorId: [] as (string | null)[],
        actorName: [] as (string | null)[],
        actorRole: [] as (string | null)[],
        ip: [] as (string | null)[],
        userAgent: [] as (string | null)[],
        requestId: [] as (string | null)[],
        clientId: [] as (string | null)[],
        data: [] as string[],
        prev: [] as string[],
        hmac: [] as string[],
      };
      for (let i = 0; i < n; i++) {
        seq += 1;
        const row: ChainRow = { ...make(written + i), practiceId, seq };
        const hmac = rowHmac(key, prev, row);
        cols.seq.push(seq);
        cols.at.push(row.at.toISOString());
        cols.type.push(row.type);
        cols.actorId.push(row.actorId);
        cols.actorName.push(row.actorName);
        cols.actorRole.push(row.actorRole);
        cols.ip.push(row.ip);
        cols.userAgent.push(row.userAgent);
        cols.requestId.push(row.requestId);
        cols.clientId.push(row.clientId);
        cols.data.push(JSON.stringify(row.data));
        cols.prev.push(prev);
        cols.hmac.push(hmac);
        prev = hmac;
      }
      const t1 = performance.now();
      computeMs += t1 - t0;
      await client.query(
        `insert into audit_events (practice_id, seq, at, type, actor_id, actor_name, actor_role, ip, user_agent,
           request_id, client_id, data, prev_hmac, hmac)
         select $1::uuid, u.seq, u.at, u.type, u.actor_id, u.actor_name, u.actor_role, u.ip, u.user_agent,
                u.request_id, u.client_id, u.data::jsonb, u.prev_hmac, u.hmac
           from unnest($2::bigint[], $3::timestamptz[], $4::text[], $5::uuid[], $6::text[], $7::text[],
                       $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::text[], $13::text[], $14::text[])
             as u(seq, at, type, actor_id, actor_name, actor_role, ip, user_agent, request_id, client_id,
                  data, prev_hmac, hmac)`,
        [
          practiceId,
          cols.seq,
          cols.at,
          cols.type,
          cols.actorId,
          cols.actorName,
          cols.actorRole,
          cols.ip,
          cols.userAgent,
          cols.requestId,
          cols.clientId,
          cols.data,
          cols.prev,
          cols.hmac,
        ],
      );
      await client.query('commit');
      insertMs += performance.now() - t1;
      written += n;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
  return { rows: written, computeMs, insertMs };
}
