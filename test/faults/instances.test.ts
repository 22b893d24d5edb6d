// Issue 8, several instances (quick, in `npm test`): two app processes (`src/server/main.ts`) on one
// PostgreSQL database of this test run's server share sessions (signed in on A, used and signed out
// on B), files (uploaded on A, downloaded whole on B) and the job queue (notifications posted through
// both: each email sent once, counted at a real SMTP sink by Message-ID and in the database), and
// an account lockout holds on both (failures counted in the database), as does a per-address rate
// limit (one budget for both: src/server/http/rate-limit-store.ts); two
// sweeps queued for one tick climb each escalation rung once (rule TIME-6). The sized run (1,000 jobs,
// real cron ticks) is instances.long.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from './support/http.js';
import {
  createRequestOn,
  emailsOfLabel,
  emailsPending,
  escalationsOf,
  makeOverdue,
  postNotifications,
  queueSweeps,
  sweepJobs,
  type Target,
  tallyEmails,
} from './support/instances-run.js';
import { call, download, signInOn, uploadPdf } from './support/instances-session.js';
import { MAIL_ENV, seedWorld, type World, waitFor } from './support/mail-world.js';
import { paddedPdf } from './support/seed.js';
import { type SmtpSink, startSmtpSink } from './support/smtp-sink.js';

const NOTIFICATIONS = 60;

let sink: SmtpSink;
let world: World;
let a: Target;
let b: Target;
let requestId: string;

/** Nothing left to email, and the sink has every email the database says went out. */
const drained = async () =>
  (await emailsPending(world.pool)) === 0 && (await tallyEmails(world.pool, sink)).missing.length === 0;

beforeAll(async () => {
  sink = await startSmtpSink();
  world = await seedWorld({ instances: 2, supportUsers: 3, env: { ...MAIL_ENV, SMTP_URL: sink.url } });
  await Promise.all(world.apps.map((app) => app.start()));
  const [appA, appB] = world.apps as [(typeof world.apps)[0], (typeof world.apps)[0]];
  a = { baseUrl: appA.baseUrl, session: await signInOn(appA.baseUrl, world.support[0]!) };
  b = { baseUrl: appB.baseUrl, session: await signInOn(appB.baseUrl, world.support[1]!) };
  requestId = await createRequestOn(a, world.clientId);
}, 180_000);

afterAll(async () => {
  await world?.close();
  await sink?.stop();
});

