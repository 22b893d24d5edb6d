// Issue 8, several instances (sized, `npm run test:faults`): two app processes on one PostgreSQL
// database, each scheduling the clocks sweep every minute (CLOCKS_SWEEP_MINUTES=1). 1,000
// notifications (3,000 with `-- --full`) posted through both become 1,000 email jobs: each has its
// effect once (one email per message by its unique key, one arrival per Message-ID at a real SMTP
// sink). Meanwhile the real cron ticks: pg-boss queues one sweep per tick across both instances, and
// each escalation rung is climbed once (rule TIME-6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRequestOn,
  emailsOfLabel,
  emailsPending,
  escalationsOf,
  makeOverdue,
  postNotifications,
  sweepJobs,
  type Target,
  tallyEmails,
} from './support/instances-run.js';
import { signInOn } from './support/instances-session.js';
import { MAIL_ENV, seedWorld, type World, waitFor } from './support/mail-world.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const FULL = process.env.RELEASE_DESK_FAULTS_FULL === '1';
const NOTIFICATIONS = FULL ? 3_000 : 1_000;
const TICKS = FULL ? 4 : 2;

let sink: SmtpSink;
let world: World;
let targets: Target[];
let requestId: string;
let overdueTasks: string[];
let startedAt: Date;

beforeAll(async () => {
  sink = await startSmtpSink();
  world = await seedWorld({
    instances: 2,
    supportUsers: 2,
    env: { ...MAIL_ENV, SMTP_URL: sink.url, CLOCKS_SWEEP_MINUTES: '1' },
  });
  startedAt = new Date();
  await Promise.all(world.apps.map((app) => app.start()));
  targets = await Promise.all(
    world.apps.map(async (app, i) => ({
      baseUrl: app.baseUrl,
      session: await signInOn(app.baseUrl, world.support[i]!),
    })),
  );
  requestId = await createRequestOn(targets[0]!, world.clientId);
  // Work for the sweeps: the request's open tasks a month overdue (the whole ladder due at once).
  overdueTasks = await makeOverdue(world.pool, requestId);
});

afterAll(async () => {
  await world?.close();
  await sink?.stop();
});

describe(`several instances, ${FULL ? 'full' : 'CI-sized'} (issue 8)`, () => {
  it(`${NOTIFICATIONS} email jobs from both instances each have their effect once: one email per message, one arrival per Message-ID`, async () => {
    const label = 'Sized shared-queue notification';
    const started = Date.now();
    const through = await postNotifications(targets, requestId, NOTIFICATIONS, 8, label);
    const postedMs = Date.now() - started;
    const drained = async () =>
      (await emailsPending(world.pool)) === 0 && (await tallyEmails(world.pool, sink)).missing.length === 0;
    expect(await waitFor(drained, 15 * 60_000, 500)).toBe(true);
    const seconds = (Date.now() - started) / 1000;
    const t = await tallyEmails(world.pool, sink);
    const mine = await emailsOfLabel(world.pool, label);
    console.log(
      `[instances, ${FULL ? 'full' : 'CI'}] ${NOTIFICATIONS} notifications (${through.join(' / ')} via A / B) posted in ` +
        `${(postedMs / 1000).toFixed(1)} s; ${t.delivered}/${t.emails} emails delivered distinct in ${seconds.toFixed(1)} s ` +
        `(${(t.emails / seconds).toFixed(1)} jobs/s end to end, two instances), ${t.duplicates} raw duplicates, ` +
        `${t.messagesWithSeveralEmails} messages with two emails`,
    );
    expect(mine).toEqual({ messages: NOTIFICATIONS, emails: NOTIFICATIONS });
    expect(t.done).toBe(t.emails);
    expect(t.missing).toEqual([]);
    expect(t.unknown).toEqual([]);
    expect(t.messagesWithSeveralEmails).toBe(0);
    expect(t.duplicates).toBe(0);
  });

  it(`the sweep on a 1-minute cron in both instances: one sweep job per tick over ${TICKS} ticks, each rung climbed once (TIME-6)`, async () => {
    // pg-boss's cron records each tick as one send-it job per minute slot; its worker queues the sweep.
    const snapshot = async () => {
      const { rows } = await world.pool.query<{ state: string }>(
        `select state from pgboss.job
          where name = '__pgboss__send-it' and data->>'name' = 'clocks.sweep' and created_on >= $1`,
        [startedAt],
      );
      const jobs = (await sweepJobs(world.pool)).filter((j) => j.createdOn >= startedAt);
      return { ticks: rows, jobs };
    };
    let seen = await snapshot();
    const ticked = async () => {
      seen = await snapshot();
      return (
        seen.jobs.length >= TICKS &&
        seen.ticks.every((t) => t.state === 'completed') &&
        seen.jobs.every((j) => j.state === 'completed')
      );
    };
    expect(await waitFor(ticked, (TICKS + 2) * 60_000, 1_000)).toBe(true);
    const { ticks, jobs } = seen;
    const e = await escalationsOf(world.pool, overdueTasks);
    const climbed = jobs.reduce((n, j) => n + (j.result?.escalations ?? 0), 0);
    console.log(
      `[instances, ${FULL ? 'full' : 'CI'}] ${ticks.length} cron ticks, ${jobs.length} sweep jobs ` +
        `(${jobs.map((j) => (j.result ? `${j.result.escalations} rungs` : 'lock held')).join(', ')}); ` +
        `${e.rungs} rungs climbed, ${e.messages} escalation messages`,
    );
    expect(ticks.length).toBeGreaterThanOrEqual(TICKS);
    expect(jobs.length).toBe(ticks.length);
    expect(e.rungs).toBeGreaterThan(0);
    expect(e.distinctRungs).toBe(e.rungs);
    expect(e.messages).toBe(e.rungs);
    expect(climbed).toBe(e.rungs);
  });
});
