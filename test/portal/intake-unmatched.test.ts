// The public form must not tell anyone whether a person is a client (issue 7; being a client of a
// mental-health practice is itself protected health information). A name and birth date that match
// no client are answered exactly like a match (status, receipt, acknowledgement email, the code
// spent and no try counted), and the request is held on a provisional client flagged "not
// matched" that support sees in its queue and resolves through the API: matched to the real client,
// or ended with the written no-records answer (REV-7). VER-1 stays support's job.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients, requests } from '../../src/server/db/schema.js';
import { portalIntakeCodes } from '../../src/server/db/schema-portal-intake.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { createMailApp, type Sink, startSink } from '../mail/support.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { runJobs } from '../support/requests.js';
import { type Agent, auditRows, randomIp, signIn } from '../support/session.js';
import { askCode, codeFrom, submitForm } from './intake-helpers.js';

let t: TestApp;
let sink: Sink;
let support: Agent;
let therapistAgent: Agent;
let practice: Awaited<ReturnType<typeof createPractice>>;
let practiceId: string;
let therapistId: string;
let known: { id: string; firstName: string; lastName: string };
const DOB = '1979-06-14';
const db = () => t.running.services.database.db;

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  practice = await createPractice(t, { name: 'Harbor Counseling', privacyOfficerPhone: '555-0177' });
  practiceId = practice.id;
  const therapist = await createUser(t, practice, ['therapist']);
  therapistId = therapist.id;
  therapistAgent = await signIn(t, therapist);
  support = await signIn(t, await createUser(t, practice, ['support']));
  const c = await createClient(t, practice, therapist, { firstName: 'Lena', dateOfBirth: DOB });
  known = { id: c.id, firstName: 'Lena', lastName: c.lastName };
}, 60_000);

afterAll(async () => {
  await t?.close();
  await sink?.stop();
});

async function verified() {
  const email = `u-${Math.random().toString(36).slice(2, 9)}@example.test`;
  const ip = randomIp();
  const res = await askCode(t, { practiceId, email }, ip);
  expect(res.statusCode, res.body).toBe(202);
  return { email, ip, code: codeFrom(sink, email) };
}

async function send(lastName: string) {
  const { email, ip, code } = await verified();
  const body = {
    practiceId,
    kind: 'own_records',
    email,
    code,
    client: { firstName: 'Lena', lastName, dateOfBirth: DOB },
    records: ['progress_notes'],
  };
  const res = await submitForm(t, body, ip);
  const [row] = await db().select().from(requests).where(eq(requests.requesterEmail, email));
  const [codeRow] = await db()
    .select()
    .from(portalIntakeCodes)
    .where(eq(portalIntakeCodes.requestId, row!.id));
  return { res, email, ip, code, body, row: row!, codeRow: codeRow! };
}

/** The acknowledgement email, with the request number and the address taken out. */
async function ackOf(email: string, number: string) {
  await runJobs(t);
  await dispatchPending(t.running.services);
  await runJobs(t);
  const mail = sink.messages.filter((m) => m.rcptTo.includes(email) && m.parsed.text?.includes(number));
  expect(mail).toHaveLength(1);
  const strip = (s: string) =>
    s
      .replaceAll(number, '<number>')
      .replaceAll(email, '<email>')
      .replace(/\/portal\/links\/[A-Za-z0-9_-]+/g, '/portal/links/<token>');
  return { subject: strip(mail[0]!.parsed.subject ?? ''), text: strip(mail[0]!.parsed.text ?? '') };
}

/** What the sender sees of an answer: status, headers that matter and the body's shape. */
function senderView(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) {
  const body = res.json() as Record<string, unknown>;
  return {
    status: res.statusCode,
    contentType: res.headers['content-type'],
    keys: Object.keys(body).sort(),
    practiceName: body.practiceName,
    files: body.files,
    numberShape: /^R-\d{4}-\d{4}$/.test(String(body.number)),
  };
}

describe('privacy: the form never says whether someone is a client', () => {
  it('a matched and an unmatched name get the same answer, receipt and email; the code is spent and no try counted', async () => {
    const matched = await send(known.lastName);
    const unmatched = await send('Nobody');
    expect(matched.res.statusCode, matched.res.body).toBe(201);
    expect(senderView(unmatched.res)).toEqual(senderView(matched.res));
    expect((unmatched.res.json() as { email: string }).email).toBe(unmatched.email);

    const a = await ackOf(matched.email, matched.row.number);
    const b = await ackOf(unmatched.email, unmatched.row.number);
    expect(b).toEqual(a);

    // The code lockout: an unmatched name is not a wrong try; both codes are spent, neither counted.
    for (const c of [matched.codeRow, unmatched.codeRow]) {
      expect(c).toMatchObject({ attempts: 0, lockedAt: null });
      expect(c.usedAt).not.toBeNull();
    }
    const again = await submitForm(t, unmatched.body, unmatched.ip);
    expect(again.json()).toMatchObject({ error: 'code_used' });

    // No refusal recorded, the submission audited with whether it matched.
    expect((await auditRows(t, 'portal_intake.refused')).filter((r) => r.data.step === 'submit')).toEqual([]);
    const submitted = await auditRows(t, 'portal_intake.submitted');
    const of = (n: string) => submitted.find((r) => r.data.number === n)!;
    expect(of(matched.row.number).data).toMatchObject({ matched: true });
    expect(of(unmatched.row.number).data).toMatchObject({ matched: false, unmatchedReason: 'no_client' });
    expect(of(matched.row.number).actorId).toBeNull();
    expect(of(unmatched.row.number).actorId).toBeNull();
  });

  it('a client with no therapist is held like an unknown name (the answer does not differ either)', async () => {
    const orphan = await createClient(t, practice, null, { firstName: 'Lena', dateOfBirth: DOB });
    const held = await send(orphan.lastName);
    expect(held.res.statusCode, held.res.body).toBe(201);
    const [client] = await db().select().from(clients).where(eq(clients.id, held.row.clientId));
    expect(client).toMatchObject({ portalUnmatched: true, therapistId: null });
    expect(held.row.clientId).not.toBe(orphan.id);

    // Support matches it to her, and names the therapist since she has none.
    const url = `/api/requests/${held.row.id}/client-match`;
    const noTherapist = await support.post(url, { clientId: orphan.id });
    expect(noTherapist.statusCode).toBe(400);
    expect(noTherapist.json().message).toContain('Choose the therapist');
    const matched = await support.post(url, { clientId: orphan.id, therapistId });
    expect(matched.statusCode, matched.body).toBe(200);
    expect(matched.json()).toMatchObject({
      client: { id: orphan.id, unmatched: false },
      therapist: { id: therapistId },
    });
  });
});

