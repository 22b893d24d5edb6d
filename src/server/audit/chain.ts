// rule SEC-3: one HMAC chain per practice over the append-only audit table. Each row's HMAC covers
// the previous row's HMAC and the row's own content, keyed by a secret kept outside the database, so
// an edit (even one that recomputes every later hash without the key) is found by `audit verify`.
import { createHmac } from 'node:crypto';
import type pg from 'pg';

export const NO_PRACTICE = '00000000-0000-0000-0000-000000000000';

export interface ChainRow {
  practiceId: string | null;
  seq: number;
  at: Date;
  type: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  clientId: string | null;
  data: Record<string, unknown>;
}

export function genesis(practiceId: string | null): string {
  return `genesis:${practiceId ?? NO_PRACTICE}`;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function rowHmac(key: Buffer, prevHmac: string, row: ChainRow): string {
  const content = canonicalJson([
    row.practiceId ?? NO_PRACTICE,
    row.seq,
    row.at.toISOString(),
    row.type,
    row.actorId,
    row.actorName,
    row.actorRole,
    row.ip,
    row.userAgent,
    row.requestId,
    row.clientId,
    row.data,
  ]);
  return createHmac('sha256', key).update(prevHmac).update('\n').update(content).digest('hex');
}

const LOCK_NAMESPACE = 7_310_002;

/**
 * Append rows to their practices' chains. Must run as the transaction's last statements: the
 * advisory lock is held until commit, so rows are chained in commit order.
 */
export async function appendToChain(
  client: pg.PoolClient,
  key: Buffer,
  rows: Omit<ChainRow, 'seq'>[],
): Promise<void> {
  const byPractice = new Map<string, Omit<ChainRow, 'seq'>[]>();
  for (const row of rows) {
    const k = row.practiceId ?? NO_PRACTICE;
    byPractice.set(k, [...(byPractice.get(k) ?? []), row]);
  }
  // Lock in a fixed order so two transactions touching two practices cannot deadlock.
  for (const practiceKey of [...byPractice.keys()].sort()) {
    await client.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NAMESPACE, practiceKey]);
    const last = await client.query<{ seq: string; hmac: string }>(
      `select seq, hmac from audit_events
        where coalesce(practice_id, '${NO_PRACTICE}'::uuid) = $1::uuid order by seq desc limit 1`,
      [practiceKey],
    );
    let seq = Number(last.rows[0]?.seq ?? 0);
    let prev = last.rows[0]?.hmac ?? genesis(practiceKey === NO_PRACTICE ? null : practiceKey);
    const chained: (ChainRow & { prev: string; hmac: string })[] = [];
    for (const partial of byPractice.get(practiceKey) ?? []) {
      seq += 1;
      const row: ChainRow = { ...partial, seq };
      const hmac = rowHmac(key, prev, row);
      chained.push({ ...row, prev, hmac });
      prev = hmac;
    }
    // One statement per INSERT_CHUNK rows: a batch of reads (appender.ts) costs a few round trips.
    for (let i = 0; i < chained.length; i += INSERT_CHUNK) {
      const chunk = chained.slice(i, i + INSERT_CHUNK);
      const values = chunk.map(
        (_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`,
      );
      await client.query(
        `insert into audit_events (${COLUMNS.join(', ')}) values ${values.join(', ')}`,
        chunk.flatMap((row) => [
          row.practiceId,
          row.seq,
          row.at,
          row.type,
          row.actorId,
          row.actorName,
          row.actorRole,
          row.ip,
          row.userAgent,
          row.requestId,
          row.clientId,
          JSON.stringify(row.data),
          row.prev,
          row.hmac,
        ]),
      );
    }
  }
}

const COLUMNS = [
  'practice_id',
  'seq',
  'at',
  'type',
  'actor_id',
  'actor_name',
  'actor_role',
  'ip',
  'user_agent',
  'request_id',
  'client_id',
  'data',
  'prev_hmac',
  'hmac',
];

/** Rows per INSERT: 14 parameters each, well under PostgreSQL's 65,535. */
const INSERT_CHUNK = 500;

export interface VerifyResult {
  ok: boolean;
  rowsChecked: number;
  chains: number;
  firstBroken?: { practiceId: string | null; seq: number; id: number; reason: string };
}

/** Walk every chain from its start; report the first row whose link or content does not verify. */
export async function verifyChains(pool: pg.Pool, key: Buffer): Promise<VerifyResult> {
  const client = await pool.connect();
  try {
    // A repeatable-read snapshot, so rows appended while we read do not look like gaps.
    await client.query('begin isolation level repeatable read read only');
    const practices = await client.query<{ p: string | null }>(
      'select distinct practice_id as p from audit_events',
    );
    let rowsChecked = 0;
    for (const { p } of practices.rows) {
      let prev = genesis(p);
      let expectedSeq = 1;
      let lastId = 0;
      // Read in pages by seq to keep memory flat on a six-year log.
      for (;;) {
        const page = await client.query(
          `select id, practice_id, seq, at, type, actor_id, actor_name, actor_role, ip, user_agent, request_id,
                  client_id, data, prev_hmac, hmac
             from audit_events where practice_id is not distinct from $1 and seq >= $2 order by seq limit 5000`,
          [p, expectedSeq],
        );
        if (page.rows.length === 0) break;
        for (const r of page.rows) {
          const seq = Number(r.seq);
          const at = r.at as Date;
          const broken = (reason: string) => ({ practiceId: p, seq, id: Number(r.id), reason });
          if (seq !== expectedSeq) {
            const gap = {
              practiceId: p,
              seq: expectedSeq,
              id: lastId,
              reason: `row ${expectedSeq} is missing`,
            };
            return { ok: false, rowsChecked, chains: practices.rows.length, firstBroken: gap };
          }
          if (r.prev_hmac !== prev) {
            return {
              ok: false,
              rowsChecked,
              chains: practices.rows.length,
              firstBroken: broken('link to the previous row does not match'),
            };
          }
          const expected = rowHmac(key, prev, {
            practiceId: r.practice_id,
            seq,
            at,
            type: r.type,
            actorId: r.actor_id,
            actorName: r.actor_name,
            actorRole: r.actor_role,
            ip: r.ip,
            userAgent: r.user_agent,
            requestId: r.request_id,
            clientId: r.client_id,
            data: r.data,
          });
          if (expected !== r.hmac) {
            return {
              ok: false,
              rowsChecked,
              chains: practices.rows.length,
              firstBroken: broken('content does not match its HMAC'),
            };
          }
          prev = r.hmac;
          expectedSeq += 1;
          lastId = Number(r.id);
          rowsChecked += 1;
        }
      }
    }
    await client.query('commit');
    return { ok: true, rowsChecked, chains: practices.rows.length };
  } finally {
    await client.query('rollback').catch(() => {});
    client.release();
  }
}
