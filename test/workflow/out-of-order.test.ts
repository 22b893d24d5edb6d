// Every out-of-order or out-of-place action is refused with the right status (SEC-2: 404 outside
// what the caller may see, 403 when it is not theirs, 409 at the wrong stage) and changes nothing;
// each 403/404 leaves exactly one refusal in the audit log (SEC-3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

describe('out-of-order and out-of-place actions', () => {
  let t: TestApp;
  const as: Record<string, Agent> = {};
  const u: Record<string, TestUser> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    const other = await createPractice(t);
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.otherTherapist = await createUser(t, practice, ['therapist']);
    u.supervisor = await createUser(t, practice, ['supervisor']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.admin = await createUser(t, practice, ['admin']);
    u.clinical = await createUser(t, practice, ['clinical_services']);
    u.foreignSupport = await createUser(t, other, ['support']);
    await linkSupervisor(t, u.therapist, u.supervisor);
    clientId = (await createClient(t, practice, u.therapist)).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  async function snapshot(requestId: string) {
    const q = (sql: string) => t.running.services.database.pool.query(sql, [requestId]).then((r) => r.rows);
    return {
      request: await q('select stage, updated_at, approved_scope, end_reason from requests where id = $1'),
      tasks: await q(
        'select id, state, assignee_id, assignee_role, due_at, result from tasks where request_id = $1 order by id',
      ),
      invoices: await q('select * from invoices where request_id = $1'),
      disclosures: await q('select * from disclosures where request_id = $1'),
      messages: await q('select id from thread_messages where request_id = $1'),
      audit: await q(`select id from audit_events where request_id = $1 and type <> 'access.refused'`),
    };
  }

  async function refusals(): Promise<number> {
    const { rows } = await t.running.services.database.pool.query(
      `select count(*)::int as n from audit_events where type = 'access.refused'`,
    );
    return rows[0].n;
  }

  type Case = [who: string, path: string, body: Record<string, unknown>, status: 403 | 404 | 409];
  const atRequestMade: Case[] = [
    ['support', 'invoice', { mode: 'no_fee' }, 409],
    ['support', 'release', {}, 409],
    ['support', 'payment', { method: 'cash', reference: 'r1' }, 409],
    [
      'privacy',
      'denial-review',
      { reason: 'asked', reviewerId: '00000000-0000-4000-8000-000000000000' },
      409,
    ],
    ['therapist', 'client-discussion', { outcome: 'go_ahead' }, 403],
    ['supervisor', 'supervisor-review', { decision: 'release', consequences: 'none' }, 403],
    ['clinical', 'preparation', {}, 404],
    ['therapist', 'intake', { verification: { method: 'phone' } }, 403],
    ['support', 'cancellation', { reason: 'dup', messageToRequester: 'x' }, 403],
    ['otherTherapist', 'intake', { verification: { method: 'phone' } }, 404],
    ['admin', 'intake', { verification: { method: 'phone' } }, 404],
    ['foreignSupport', 'intake', { verification: { method: 'phone' } }, 404],
  ];

  it.each(atRequestMade)(
    'SEC-2: at "Request made", %s POST %s %j answers %i and changes nothing',
    async (who, path, body, status) => {
      const r = await createRequestAs(as.support!, clientId);
      const before = await snapshot(r.id);
      const refusedBefore = await refusals();
      const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
      expect(res.statusCode).toBe(status);
      const answer = res.json();
      if (status === 409) {
        expect(answer.message).toContain('Not allowed at stage "Request made"');
        expect(answer.stage).toBe('request_made');
        if (path !== 'payment') {
          expect(answer.message).toContain('Allowed now: complete_intake');
          expect(answer.allowedActions).toContain('complete_intake');
        }
      }
      if (status === 403) expect(answer.message).toMatch(/^Only /);
      expect(await snapshot(r.id)).toEqual(before);
      expect(await refusals()).toBe(refusedBefore + (status === 409 ? 0 : 1));
    },
  );

  it('SEC-2: a second intake check, or an invoice during client review, is a 409 naming the stage', async () => {
    const r: RequestDetails = await createRequestAs(as.support!, clientId);
    expect(
      (await as.support!.post(`/api/requests/${r.id}/intake`, { verification: { method: 'phone' } }))
        .statusCode,
    ).toBe(200);
    const before = await snapshot(r.id);
    const again = await as.support!.post(`/api/requests/${r.id}/intake`, {
      verification: { method: 'phone' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('Not allowed at stage "Client review"');
    const invoice = await as.support!.post(`/api/requests/${r.id}/invoice`, { mode: 'no_fee' });
    expect(invoice.statusCode).toBe(409);
    expect(await snapshot(r.id)).toEqual(before);
  });

  it('SEC-2: a therapist who already recorded the discussion gets 409, not 403, on a second try', async () => {
    const r = await createRequestAs(as.support!, clientId);
    await as.support!.post(`/api/requests/${r.id}/intake`, { verification: { method: 'phone' } });
    const first = await as.therapist!.post(`/api/requests/${r.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(first.statusCode).toBe(200);
    const second = await as.therapist!.post(`/api/requests/${r.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(second.statusCode).toBe(409);
  });

  it("REV-2: a request for the client's own records cannot be declined (400 naming the field and rule)", async () => {
    const r = await createRequestAs(as.support!, clientId);
    await as.support!.post(`/api/requests/${r.id}/intake`, { verification: { method: 'phone' } });
    await as.therapist!.post(`/api/requests/${r.id}/client-discussion`, { outcome: 'go_ahead' });
    const before = await snapshot(r.id);
    const res = await as.supervisor!.post(`/api/requests/${r.id}/supervisor-review`, {
      decision: 'decline',
      consequences: 'Could upset the client',
      denialLetter: 'We decline.',
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json().fields)).toContain('REV-2');
    expect(await snapshot(r.id)).toEqual(before);
  });

  it('SEC-2: an unknown request id is a 404, and a malformed one a 400, never a 500', async () => {
    const unknown = await as.support!.get('/api/requests/3f1d8a8e-1c2b-4c3d-8e9f-0a1b2c3d4e5f');
    expect(unknown.statusCode).toBe(404);
    const malformed = await as.support!.get('/api/requests/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/requests',
      cookies: { rd_session: as.support!.cookie },
      headers: { 'x-csrf-token': as.support!.csrfToken, 'content-type': 'application/json' },
      payload: '{"kind": ',
    });
    expect(badJson.statusCode).toBe(400);
  });
});
