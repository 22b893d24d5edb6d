// Outbound email through a real SMTP server (smtp-server as the sink): the raw MIME of what was
// sent (headers, threading, no health information: REL-2, SEC-5), the requester's emails without the
// thread's text, the outage (sink stopped; afterwards every message arrived once by Message-ID), and
// a permanent refusal shown on the thread.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundEmails } from '../../src/server/db/schema-mail.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import type { TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { createMailApp, header, REPLY_DOMAIN, type Sink, startSink } from './support.js';

const DIAGNOSIS = 'F43.10 post-traumatic stress disorder';
const NOTE = 'In session the client disclosed panic attacks';

let t: TestApp;
let sink: Sink;
let support: Agent;
let supportUser: TestUser;
let therapist: TestUser;
let supervisor: TestUser;
let request: RequestDetails;
let lastName: string;

const db = () => t.running.services.database.db;
/** The first internal email (the instructions); the requester's acknowledgement goes out beside it. */
const internalFirst = () => sink.messages.find((m) => !m.rcptTo.includes('maya@example.test'))!;
const pump = async () => {
  await dispatchPending(t.running.services);
  await runJobs(t);
};

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t);
  supportUser = await createUser(t, practice, ['support']);
  support = await signIn(t, supportUser);
  therapist = await createUser(t, practice, ['therapist']);
  supervisor = await createUser(t, practice, ['supervisor']);
  await linkSupervisor(t, therapist, supervisor);
  const client = await createClient(t, practice, therapist, { firstName: 'Maya' });
  lastName = client.lastName;
  request = await createRequestAs(support, client.id, {
    requester: { name: 'Maya Client', email: 'maya@example.test' },
    notes: DIAGNOSIS,
    purpose: NOTE,
  });
  await runJobs(t);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

describe('outbound email (issue 5)', () => {
  it('the instructions of a new request are emailed to the internal thread in their own transaction, with a stable Message-ID, a plus-token Reply-To and the client initials, and no health information (REL-2, SEC-5)', async () => {
    // The instructions, and the requester's acknowledgement (issue 5, requester-notices.test.ts).
    expect(sink.messages).toHaveLength(2);
    const m = internalFirst();
    expect(header(m.raw, 'Message-ID')).toMatch(new RegExp(`^<[0-9a-f-]{36}@${REPLY_DOMAIN}>$`));
    expect(header(m.raw, 'Reply-To')).toMatch(new RegExp(`^records\\+[a-z2-7]{26}@${REPLY_DOMAIN}$`));
    expect(header(m.raw, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(m.raw, 'Subject')).toContain(request.number);
    expect(m.rcptTo).toEqual(expect.arrayContaining([therapist.email, supervisor.email, supportUser.email]));
    expect(m.parsed.text).toContain('client M.C.');
    expect(m.parsed.text).toContain(`https://records.practice.test/requests/${request.id}`);
    for (const secret of [DIAGNOSIS, NOTE, lastName, 'Maya']) expect(m.raw).not.toContain(secret);
    const [row] = await db().select().from(outboundEmails).where(eq(outboundEmails.kind, 'instructions'));
    expect(row?.status).toBe('sent');
    expect(row?.serverResponse).toMatch(/^250/);
    expect(header(m.raw, 'Message-ID')).toBe(row?.messageId);
  });

  it("a staff member's message says who wrote and links to the request (its text only with the practice's opt-in); the next email threads under the first", async () => {
    const res = await support.post(`/api/requests/${request.id}/messages`, {
      thread: 'internal',
      body: `Heads up: ${NOTE}.`,
    });
    expect(res.statusCode).toBeLessThan(300);
    await pump();
    expect(sink.messages).toHaveLength(3);
    const [first, second] = [internalFirst(), sink.messages.at(-1)];
    expect(second!.raw).not.toContain(NOTE);
    expect(second!.parsed.text).toContain(`${supportUser.name} wrote on the request's internal thread`);
    expect(second!.rcptTo).not.toContain(supportUser.email); // never its own author
    const firstId = header(first!.raw, 'Message-ID')!;
    expect(header(second!.raw, 'In-Reply-To')).toBe(firstId);
    expect(header(second!.raw, 'References')).toContain(firstId);
    expect(header(second!.raw, 'Reply-To')).toBe(header(first!.raw, 'Reply-To'));
  });

  it('an email to the requester never carries the thread text: who wrote, the request number and a link; its reply address is not the internal one', async () => {
    await support.post(`/api/requests/${request.id}/messages`, {
      thread: 'requester',
      body: `We found the ${DIAGNOSIS} assessment.`,
    });
    await pump();
    const m = sink.messages.at(-1)!;
    expect(m.rcptTo).toEqual(['maya@example.test']);
    expect(m.raw).not.toContain(DIAGNOSIS);
    expect(header(m.raw, 'Subject')).toContain(request.number);
    expect(m.parsed.text).toContain(`${supportUser.name} at`);
    // Issue 7: the link is the requester's own status link (a token of its own), not the plain address.
    expect(m.parsed.text).toMatch(/\/portal\/links\/[A-Za-z0-9_-]{43}/);
    expect(header(m.raw, 'Reply-To')).not.toBe(header(internalFirst().raw, 'Reply-To'));
  });

  it('with the SMTP server down, emails wait ("not delivered yet, retrying") and go out when it returns: every one arrives, counted by distinct Message-ID, with no raw duplicate', async () => {
    await sink.stop();
    const before = sink.messages.length;
    for (const body of ['First while down', 'Second while down', 'Third while down']) {
      await support.post(`/api/requests/${request.id}/messages`, { thread: 'internal', body });
    }
    await pump();
    let rows = await db().select().from(outboundEmails).where(eq(outboundEmails.requestId, request.id));
    const waiting = rows.filter((r) => r.status === 'retrying');
    expect(waiting).toHaveLength(3);
    expect(waiting[0]!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const delivery = (await support.get(`/api/requests/${request.id}/mail`)).json().emails;
    expect(delivery.filter((e: { label: string }) => e.label === 'not delivered yet, retrying')).toHaveLength(
      3,
    );

    t.clock.advance(2 * 60_000); // a second try, still down
    await pump();
    rows = await db().select().from(outboundEmails).where(eq(outboundEmails.requestId, request.id));
    expect(rows.filter((r) => r.status === 'retrying').every((r) => r.attempts === 2)).toBe(true);

    await sink.start();
    t.clock.advance(60 * 60_000);
    await pump();
    await pump();
    rows = await db().select().from(outboundEmails).where(eq(outboundEmails.requestId, request.id));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const arrived = sink.messages.slice(before);
    expect(arrived).toHaveLength(3);
    const ids = sink.messages.map((m) => header(m.raw, 'Message-ID'));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.messageId)));
  });

  it('a permanent refusal (550) fails with its reason, shown on the internal thread and audited', async () => {
    support = await signIn(t, supportUser); // the clock moved past the idle timeout
    sink.refuseWith = 550;
    await support.post(`/api/requests/${request.id}/messages`, {
      thread: 'requester',
      body: 'Your invoice is ready.',
    });
    await pump();
    sink.refuseWith = null;
    const [failed] = await db().select().from(outboundEmails).where(eq(outboundEmails.status, 'failed'));
    expect(failed?.lastError).toMatch(/550/);
    const details = (await support.get(`/api/requests/${request.id}`)).json() as RequestDetails;
    const notice = details.thread.find((m) => m.kind === 'mail_failed');
    expect(notice?.body).toMatch(/Failed: .*550/);
    expect((await auditRows(t, 'mail.failed')).length).toBe(1);
    const delivery = (await support.get(`/api/requests/${request.id}/mail`)).json().emails;
    expect(delivery.some((e: { label: string }) => e.label.startsWith('failed: '))).toBe(true);
  });
});

