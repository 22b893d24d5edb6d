// Issue 8, outages: the probe that ends an SMTP outage early (mail/send.ts wakeWhenServerAnswers).
// Emails that found the server unreachable wait on the server, not on their backoff: once it answers
// they are due at once. An email the server deferred with a 4xx keeps its backoff (the server was
// there; the mailbox was not ready), so a busy server is not hammered. In-process, real SMTP sink.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundEmails } from '../../src/server/db/schema-mail.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { NO_ANSWER, wakeWhenServerAnswers } from '../../src/server/mail/send.js';
import { createMailApp, type Sink, startSink } from '../mail/support.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, linkSupervisor } from '../support/factories.js';
import { createRequestAs, runJobs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

let t: TestApp;
let sink: Sink;
let support: Agent;
let requestId: string;

const db = () => t.running.services.database.db;
const pump = async () => {
  await dispatchPending(t.running.services);
  await runJobs(t);
};
const emailOf = async (body: string) => {
  await support.post(`/api/requests/${requestId}/messages`, { thread: 'internal', body });
  await pump();
  const rows = await db().select().from(outboundEmails).where(eq(outboundEmails.requestId, requestId));
  return rows.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime()).at(-1)!;
};
const reload = async (id: string) =>
  (await db().select().from(outboundEmails).where(eq(outboundEmails.id, id)))[0]!;

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t);
  const supportUser = await createUser(t, practice, ['support']);
  support = await signIn(t, supportUser);
  const therapist = await createUser(t, practice, ['therapist']);
  await linkSupervisor(t, therapist, await createUser(t, practice, ['supervisor']));
  const client = await createClient(t, practice, therapist);
  requestId = (await createRequestAs(support, client.id)).id;
  await runJobs(t);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

describe('the SMTP probe (issue 8)', () => {
  it('an email that found the server down waits on the server: the probe leaves it while the server is down and makes it due the moment it answers', async () => {
    await sink.stop();
    const email = await emailOf('Posted while the mail server is down');
    expect(email.status).toBe('retrying');
    expect(email.lastError?.startsWith(NO_ANSWER)).toBe(true);
    const backoffUntil = email.nextAttemptAt!;
    expect(backoffUntil.getTime()).toBeGreaterThan(t.clock.now().getTime());

    expect(await wakeWhenServerAnswers(t.running.services)).toBe(0);
    expect((await reload(email.id)).nextAttemptAt).toEqual(backoffUntil);

    await sink.start();
    expect(await wakeWhenServerAnswers(t.running.services)).toBe(1);
    expect((await reload(email.id)).nextAttemptAt!.getTime()).toBeLessThanOrEqual(t.clock.now().getTime());
    const before = sink.messages.length;
    await pump(); // no clock advance: without the probe it would wait for its 30-second backoff
    expect((await reload(email.id)).status).toBe('sent');
    expect(sink.messages.length).toBe(before + 1);
  });

  it('an email the server deferred with a 4xx keeps its backoff: the probe does not wake it', async () => {
    sink.refuseWith = 451;
    try {
      const email = await emailOf('Posted while the mailbox is not ready');
      expect(email.status).toBe('retrying');
      expect(email.lastError?.startsWith(NO_ANSWER)).toBe(false);
      expect(await wakeWhenServerAnswers(t.running.services)).toBe(0);
      expect((await reload(email.id)).nextAttemptAt).toEqual(email.nextAttemptAt);
    } finally {
      sink.refuseWith = null;
    }
  });
});
