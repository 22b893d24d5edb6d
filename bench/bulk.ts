// The large data set: grow the bench practice to N requests by cloning the request that seed.ts
// drove through the HTTP API (its request, client, tasks and thread messages) in SQL with
// INSERT … SELECT … generate_series, and its audit trail (padded with views to about 10 rows per
// request) through appendBulk, so the chain still verifies. One request in 50 stays open (its
// tasks as the template's, received in the last 40 days); the rest are withdrawn requests spread
// over six years, their active tasks cancelled, as in a practice's history.
// Runs only on the bench's own database (see assertBenchDatabase).
import type pg from 'pg';
import type { Services } from '../src/server/context.js';
import { appendBulk, type BulkRow } from './audit-bulk.js';

export const AUDIT_ROWS_PER_REQUEST = 10;
/** One request in OPEN_EVERY is open (the work queue's share of a practice's history). */
export const OPEN_EVERY = 50;

export interface BulkTemplate {
  practiceId: string;
  requestId: string;
  /** The clones' therapists, in turn (the template's therapist is replaced by one of these). */
  therapistIds: string[];
}

export interface GrowFigures {
  target: number;
  added: number;
  auditRows: number;
  sqlMs: number;
  auditMs: number;
  /** Of auditMs: building rows and HMACs in Node (the rest is INSERT and COMMIT). */
  auditComputeMs: number;
  analyzeMs: number;
  totalMs: number;
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/** Refuse to bulk-load anything but a database the bench created (no practice but its own). */
export async function assertBenchDatabase(pool: pg.Pool, practiceId: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>('select name from practices where id <> $1', [
    practiceId,
  ]);
  if (rows.length > 0) {
    throw new Error(
      `refusing to bulk-load: the database holds other practices (${rows.map((r) => r.name).join(', ')}); ` +
        'the bench writes only to a database it created',
    );
  }
}

async function columns(client: pg.PoolClient, table: string): Promise<{ name: string; type: string }[]> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `select column_name as name, data_type as type from information_schema.columns
      where table_schema = current_schema() and table_name = $1 and is_generated = 'NEVER'
      order by ordinal_position`,
    [table],
  );
  return rows;
}

/**
 * INSERT INTO table SELECT each template row once per bench_map row: every timestamptz column moved
 * by the clone's shift, and the columns in `overrides` replaced by SQL over t (template) and m (map).
 */
async function cloneRows(
  client: pg.PoolClient,
  table: string,
  where: string,
  param: string,
  overrides: Record<string, string>,
): Promise<number> {
  const cols = await columns(client, table);
  const exprs = cols.map(
    (c) =>
      overrides[c.name] ??
      (c.type === 'timestamp with time zone' ? `t.${q(c.name)} + m.shift` : `t.${q(c.name)}`),
  );
  const r = await client.query(
    `insert into ${q(table)} (${cols.map((c) => q(c.name)).join(', ')})
     select ${exprs.join(', ')} from ${q(table)} t cross join bench_map m where ${where}`,
    [param],
  );
  return r.rowCount ?? 0;
}

interface MapRow {
  g: number;
  requestId: string;
  clientId: string;
  therapistId: string;
  shiftMs: number;
  open: boolean;
}

