// After a fault run: is every acknowledged write there, is anything half-written, does the audit chain
// verify, did every email that was due arrive? Each check returns the offending ids (empty = holds),
// so a test asserts `toEqual([])` and a failure names what is wrong.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { verifyChains } from '../../../src/server/audit/chain.js';
import { embeddedAppUrl } from '../../../src/server/db/embedded.js';
import { placeCluster } from '../../../src/server/db/embedded-runtime.js';
import type { AppProcess } from './launcher.js';
import type { Ledger } from './load.js';

/** The app's database URL: DATABASE_URL, or the running embedded server's (its port from postmaster.pid). */
export function databaseUrlOf(app: AppProcess): string {
  if (app.env.DATABASE_URL) return app.env.DATABASE_URL;
  const dataDir = app.env.RELEASE_DESK_DATA_DIR!;
  const pidFile = path.join(placeCluster(dataDir).clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) throw new Error('the embedded PostgreSQL is not running');
  const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
  return embeddedAppUrl(dataDir, port);
}

export interface Findings {
  missingRequests: string[];
  requestsWithoutCreatedEvent: string[];
  requestsWithoutTasks: string[];
  missingIntakes: string[];
  missingFiles: string[];
  filesNotWhole: string[];
  missingMessages: string[];
  orphanJobs: string[];
  auditChain: { ok: boolean; rowsChecked: number; firstBroken?: unknown };
}

const missing = async (pool: pg.Pool, sql: string, ...columns: unknown[][]): Promise<string[]> =>
  columns[0]!.length === 0 ? [] : (await pool.query<{ id: string }>(sql, columns)).rows.map((r) => r.id);

export async function checkDatabase(url: string, ledger: Ledger, auditKeyBase64: string): Promise<Findings> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    return {
      missingRequests: await missing(
        pool,
        'select id from unnest($1::uuid[]) as a(id) where not exists (select 1 from requests r where r.id = a.id)',
        ledger.requests,
      ),
      // Every request (acknowledged or not): nothing half-written.
      requestsWithoutCreatedEvent: (
        await pool.query<{ id: string }>(
          `select r.id from requests r where not exists
             (select 1 from audit_events e where e.request_id = r.id and e.type = 'request.created')`,
        )
      ).rows.map((r) => r.id),
      requestsWithoutTasks: (
        await pool.query<{ id: string }>(
          'select r.id from requests r where not exists (select 1 from tasks t where t.request_id = r.id)',
        )
      ).rows.map((r) => r.id),
      missingIntakes: await missing(
        pool,
        `select id from unnest($1::uuid[]) as a(id) where not exists
           (select 1 from requests r where r.id = a.id and r.stage <> 'request_made')
           or not exists (select 1 from audit_events e where e.request_id = a.id and e.type = 'request.intake_completed')`,
        ledger.intakes,
      ),
      missingFiles: await missing(
        pool,
        `select a.id from unnest($1::uuid[], $2::text[], $3::int[]) as a(id, sha, size) where not exists
           (select 1 from files f join file_blobs b on b.id = f.blob_id
             where f.id = a.id and b.sha256 = a.sha and b.size = a.size)`,
        ledger.files.map((f) => f.id),
        ledger.files.map((f) => f.sha256),
        ledger.files.map((f) => f.size),
      ),
      // Every file (acknowledged or not) has its blob and every chunk of it.
      filesNotWhole: (
        await pool.query<{ id: string }>(
          `select f.id from files f left join file_blobs b on b.id = f.blob_id
            where f.blob_id is not null and (b.id is null
               or b.chunk_count <> ceil(b.size::numeric / b.chunk_size)
               or b.chunk_count <> (select count(*) from file_blob_chunks c where c.blob_id = b.id)
               or (select coalesce(max(c.index), -1) from file_blob_chunks c where c.blob_id = b.id) <> b.chunk_count - 1)`,
        )
      ).rows.map((r) => r.id),
      missingMessages: await missing(
        pool,
        `select a.body as id from unnest($1::uuid[], $2::text[]) as a(request_id, body) where not exists
           (select 1 from thread_messages m where m.request_id = a.request_id and m.thread = 'requester'
              and position(a.body in m.body) > 0)`,
        ledger.messages.map((m) => m.requestId),
        ledger.messages.map((m) => m.body),
      ),
      orphanJobs: await orphanJobs(pool),
      auditChain: await verifyChains(pool, Buffer.from(auditKeyBase64, 'base64')),
    };
  } finally {
    await pool.end();
  }
}

/** Jobs that name a request, task or email the database does not hold (a side effect of nothing). */
async function orphanJobs(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `select j.name || ':' || j.id as id from pgboss.job j
      where (j.data ? 'requestId' and not exists (select 1 from requests r where r.id::text = j.data->>'requestId'))
         or (j.data ? 'outboundId' and not exists (select 1 from outbound_emails o where o.id::text = j.data->>'outboundId'))
         or (j.data ? 'taskIds' and exists (
               select 1 from jsonb_array_elements_text(j.data->'taskIds') t(id)
                where not exists (select 1 from tasks k where k.id::text = t.id)))`,
  );
  return rows.map((r) => r.id);
}

export interface MailState {
  /** Emails the app meant to send (every outbound row with recipients), by Message-ID. */
  due: string[];
  /** Still queued or retrying when the wait ended. */
  pending: number;
  failed: number;
  /** Acknowledged requester messages with no email row. */
  messagesWithoutEmail: string[];
}

/** Wait until no email is queued or retrying (the app running and its SMTP reachable), up to `timeoutMs`. */
export async function waitForMail(url: string, ledger: Ledger, timeoutMs: number): Promise<MailState> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const until = Date.now() + timeoutMs;
    let pending = 0;
    for (;;) {
      pending = (
        await pool.query<{ n: number }>(
          `select count(*)::int as n from outbound_emails where status in ('queued', 'retrying')`,
        )
      ).rows[0]!.n;
      if (pending === 0 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const due = (
      await pool.query<{ m: string }>(
        `select message_id as m from outbound_emails where status not in ('outbox', 'no_recipients')`,
      )
    ).rows.map((r) => r.m);
    const failed = (
      await pool.query<{ n: number }>(
        `select count(*)::int as n from outbound_emails where status = 'failed'`,
      )
    ).rows[0]!.n;
    const messagesWithoutEmail = await missing(
      pool,
      `select a.body as id from unnest($1::uuid[], $2::text[]) as a(request_id, body) where not exists
         (select 1 from thread_messages m join outbound_emails o on o.thread_message_id = m.id
           where m.request_id = a.request_id and position(a.body in m.body) > 0)`,
      ledger.messages.map((m) => m.requestId),
      ledger.messages.map((m) => m.body),
    );
    return { due, pending, failed, messagesWithoutEmail };
  } finally {
    await pool.end();
  }
}
