// Issue 8, a hanging job: the worker (jobs/worker.ts) gives each job a time limit from its own expiry
// (nine tenths of it, counted from its fetch). A handler still running then is told to abort, its job
// is failed with the reason before pg-boss would expire it (so no other instance starts it while it
// runs), and the queue goes on. Real pg-boss on this run's PostgreSQL, real handlers that hang: one
// that never settles, and the real send job against a real SMTP server that takes the message and
// never answers its end. The jobs get a short expiry so that the limit comes in seconds.
import { and, eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outboundEmails } from '../../src/server/db/schema-mail.js';
import { JOB_HANDLERS } from '../../src/server/handlers.js';
import type { QueueName } from '../../src/server/jobs/send.js';
import {
  FETCH_BATCH,
  type HandlerMap,
  JobTimeLimitError,
  startWorker,
  type Worker,
} from '../../src/server/jobs/worker.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { NO_ANSWER } from '../../src/server/mail/send.js';
import { createMailApp } from '../mail/support.js';
import type { TestApp } from '../support/app.js';
import { freePort } from '../support/dovecot.js';
import { createClient, createPractice, createUser, linkSupervisor } from '../support/factories.js';
import { createRequestAs, runJobs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';
import { waitFor } from './support/mail-world.js';

/** The jobs' expiry in these tests: their time limit is 5.4 s. */
const EXPIRY_SECONDS = 6;

let t: TestApp;
let support: Agent;
let requestId: string;
let worker: Worker | null = null;
let smtp: SMTPServer | null = null;
/** The server's side of the SMTP conversation: it answers until `hang` is set. */
const conversation = { hang: false, messageEnded: false, closed: false };

beforeAll(async () => {
  const port = await freePort();
  // Once `hang` is set, takes the whole message and never answers its final ".": the one wait
  // RFC 5321 4.5.3.2 gives 10 minutes, which the app's SMTP socket timeout allows too
  // (mail/transport.ts). Before that (the set-up's own emails) it accepts.
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, accept) {
      const hang = conversation.hang;
      stream.on('data', () => {});
      stream.on('end', () => {
        if (!hang) return accept();
        conversation.messageEnded = true;
      });
    },
    onClose() {
      if (conversation.hang) conversation.closed = true;
    },
  });
  const server = smtp;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  const practice = await createPractice(t);
  support = await signIn(t, await createUser(t, practice, ['support']));
  const therapist = await createUser(t, practice, ['therapist']);
  await linkSupervisor(t, therapist, await createUser(t, practice, ['supervisor']));
  const client = await createClient(t, practice, therapist);
  requestId = (await createRequestAs(support, client.id)).id;
  await runJobs(t);
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
afterAll(async () => {
  await t?.close();
  const server = smtp;
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
});

interface JobRow {
  state: string;
  output: { message?: string } | null;
  retry_count: number;
  /** Failed (for good) before started_on + expire_in, pg-boss's own expiry. */
  before_expiry: boolean | null;
}

async function jobOf(id: string): Promise<JobRow> {
  const { rows } = await t.running.services.database.pool.query<JobRow>(
    `select state, output, retry_count, completed_on < started_on + expire_in as before_expiry
       from pgboss.job where id = $1`,
    [id],
  );
  return rows[0]!;
}

/** Every queue runs `run`, so a test's jobs go wherever it puts them. */
const everyQueue = (run: HandlerMap[QueueName]): HandlerMap => ({
  'thread.post-instructions': run,
  'clocks.sweep': run,
  'packet.assemble': run,
  'mail.send': run,
});