/** Clone the template in SQL up to `target` requests; returns the new clones' map rows. */
async function cloneInSql(client: pg.PoolClient, t: BulkTemplate, target: number): Promise<MapRow[]> {
  const { rows: counted } = await client.query<{ n: number }>(
    'select count(*)::int as n from requests where practice_id = $1',
    [t.practiceId],
  );
  const have = counted[0]?.n ?? 0;
  if (have >= target) return [];
  const { rows: tmpl } = await client.query<{ client_id: string; therapist_id: string; received: Date }>(
    'select client_id, therapist_id, received_at as received from requests where id = $1',
    [t.requestId],
  );
  const template = tmpl[0];
  if (!template) throw new Error('no template request');
  // g continues across calls (1,000 then 100,000), so numbers stay unique.
  await client.query(
    `create temp table bench_map on commit drop as
     select g, request_id, client_id, therapist_id, open, received - $4::timestamptz as shift,
            received + interval '20 days' as ended
       from (select g, gen_random_uuid() as request_id, gen_random_uuid() as client_id,
                    ($3::uuid[])[1 + g % array_length($3::uuid[], 1)] as therapist_id,
                    (g % ${OPEN_EVERY} = 0) as open,
                    case when g % ${OPEN_EVERY} = 0
                         then now() - random() * interval '40 days'
                         else now() - interval '60 days' - random() * interval '6 years' end as received
               from generate_series($1::int, $2::int) g) s`,
    [have + 1, target, t.therapistIds, template.received],
  );
  const isTherapist = (col: string) =>
    `case when t.${col} = '${template.therapist_id}' then m.therapist_id else t.${col} end`;
  await cloneRows(client, 'clients', 't.id = $1', template.client_id, {
    id: 'm.client_id',
    first_name: `'Client'`,
    last_name: `'Bench ' || m.g`,
    email: `'client-' || m.g || '@bench.test'`,
    therapist_id: 'm.therapist_id',
  });
  const ended = 'm.ended';
  await cloneRows(client, 'requests', 't.id = $1', t.requestId, {
    id: 'm.request_id',
    number: `'B-' || lpad(m.g::text, 6, '0')`,
    client_id: 'm.client_id',
    therapist_id: 'm.therapist_id',
    requester_name: `'Client Bench ' || m.g`,
    requester_email: `'client-' || m.g || '@bench.test'`,
    stage: `case when m.open then t.stage else 'withdrawn' end`,
    end_reason: `case when m.open then t.end_reason else 'The requester withdrew the request (bench data)' end`,
    ended_at: `case when m.open then t.ended_at + m.shift else ${ended} end`,
  });
  const active = `t.state in ('open', 'waiting_on_requester')`;
  await cloneRows(client, 'tasks', 't.request_id = $1', t.requestId, {
    id: 'gen_random_uuid()',
    request_id: 'm.request_id',
    assignee_id: isTherapist('assignee_id'),
    completed_by: isTherapist('completed_by'),
    state: `case when m.open or not ${active} then t.state else 'cancelled' end`,
    completed_at: `case when m.open or not ${active} then t.completed_at + m.shift else ${ended} end`,
  });
  await cloneRows(client, 'thread_messages', 't.request_id = $1', t.requestId, {
    id: 'gen_random_uuid()',
    request_id: 'm.request_id',
    author_id: isTherapist('author_id'),
    idempotency_key: `t.idempotency_key || ':bench-' || m.g`,
  });
  const { rows } = await client.query<{
    g: number;
    request_id: string;
    client_id: string;
    therapist_id: string;
    shift_ms: number;
    open: boolean;
  }>(
    `select g, request_id, client_id, therapist_id, open,
            (extract(epoch from shift) * 1000)::float8 as shift_ms from bench_map order by g`,
  );
  return rows.map((r) => ({
    g: r.g,
    requestId: r.request_id,
    clientId: r.client_id,
    therapistId: r.therapist_id,
    shiftMs: r.shift_ms,
    open: r.open,
  }));
}

interface AuditTemplateRow extends BulkRow {
  dataJson: string;
}

