// Several instances (issue 8): two app processes on one PostgreSQL. Helpers for their shared job
// queue (notifications posted through both, emails counted at the sink and in the database) and for
// the clocks sweep (overdue tasks to act on, the sweep jobs pg-boss queued and what each did).
import type pg from 'pg';
import PgBoss from 'pg-boss';
import { NOT_EMAILED_KINDS } from '../../../src/server/mail/compose.js';
import { intakeBody } from '../../support/requests.js';
import { call, type StaffSession } from './instances-session.js';
import type { SmtpSink } from './smtp-sink.js';

export interface Target {
  baseUrl: string;
  session: StaffSession;
}

/** A request created through `on`; its id. */
export async function createRequestOn(on: Target, clientId: string): Promise<string> {
  const res = await call(on.baseUrl, on.session, 'POST', '/api/requests', intakeBody(clientId));
  if (res.status !== 201)
    throw new Error(`create request answered ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as { id: string }).id;
}

/**
 * Post `count` messages on the request's internal thread, spread over the targets in turn, with
 * `concurrency` posts in flight (each one email to the therapist and the supervisor). Returns the
 * number posted through each target.
 */
export async function postNotifications(
  targets: Target[],
  requestId: string,
  count: number,
  concurrency: number,
  label: string,
): Promise<number[]> {
  const through = targets.map(() => 0);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t = targets[i % targets.length]!;
      const res = await call(t.baseUrl, t.session, 'POST', `/api/requests/${requestId}/messages`, {
        thread: 'internal',
        body: `${label} ${i + 1} of ${count}`,
      });
      if (res.status >= 300) throw new Error(`posting message ${i + 1} answered ${res.status}`);
      through[i % targets.length]! += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return through;
}

/**
 * Emails still to go: thread messages the dispatcher has not turned into an email yet, and emails
 * queued or retrying. Zero when the queue has drained.
 */
export async function emailsPending(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select (select count(*) from thread_messages m where m.kind <> all($1::text[])
               and not exists (select 1 from outbound_emails o where o.thread_message_id = m.id))
          + (select count(*) from outbound_emails where status in ('queued', 'retrying')) as n`,
    [[...NOT_EMAILED_KINDS]],
  );
  return Number(rows[0]!.n);
}

/** Emails of the thread messages whose body starts with `label` (one each, when all is well). */
export async function emailsOfLabel(
  pool: pg.Pool,
  label: string,
): Promise<{ messages: number; emails: number }> {
  const { rows } = await pool.query<{ messages: number; emails: number }>(
    `select count(distinct m.id)::int as messages, count(o.id)::int as emails
       from thread_messages m left join outbound_emails o on o.thread_message_id = m.id
      where m.body like $1`,
    [`${label} %`],
  );
  return rows[0]!;
}

export interface EmailTally {
  /** Outbound emails in the database, and how many of them are sent. */
  emails: number;
  /** Sent, or with nobody to send to (a thread message whose only reader wrote it). */
  done: number;
  /** Distinct Message-IDs at the sink, and raw arrivals that repeated one. */
  delivered: number;
  duplicates: number;
  /** Thread messages with more than one email (the one-email-per-message key broken). */
  messagesWithSeveralEmails: number;
  missing: string[];
  unknown: string[];
}

export async function tallyEmails(pool: pg.Pool, sink: SmtpSink): Promise<EmailTally> {
  const { rows } = await pool.query<{ message_id: string; status: string }>(
    'select message_id, status from outbound_emails',
  );
  const { rows: several } = await pool.query<{ n: number }>(
    `select count(*)::int as n from (select thread_message_id from outbound_emails
       where thread_message_id is not null group by thread_message_id having count(*) > 1) s`,
  );
  const inDb = new Set(rows.filter((r) => r.status !== 'no_recipients').map((r) => r.message_id));
  const atSink = sink.distinct();
  return {
    emails: rows.length,
    done: rows.filter((r) => r.status === 'sent' || r.status === 'no_recipients').length,
    delivered: atSink.size,
    duplicates: sink.duplicates(),
    messagesWithSeveralEmails: several[0]?.n ?? 0,
    missing: [...inDb].filter((id) => !atSink.has(id)),
    unknown: [...atSink].filter((id) => !inDb.has(id)),
  };
}

/** Every open task of the request due a month ago (so each climbs the whole escalation ladder). */
export async function makeOverdue(pool: pg.Pool, requestId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `update tasks set due_at = now() - interval '30 days' where request_id = $1 and state = 'open' returning id`,
    [requestId],
  );
  return rows.map((r) => r.id);
}

/** Escalation rungs climbed (task_escalations rows) and their thread messages, for these tasks. */
export async function escalationsOf(
  pool: pg.Pool,
  taskIds: string[],
): Promise<{ rungs: number; distinctRungs: number; messages: number }> {
  const { rows } = await pool.query<{ rungs: number; distinct_rungs: number }>(
    `select count(*)::int as rungs, count(distinct (task_id, level))::int as distinct_rungs
       from task_escalations where task_id = any($1::uuid[])`,
    [taskIds],
  );
  const { rows: msgs } = await pool.query<{ n: number }>(
    `select count(*)::int as n from thread_messages where kind = 'escalation'
       and split_part(idempotency_key, ':', 2) = any($1::text[])`,
    [taskIds],
  );
  return { rungs: rows[0]!.rungs, distinctRungs: rows[0]!.distinct_rungs, messages: msgs[0]!.n };
}

export interface SweepJob {
  id: string;
  state: string;
  createdOn: Date;
  /** What the job's handler returned: the sweep's counts, or null when another sweep held the lock. */
  result: { escalations: number; legalNotices: number } | null | undefined;
}

export async function sweepJobs(pool: pg.Pool): Promise<SweepJob[]> {
  const { rows } = await pool.query<{ id: string; state: string; created_on: Date; output: unknown }>(
    `select id, state, created_on, output from pgboss.job where name = 'clocks.sweep' order by created_on`,
  );
  return rows.map((r) => ({
    id: r.id,
    state: r.state,
    createdOn: r.created_on,
    result: (r.output as { result?: SweepJob['result'] } | null)?.result,
  }));
}

/** Queue `count` sweep jobs at once, as if that many instances' schedulers fired the same tick. */
export async function queueSweeps(databaseUrl: string, count: number): Promise<void> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  await boss.start();
  try {
    await boss.insert(Array.from({ length: count }, () => ({ name: 'clocks.sweep', data: {} })));
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
