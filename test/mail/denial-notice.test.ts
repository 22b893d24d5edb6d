// A denial ends a request, so the requester is told it is closed (issue 7), as a withdrawal, a
// cancellation and a no-records answer already told them: a requester_status notice on the requester
// thread, posted in the denial's own transaction, with its email queued there too, in English or in
// Spanish by the request's language; nothing for a copy the client directs to someone else (KIND-2).
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadMessages } from '../../src/server/db/schema.js';
import { outboundEmails } from '../../src/server/db/schema-mail.js';
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

const DENIAL_WORDS = 'Reading these notes now could put you at risk.';

let t: TestApp;
let sink: Sink;
const u: Record<string, TestUser> = {};
const as: Record<string, Agent> = {};
let clientId: string;

const db = () => t.running.services.database.db;
async function post(who: string, r: { id: string }, path: string, body: unknown = {}) {
  const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
  if (res.statusCode >= 300) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
  return res.json();
}
async function statusNotices(requestId: string) {
  return db()
    .select()
    .from(threadMessages)
    .where(and(eq(threadMessages.requestId, requestId), eq(threadMessages.kind, 'requester_status')));
}
async function denied(email: string, extra: Record<string, unknown> = {}): Promise<RequestDetails> {
  const r = await createRequestAs(as.support!, clientId, {
    requester: { name: 'Jo Client', email },
    ...extra,
  });
  await post('support', r, 'intake', { verification: { method: 'Photo ID by secure upload' } });
  await post('therapist', r, 'client-discussion', { outcome: 'go_ahead' });
  return (await post('supervisor', r, 'supervisor-review', {
    decision: 'deny',
    consequences: 'Risk to life',
    denialGround: 'endanger_life_or_safety',
    denialLetter: DENIAL_WORDS,
  })) as RequestDetails;
}

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  const practice = await createPractice(t, {
    name: 'Riverbend Counseling',
    privacyOfficerPhone: '555-0100',
    privacyOfficerEmail: 'privacy@riverbend.test',
  });
  u.support = await createUser(t, practice, ['support']);
  u.therapist = await createUser(t, practice, ['therapist']);
  u.supervisor = await createUser(t, practice, ['supervisor']);
  await linkSupervisor(t, u.therapist, u.supervisor);
  clientId = (await createClient(t, practice, u.therapist, { firstName: 'Jo' })).id;
  for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
});
afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

describe('the denial tells the requester the request is closed', () => {
  it('REL-2, REV-3: a denial posts the "closed" status notice on the requester thread and queues its email in the same transaction', async () => {
    const r = await denied('deny-en@example.test');
    expect(r.stage).toBe('denied');
    // Posted and its email created by the denial's request, before any job ran.
    const notices = await statusNotices(r.id);
    expect(notices).toHaveLength(1);
    const [notice] = notices;
    expect(notice).toMatchObject({ thread: 'requester', authorId: null });
    expect(notice!.subject).toBe(
      `Your records request ${r.number}: not granted (our letter explains why and your rights)`,
    );
    expect(notice!.body).toContain(`Your records request ${r.number} is now closed: not granted`);
    expect(r.thread.filter((m) => m.kind === 'requester_status')).toHaveLength(1);
    const [email] = await db()
      .select()
      .from(outboundEmails)
      .where(eq(outboundEmails.threadMessageId, notice!.id));
    expect(email?.status).toBe('queued');
    expect(email?.recipients).toEqual(['deny-en@example.test']);

    await runJobs(t);
    const sent = sink.messages.filter((m) => m.rcptTo.includes('deny-en@example.test'));
    const closed = sent.find((m) => header(m.raw, 'Subject')?.includes('not granted'));
    expect(closed?.parsed.text).toContain('is now closed: not granted');
    // REL-2: the reason stays in the letter, read in the app.
    for (const m of sent) expect(m.raw).not.toContain(DENIAL_WORDS);
  });

  it('REL-2, REV-3: a Spanish request is told in Spanish', async () => {
    const r = await denied('deny-es@example.test', { language: 'es' });
    const [notice] = await statusNotices(r.id);
    expect(notice?.subject).toBe(
      `Su solicitud de expedientes ${r.number}: no aprobada (nuestra carta explica el motivo y sus derechos)`,
    );
    expect(notice?.body).not.toMatch(/\b(is now closed|not granted|What happens next)\b/);
    const [email] = await db()
      .select({ status: outboundEmails.status })
      .from(outboundEmails)
      .where(eq(outboundEmails.threadMessageId, notice!.id));
    expect(email?.status).toBe('queued');
  });

  it('REV-5, KIND-2: a copy the client directs to someone else tells the named recipient nothing of the denial', async () => {
    const r = await denied('next@clinic.test', {
      kind: 'client_directed',
      requester: { name: 'Dr. Next', organization: 'Next Clinic', email: 'next@clinic.test' },
    });
    expect(r.stage).toBe('denied');
    expect(await statusNotices(r.id)).toEqual([]);
  });
});