async function auditTemplate(pool: pg.Pool, t: BulkTemplate) {
  const { rows } = await pool.query(
    `select a.at, a.type, a.actor_id, a.actor_name, a.actor_role, a.ip, a.user_agent, a.request_id,
            a.client_id, a.data, r.number, r.client_id as template_client
       from audit_events a join requests r on r.id = a.request_id
      where a.request_id = $1 and a.practice_id = $2 order by a.seq`,
    [t.requestId, t.practiceId],
  );
  const toRow = (r: Record<string, unknown>): AuditTemplateRow => ({
    at: r.at as Date,
    type: r.type as string,
    actorId: r.actor_id as string | null,
    actorName: r.actor_name as string | null,
    actorRole: r.actor_role as string | null,
    ip: r.ip as string | null,
    userAgent: r.user_agent as string | null,
    requestId: r.request_id as string | null,
    clientId: r.client_id as string | null,
    data: r.data as Record<string, unknown>,
    dataJson: JSON.stringify(r.data),
  });
  const history = rows.filter((r) => r.type !== 'request.viewed').map(toRow);
  const view = rows.find((r) => r.type === 'request.viewed');
  if (!view || history.length === 0) throw new Error('the template request has no audit history or view');
  return {
    history,
    view: toRow(view),
    number: rows[0]!.number as string,
    clientId: rows[0]!.template_client as string,
  };
}

/**
 * Grow the practice to `target` requests (no-op if it has them). `bulk`: a superuser pool on the
 * app's database, so the bulk inserts can skip foreign-key checks (session_replication_role =
 * replica; the clones point only at rows that exist); without it they run as the app's role.
 */
export async function growTo(
  services: Services,
  t: BulkTemplate,
  target: number,
  log: (m: string) => void,
  bulk: pg.Pool | null = null,
): Promise<GrowFigures> {
  const pool = bulk ?? services.database.pool;
  await assertBenchDatabase(pool, t.practiceId);
  const t0 = performance.now();
  const client = await pool.connect();
  let clones: MapRow[];
  try {
    await client.query('begin');
    if (bulk) await client.query('set local session_replication_role = replica');
    clones = await cloneInSql(client, t, target);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const sqlMs = performance.now() - t0;
  log(
    `  ${clones.length} requests with their clients, tasks and thread messages cloned in SQL (${(sqlMs / 1000).toFixed(1)} s)`,
  );
  const tmpl = await auditTemplate(pool, t);
  const per = Math.max(AUDIT_ROWS_PER_REQUEST, tmpl.history.length);
  const t1 = performance.now();
  const audit = await appendBulk(
    pool,
    services.config.auditKey,
    t.practiceId,
    clones.length * per,
    !!bulk,
    (i) => {
      const c = clones[Math.floor(i / per)]!;
      const k = i % per;
      const src = k < tmpl.history.length ? tmpl.history[k]! : tmpl.view;
      const number = `B-${String(c.g).padStart(6, '0')}`;
      const json = src.dataJson
        .replaceAll(t.requestId, c.requestId)
        .replaceAll(tmpl.clientId, c.clientId)
        .replaceAll(tmpl.number, number);
      // Views come after the history, a few minutes apart, so a request's rows keep their order.
      const at = new Date(src.at.getTime() + c.shiftMs + (k < tmpl.history.length ? 0 : k * 60_000));
      return {
        at,
        type: src.type,
        actorId: src.actorId,
        actorName: src.actorName,
        actorRole: src.actorRole,
        ip: src.ip,
        userAgent: src.userAgent,
        requestId: c.requestId,
        clientId: src.clientId === tmpl.clientId ? c.clientId : src.clientId,
        data: JSON.parse(json) as Record<string, unknown>,
      };
    },
  );
  const auditMs = performance.now() - t1;
  log(
    `  ${audit.rows} audit rows appended to the practice's HMAC chain (${(auditMs / 1000).toFixed(1)} s, ` +
      `of which ${(audit.computeMs / 1000).toFixed(1)} s building rows and HMACs in Node)`,
  );
  const t2 = performance.now();
  await pool.query('analyze');
  const analyzeMs = performance.now() - t2;
  return {
    target,
    added: clones.length,
    auditRows: audit.rows,
    auditComputeMs: audit.computeMs,
    sqlMs,
    auditMs,
    analyzeMs,
    totalMs: performance.now() - t0,
  };
}