describe('several instances on one PostgreSQL (issue 8)', () => {
  it('a session signed in on A works on B (reads and CSRF-checked writes), and signing out on B ends it on A', async () => {
    const user = world.support[2]!;
    const s = await signInOn(a.baseUrl, user);
    const me = await call(b.baseUrl, s, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(JSON.stringify(me.body)).toContain(user.id);
    const write = await call(b.baseUrl, s, 'POST', `/api/requests/${requestId}/messages`, {
      thread: 'internal',
      body: 'Written on B with the session from A',
    });
    expect(write.status).toBeLessThan(300);
    expect((await call(b.baseUrl, s, 'POST', '/api/auth/logout', {})).status).toBeLessThan(300);
    expect((await call(a.baseUrl, s, 'GET', '/api/me')).status).toBe(401);
  });

  it('five wrong passwords spread over A and B lock the account on both: the lockout lives in the database, not in one process (SEC-1)', async () => {
    const user = world.supervisor;
    const login = (baseUrl: string, password: string) =>
      send(baseUrl, 'POST', '/api/auth/login', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: user.email, password }),
      });
    for (let i = 0; i < 5; i++) {
      const res = await login(i % 2 === 0 ? a.baseUrl : b.baseUrl, `wrong password ${i}`);
      expect(res.status).toBeGreaterThanOrEqual(400);
    }
    expect((await login(a.baseUrl, user.password)).status).toBe(429);
    expect((await login(b.baseUrl, user.password)).status).toBe(429);
  });

  it('REL-2: guessed secure-link tokens from one address spread over A and B spend one budget of 20 a minute: the 21st is refused on both (the counts live in the database)', async () => {
    const guess = (baseUrl: string) =>
      send(baseUrl, 'GET', `/api/links/${randomBytes(32).toString('base64url')}`);
    const answers: number[] = [];
    for (let i = 0; i < 20; i++) answers.push((await guess(i % 2 === 0 ? a.baseUrl : b.baseUrl)).status);
    expect(answers).toEqual(Array(20).fill(404));
    const onA = await guess(a.baseUrl);
    const onB = await guess(b.baseUrl);
    expect([onA.status, onB.status]).toEqual([429, 429]);
    expect(Number(onB.headers?.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a file uploaded on A downloads whole on B (the same bytes)', async () => {
    const pdf = await paddedPdf('Progress note uploaded on instance A', 64 * 1024);
    const up = await uploadPdf(a.baseUrl, a.session, requestId, { filename: 'note-a.pdf', data: pdf });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const fileId = (up.body as { id: string }).id;
    const got = await download(b.baseUrl, b.session, `/api/requests/${requestId}/files/${fileId}`);
    expect(got.status).toBe(200);
    const sha = (d: Buffer) => createHash('sha256').update(d).digest('hex');
    expect(sha(got.data!)).toBe(sha(pdf));
  });

  it(`${NOTIFICATIONS} notifications posted through both instances: each email is sent once (idempotency keys), none lost`, async () => {
    const started = Date.now();
    const label = 'Shared-queue notification';
    const through = await postNotifications([a, b], requestId, NOTIFICATIONS, 4, label);
    expect(await waitFor(drained, 60_000)).toBe(true);
    const seconds = (Date.now() - started) / 1000;
    const t = await tallyEmails(world.pool, sink);
    console.log(
      `[instances, quick] ${NOTIFICATIONS} notifications (${through.join(' via A, ')} via B): ${t.delivered}/${t.emails} emails ` +
        `delivered distinct, ${t.duplicates} raw duplicates, ${t.messagesWithSeveralEmails} messages with two emails; ` +
        `${(t.emails / seconds).toFixed(1)} emails/s end to end`,
    );
    expect(await emailsOfLabel(world.pool, label)).toEqual({
      messages: NOTIFICATIONS,
      emails: NOTIFICATIONS,
    });
    expect(t.done).toBe(t.emails);
    expect(t.missing).toEqual([]);
    expect(t.unknown).toEqual([]);
    expect(t.messagesWithSeveralEmails).toBe(0);
    expect(t.duplicates).toBe(0);
  }, 90_000);

  it('two sweeps queued for one tick, run by two instances: each escalation rung is climbed once (TIME-6)', async () => {
    const taskIds = await makeOverdue(world.pool, requestId);
    expect(taskIds.length).toBeGreaterThan(0);
    const before = (await sweepJobs(world.pool)).length;
    await queueSweeps(world.databaseUrl, 2);
    const done = async () => {
      const jobs = await sweepJobs(world.pool);
      return jobs.length >= before + 2 && jobs.every((j) => j.state === 'completed');
    };
    expect(await waitFor(done, 30_000)).toBe(true);
    const jobs = await sweepJobs(world.pool);
    const e = await escalationsOf(world.pool, taskIds);
    const climbed = jobs.reduce((n, j) => n + (j.result?.escalations ?? 0), 0);
    console.log(
      `[instances, quick] ${jobs.length} sweep job(s) (two queued for one tick, any real tick besides): ${jobs.filter((j) => j.result).length} acted, ` +
        `${jobs.filter((j) => j.result === null).length} found the lock held; ${e.rungs} rungs climbed, ${e.messages} messages`,
    );
    expect(e.rungs).toBeGreaterThan(0);
    expect(e.distinctRungs).toBe(e.rungs);
    expect(e.messages).toBe(e.rungs);
    expect(climbed).toBe(e.rungs);
    expect(await waitFor(drained, 30_000)).toBe(true);
    expect(sink.duplicates()).toBe(0);
  }, 60_000);
});