describe('support sees the held request and resolves it (VER-1, REV-7)', () => {
  it('flagged in the queue and on the page (with the match_client ability for support only); the intake check waits for the match; matched to the real client, the therapist sees it', async () => {
    const { row } = await send('Unknownson');
    const list = (await support.get('/api/requests?q=Unknownson')).json() as {
      items: { id: string; client: { unmatched: boolean; name: string } }[];
    };
    const listed = list.items.find((i) => i.id === row.id);
    expect(listed?.client).toMatchObject({ unmatched: true, name: 'Lena Unknownson' });
    const details = (await support.get(`/api/requests/${row.id}`)).json();
    expect(details.client).toMatchObject({ unmatched: true, dateOfBirth: DOB });
    expect(details.therapist.name).toBe('Not matched yet (online form)');
    expect(details.notes).toContain('NOT MATCHED');
    // issue 7: the page shows the "Match to a client" form from this ability, never from roles.
    expect(details.abilities).toContain('match_client');
    // The provisional client is no client to choose for another request.
    const search = (await support.get('/api/clients?q=Unknownson')).json() as { clients: unknown[] };
    expect(search.clients).toEqual([]);
    // No therapist sees a held request: nothing reaches a therapist before support has matched it.
    expect((await therapistAgent.get(`/api/requests/${row.id}`)).statusCode).toBe(404);

    // VER-1: the intake check cannot be completed on a provisional client.
    const early = await support.post(`/api/requests/${row.id}/intake`, {
      verification: { method: 'Called the client back at the number on file' },
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toContain('Match this request to the client first');

    // Only support (or the privacy officer) matches; a therapist gets 404 (cannot see it).
    expect(
      (await therapistAgent.post(`/api/requests/${row.id}/client-match`, { clientId: known.id })).statusCode,
    ).toBe(404);
    const bad = await support.post(`/api/requests/${row.id}/client-match`, { clientId: row.clientId });
    expect(bad.statusCode).toBe(400);

    const res = await support.post(`/api/requests/${row.id}/client-match`, { clientId: known.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      client: { id: known.id, unmatched: false },
      therapist: { id: therapistId },
    });
    const [event] = (await auditRows(t, 'request.client_matched')).filter(
      (a) => a.data.provisionalClientId === row.clientId,
    );
    expect(event).toMatchObject({ actorId: expect.any(String), data: { therapistId } });
    const matched = await therapistAgent.get(`/api/requests/${row.id}`);
    expect(matched.statusCode).toBe(200);
    // The held request's note no longer tells staff to match it.
    expect(matched.json().notes).not.toContain('NOT MATCHED');
    expect(matched.json().notes).toContain('Matched to the client by support after the online form');
    // Matched, the request no longer offers the match (to support or to its therapist).
    expect(res.json().abilities).not.toContain('match_client');
    expect((await support.get(`/api/requests/${row.id}`)).json().abilities).not.toContain('match_client');
    expect((await therapistAgent.get(`/api/requests/${row.id}`)).json().abilities).not.toContain(
      'match_client',
    );

    const twice = await support.post(`/api/requests/${row.id}/client-match`, { clientId: known.id });
    expect(twice.statusCode).toBe(409);
    const intake = await support.post(`/api/requests/${row.id}/intake`, {
      verification: { method: 'Called the client back at the number on file' },
    });
    expect(intake.statusCode, intake.body).toBe(200);
  });

  it('REV-7: a held request that is nobody’s records ends with the written no-records answer', async () => {
    const { row } = await send('Stranger');
    const res = await support.post(`/api/requests/${row.id}/no-records`, {
      writtenAnswer: 'We have looked and we do not hold any records for the person named in your request.',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ stage: 'no_records', client: { unmatched: true } });
    // Ended, it cannot be matched any more, so the page no longer offers it.
    expect(res.json().abilities).not.toContain('match_client');
    const late = await support.post(`/api/requests/${row.id}/client-match`, { clientId: known.id });
    expect(late.statusCode).toBe(409);
  });
});
