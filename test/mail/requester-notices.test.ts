// The requester thread's own messages (issue 5): acknowledgement, fee quote, status and released,
// each posted by its command in the command's transaction, once, and emailed as is to the requester
// through a real SMTP sink, with no health information (REL-2, SEC-5).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadMessages } from '../../src/server/db/schema.js';
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
import { type Agent, signIn } from '../support/session.js';
import { createMailApp, header, type Sink, startSink } from './support.js';

const DIAGNOSIS = 'F43.10 post-traumatic stress disorder';
const REQUESTER = 'jo@example.test';

let t: TestApp;
let sink: Sink;
const u: Record<string, TestUser> = {};
const as: Record<string, Agent> = {};
let clientId: string;
let clientLastName: string;

const db = () => t.running.services.database.db;
const pump = async () => {
  await runJobs(t);
  await dispatchPending(t.running.services);
  await runJobs(t);
};
const toRequester = () => sink.messages.filter((m) => m.rcptTo.includes(REQUESTER));
async function post(who: string, r: { id: string }, path: string, body: unknown = {}) {
  const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
  if (res.statusCode >= 300) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
  return res.json();
}
async function notices(requestId: string, kind: string) {
  return db()
    .select()
    .from(threadMessages)
    .where(and(eq(threadMessages.requestId, requestId), eq(threadMessages.kind, kind)));
}
const newRequest = () =>
  createRequestAs(as.support!, clientId, {
    requester: { name: 'Jo Client', email: REQUESTER },
    purpose: DIAGNOSIS,
    notes: DIAGNOSIS,
  });

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t, {
    name: 'Riverbend Counseling',
    privacyOfficerName: 'Pat Privacy',
    privacyOfficerPhone: '555-0100',
    privacyOfficerEmail: 'privacy@riverbend.test',
  });
  u.support = await createUser(t, practice, ['support']);
  u.therapist = await createUser(t, practice, ['therapist']);
  u.supervisor = await createUser(t, practice, ['supervisor']);
  u.clinical = await createUser(t, practice, ['clinical_services']);
  u.privacy = await createUser(t, practice, ['privacy_officer']);
  await linkSupervisor(t, u.therapist, u.supervisor);
  const client = await createClient(t, practice, u.therapist, { firstName: 'Jo' });
  clientId = client.id;
  clientLastName = client.lastName;
  for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

describe('requester notices (issue 5)', () => {
  let r: RequestDetails;

  it('REL-2, SEC-5: a new request acknowledges the requester by email in its own transaction: the number, what happens next and who to contact, no health information', async () => {
    r = await newRequest();
    // Posted and its email created with the request, before any job runs.
    const [ack] = await notices(r.id, 'requester_acknowledgement');
    expect(ack).toMatchObject({
      thread: 'requester',
      authorId: null,
      idempotencyKey: `requester-notice:ack:${r.id}`,
    });
    const [email] = await db()
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.threadMessageId, ack!.id));
    expect(email?.status).toBe('queued');
    await pump();
    const [m] = toRequester();
    expect(m).toBeDefined();
    expect(m!.rcptTo).toEqual([REQUESTER]);
    expect(header(m!.raw, 'Subject')).toContain(r.number);
    expect(m!.parsed.text).toContain(`Its number is ${r.number}`);
    expect(m!.parsed.text).toContain('What happens next');
    expect(m!.parsed.text).toContain('call 555-0100 or email privacy@riverbend.test (Riverbend Counseling)');
    for (const secret of [DIAGNOSIS, clientLastName, 'progress notes', 'Progress notes']) {
      expect(m!.raw).not.toContain(secret);
    }
  });

  it('FEE-3, REL-2: a fee quote tells the requester the amount in advance, once per quote', async () => {
    const before = toRequester().length;
    const quoted = await post('support', r, 'fee-quote', {
      basis: 'flat',
      lines: [{ code: 'flat_electronic', description: 'Copies, electronic', amountCents: 650 }],
    });
    const [fee] = await notices(r.id, 'requester_fee_quote');
    expect(fee?.idempotencyKey).toBe(`requester-notice:fee-quote:${quoted.quote.id}`);
    await pump();
    const sent = toRequester().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.parsed.text).toContain(`The fee for your records request ${r.number} is $6.50.`);
    expect(sent[0]!.parsed.text).toContain('nothing is charged until you agree');
    expect(sent[0]!.raw).not.toContain(DIAGNOSIS);
  });

  it('REL-2: a release tells the requester the records were released and how they come, never what they are', async () => {
    await post('support', r, 'intake', { verification: { method: 'Photo ID by secure upload' } });
    await post('therapist', r, 'client-discussion', { outcome: 'go_ahead' });
    await post('supervisor', r, 'supervisor-review', { decision: 'release', consequences: 'None' });
    await post('support', r, 'invoice', { mode: 'no_fee' });
    await post('clinical', r, 'preparation', {});
    await post('supervisor', r, 'preparation/approval', {});
    const before = toRequester().length;
    const done = (await post('support', r, 'release', {
      method: 'mail',
      details: { postedOn: t.clock.now().toISOString().slice(0, 10), trackingNumber: '9400 1000 0000' },
    })) as RequestDetails;
    expect(done.stage).toBe('released');
    expect(done.thread.filter((m) => m.kind === 'requester_ready')).toHaveLength(1);
    await pump();
    const ready = toRequester()
      .slice(before)
      .find((m) => header(m.raw, 'Subject')?.includes('records released'));
    expect(ready?.parsed.text).toContain(`The records for your request ${r.number} were released.`);
    expect(ready?.parsed.text).toContain('sent by post');
    expect(ready!.raw).not.toContain(DIAGNOSIS);
    expect(ready!.raw).not.toContain(clientLastName);
  });

  it('REL-2: a withdrawn or cancelled request tells the requester its status in plain words, once', async () => {
    const w = await newRequest();
    await post('support', w, 'withdrawal', {
      reason: 'The requester no longer needs it',
      messageToRequester: `As you asked, we stopped (${DIAGNOSIS}).`,
    });
    const c = await newRequest();
    await post('privacy', c, 'cancellation', {
      reason: 'Duplicate',
      messageToRequester: 'We already have your request.',
    });
    await pump();
    const [ws] = await notices(w.id, 'requester_status');
    expect(ws?.subject).toBe(`Your records request ${w.number}: withdrawn at your request`);
    const [cs] = await notices(c.id, 'requester_status');
    expect(cs?.body).toContain(`Your records request ${c.number} is now closed: cancelled.`);
    const mails = toRequester().filter((m) =>
      header(m.raw, 'Subject')?.includes('withdrawn at your request'),
    );
    expect(mails).toHaveLength(1);
    // The staff's own message is read in the app: its email never carries the text (REL-2).
    for (const m of toRequester()) expect(m.raw).not.toContain(DIAGNOSIS);
  });

  it("REV-5, KIND-2: a copy the client directs to someone else sends the named recipient no acknowledgement (the client's business)", async () => {
    const d = await createRequestAs(as.support!, clientId, {
      kind: 'client_directed',
      requester: { name: 'Dr. Next', organization: 'Next Clinic', email: 'next@clinic.test' },
    });
    expect(await notices(d.id, 'requester_acknowledgement')).toEqual([]);
  });

  it('REL-2: a request with no requester email keeps its notices on the thread with no recipient', async () => {
    const none = await createRequestAs(as.support!, clientId, { requester: { name: 'Walk-in' } });
    const [ack] = await notices(none.id, 'requester_acknowledgement');
    const [email] = await db()
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.threadMessageId, ack!.id));
    expect(email?.status).toBe('no_recipients');
  });
});