describe('without SMTP (the embedded default)', () => {
  it('emails are kept in the outbox, the status says mail is not delivered, and support reads a code out by phone (audited, never listed)', async () => {
    const { createTestApp } = await import('../support/app.js');
    const { mailConfig } = await import('./support.js');
    const { threadMessages } = await import('../../src/server/db/schema.js');
    const local = await createTestApp({ mail: mailConfig() });
    try {
      const practice = await createPractice(local);
      const agent = await signIn(local, await createUser(local, practice, ['support']));
      const th = await createUser(local, practice, ['therapist']);
      const client = await createClient(local, practice, th);
      const r = await createRequestAs(agent, client.id);
      await runJobs(local);
      // The secure link's code message, as create-delivery-link posts it.
      await local.running.services.database.db.insert(threadMessages).values({
        practiceId: practice.id,
        requestId: r.id,
        thread: 'requester',
        kind: 'secure_link_code',
        subject: 'Your confirmation code',
        body: 'Your confirmation code is 493817.',
        createdAt: local.clock.now(),
      });
      await dispatchPending(local.running.services);
      const status = (await agent.get('/api/mail/status')).json();
      expect(status).toMatchObject({ delivering: false, smtp: null });
      expect(status.outbox).toBe(3); // the instructions, the acknowledgement, the code
      const outbox = (await agent.get('/api/mail/outbox')).json().emails as {
        id: string;
        kind: string;
        text: string | null;
        label: string;
      }[];
      expect(outbox.every((e) => e.label === 'kept in the outbox (email is not set up)')).toBe(true);
      const code = outbox.find((e) => e.kind === 'secure_link_code')!;
      expect(code.text).toBeNull();
      const read = await agent.post(`/api/mail/outbox/${code.id}/read-code`, {});
      expect(read.json().text).toContain('493817');
      const audit = await auditRows(local, 'mail.outbox_code_read');
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit)).not.toContain('493817');
      const therapistAgent = await signIn(local, th);
      expect((await therapistAgent.get('/api/mail/outbox')).statusCode).toBe(403);
      expect((await therapistAgent.get('/api/mail/status')).json().delivering).toBe(false);
    } finally {
      await local.close();
    }
  });
});