describe('the job worker: a time limit per job (issue 8)', () => {
  it('a handler that never settles is stopped at its time limit, failed with the reason before its expiry, and its queue goes on', async () => {
    const boss = t.running.services.boss;
    const queue = 'packet.assemble';
    expect(FETCH_BATCH[queue]).toBe(1);
    let abortReason: unknown = null;
    const ran: number[] = [];
    const handlers = everyQueue(async (_s, data, signal) => {
      if (data.hang) {
        // Hangs for good, and does not heed its signal: the worker must not wait for it.
        signal.addEventListener('abort', () => {
          abortReason = signal.reason;
        });
        return new Promise(() => {});
      }
      ran.push(Number(data.n));
      return { n: data.n };
    });
    const hung = (await boss.send(
      queue,
      { hang: true },
      { expireInSeconds: EXPIRY_SECONDS, retryLimit: 0, priority: 1 },
    ))!;
    const next = (await boss.send(queue, { n: 1 }, { expireInSeconds: EXPIRY_SECONDS, retryLimit: 0 }))!;
    const log: string[] = [];
    worker = await startWorker(t.running.services, handlers, { log: (m) => log.push(m) });
    expect(await waitFor(async () => (await jobOf(next)).state === 'completed', 25_000)).toBe(true);

    const failed = await jobOf(hung);
    expect(failed.state).toBe('failed');
    expect(failed.output?.message).toBe(
      'Stopped at its time limit: no outcome 5.4 s after it was fetched (its expiry is 6 s); its handler was told to abort, and the job fails so that it is retried.',
    );
    expect(failed.before_expiry).toBe(true);
    expect(abortReason).toBeInstanceOf(JobTimeLimitError);
    expect(ran).toEqual([1]);
    expect(log).toEqual([`job ${queue} ${hung}: stopped at its time limit (5.4 s)`]);
    // The worker stops although the hung handler never settles.
    await worker.stop();
    worker = null;
  }, 40_000);

  it('batch-mates left without time by a hanging job are not started: failed as such, they run once when fetched again', async () => {
    const boss = t.running.services.boss;
    const queue = 'thread.post-instructions';
    expect(FETCH_BATCH[queue]).toBeGreaterThan(2);
    // The first job to run hangs (pg-boss does not return a batch in any set order).
    let hangingN: number | null = null;
    const runs = new Map<number, number>();
    const handlers = everyQueue(async (_s, data) => {
      const n = Number(data.n);
      runs.set(n, (runs.get(n) ?? 0) + 1);
      if (hangingN === null) {
        hangingN = n;
        return new Promise(() => {});
      }
      return { n };
    });
    const ids = new Map<number, string>();
    for (const n of [0, 1, 2])
      ids.set(
        n,
        (await boss.send(queue, { n }, { expireInSeconds: EXPIRY_SECONDS, retryLimit: 1, retryDelay: 0 }))!,
      );
    const log: string[] = [];
    worker = await startWorker(t.running.services, handlers, { log: (m) => log.push(m) });
    const done = async () =>
      (await Promise.all([...ids.values()].map(jobOf))).every((j) => j.state === 'completed');
    expect(await waitFor(done, 25_000)).toBe(true);

    const hung = hangingN!;
    expect(log).toContain(`job ${queue} ${ids.get(hung)}: stopped at its time limit (5.4 s)`);
    for (const [n, id] of ids) {
      expect((await jobOf(id)).retry_count).toBe(1);
      if (n === hung) continue;
      // Never started in the first batch: run once, in the next.
      expect(log).toContain(`job ${queue} ${id}: not started before its time limit`);
      expect(runs.get(n)).toBe(1);
    }
    expect(runs.get(hung)).toBe(2);
  }, 40_000);

  it('the send job against an SMTP server that never answers the end of the message: its signal closes the conversation at the time limit and the email waits for its retry', async () => {
    conversation.hang = true;
    await support.post(`/api/requests/${requestId}/messages`, {
      thread: 'internal',
      body: 'Posted while the mail server hangs',
    });
    expect(await dispatchPending(t.running.services)).toBe(1);
    const db = t.running.services.database.db;
    const [email] = await db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.requestId, requestId), eq(outboundEmails.status, 'queued')));
    expect(email).toBeDefined();
    // The queued job, with this test's short expiry (its own is JOB_EXPIRY_SECONDS['mail.send']).
    const { rows } = await t.running.services.database.pool.query<{ id: string }>(
      `update pgboss.job set expire_in = $1 * interval '1 second', retry_limit = 0
        where name = 'mail.send' and state = 'created' and data->>'outboundId' = $2 returning id`,
      [EXPIRY_SECONDS, email!.id],
    );
    expect(rows).toHaveLength(1);
    const job = rows[0]!.id;
    worker = await startWorker(t.running.services, JOB_HANDLERS);
    const reload = async () =>
      (await db.select().from(outboundEmails).where(eq(outboundEmails.id, email!.id)))[0]!;
    expect(await waitFor(async () => (await reload()).status === 'retrying', 25_000)).toBe(true);

    // The server had the whole message and was holding its answer when the app hung up.
    expect(conversation.messageEnded).toBe(true);
    expect(await waitFor(async () => conversation.closed, 5_000)).toBe(true);
    const after = await reload();
    expect(after.attempts).toBe(1);
    expect(after.lastError).toBe(`${NO_ANSWER}the job's time limit (5.4 s from its fetch) passed`);
    const failed = await jobOf(job);
    expect(failed.state).toBe('failed');
    expect(failed.output?.message).toMatch(
      /^Stopped at its time limit: no outcome 5\.4 s after it was fetched/,
    );
    expect(failed.before_expiry).toBe(true);
  }, 40_000);
});
