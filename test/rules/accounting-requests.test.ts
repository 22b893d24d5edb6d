// rules TIME-4 and FEE-7 through the accounting-request routes: the 60-day clock and its one
// 30-day extension, the free first accounting in 12 months, and the bad input that changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

interface RequestView {
  id: string;
  period: { from: string; to: string };
  clock: {
    rule: string;
    dueAt: string;
    daysLeft: number;
    overdue: boolean;
    extension: { from: string; reason: string; at: string; notice: string } | null;
  };
  fee: { rule: string; free: boolean; cents: number; agreed: boolean; note: string };
  fulfilment: { at: string; by: { id: string }; method: string } | null;
}

describe('accounting requests', () => {
  let t: TestApp;
  let practice: TestPractice;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};

  const newClient = async () => (await createClient(t, practice, u.therapist!)).id;
  const ask = (who: string, clientId: string, body: Record<string, unknown> = {}) =>
    as[who]!.post(`/api/clients/${clientId}/accounting-requests`, {
      requester: { name: 'Maria Lopez', contact: 'maria@example.test' },
      ...body,
    });
  const created = async (clientId: string, body: Record<string, unknown> = {}): Promise<RequestView> => {
    const res = await ask('support', clientId, body);
    if (res.statusCode !== 201) throw new Error(`accounting request: ${res.statusCode} ${res.body}`);
    return res.json().request;
  };
  const show = async (clientId: string, id: string): Promise<RequestView> =>
    (await as.support!.get(`/api/clients/${clientId}/accounting-requests/${id}`)).json().request;
  const count = async () =>
    (await t.running.services.database.pool.query('select count(*)::int as n from accounting_requests'))
      .rows[0].n as number;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.otherTherapist = await createUser(t, practice, ['therapist']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  it("TIME-4: due 60 calendar days after receipt, at the end of that day in the practice's time zone", async () => {
    const clientId = await newClient();
    const r = await created(clientId, { receivedAt: '2026-11-02T16:30:00Z' });
    // 2 Nov + 60 days = 1 Jan 2027, 23:59:59.999 in Los Angeles (PST).
    expect(r.clock).toMatchObject({
      rule: 'TIME-4',
      dueAt: '2027-01-02T07:59:59.999Z',
      daysLeft: 60,
      overdue: false,
      extension: null,
    });
    // Received late in the evening in Los Angeles (already 3 Nov in UTC): the local date counts.
    const late = await created(clientId, { receivedAt: '2026-11-02T07:30:00Z' });
    expect(late.clock.dueAt).toBe('2027-01-01T07:59:59.999Z');
    const audited = await auditRows(t, 'accounting.requested');
    expect(audited.at(-1)!.data).toMatchObject({
      accountingRequestId: late.id,
      dueAt: '2027-01-01T07:59:59.999Z',
    });
  });

  it('TIME-4: one 30-day extension with a written reason before the deadline; no reason is a 400, a second a 409, both naming TIME-4', async () => {
    const clientId = await newClient();
    const r = await created(clientId, { receivedAt: '2026-11-02T16:30:00Z' });
    const url = `/api/clients/${clientId}/accounting-requests/${r.id}/extension`;
    for (const body of [{}, { reason: '   ' }]) {
      const res = await as.support!.post(url, body);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('TIME-4');
    }
    expect((await show(clientId, r.id)).clock).toMatchObject({ dueAt: r.clock.dueAt, extension: null });

    const reason = 'Records from 2021 are in off-site storage; retrieval takes three weeks.';
    const res = await as.support!.post(url, { reason });
    expect(res.statusCode).toBe(200);
    const extended = res.json().request as RequestView;
    // 1 Jan 2027 + 30 days = 31 Jan 2027, end of day in Los Angeles.
    expect(extended.clock.dueAt).toBe('2027-02-01T07:59:59.999Z');
    expect(extended.clock.extension).toMatchObject({ from: '2027-01-02T07:59:59.999Z', reason });
    expect(extended.clock.extension!.notice).toContain(reason);
    expect(extended.clock.extension!.notice).toContain('Sun 31 Jan 2027');
    expect((await auditRows(t, 'accounting.extended')).at(-1)!.data).toMatchObject({
      rule: 'TIME-4',
      accountingRequestId: r.id,
    });

    const second = await as.privacy!.post(url, { reason: 'Still waiting' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ rule: 'TIME-4' });
    expect(second.json().message).toContain('TIME-4');
    expect((await show(clientId, r.id)).clock.dueAt).toBe('2027-02-01T07:59:59.999Z');
  });

  it('TIME-4: an extension after the deadline is a 409 naming TIME-4; nothing changes', async () => {
    const clientId = await newClient();
    // Received 61 days ago: the 60 days ran out yesterday.
    const r = await created(clientId, { receivedAt: '2026-09-01T17:00:00Z' });
    expect(r.clock.overdue).toBe(true);
    const res = await as.support!.post(`/api/clients/${clientId}/accounting-requests/${r.id}/extension`, {
      reason: 'We need more time',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('TIME-4');
    expect((await show(clientId, r.id)).clock).toEqual(r.clock);
  });

  it('REL-4: a reversed, future or longer-than-6-years period is a 400 naming REL-4; nothing is recorded', async () => {
    const clientId = await newClient();
    const before = await count();
    const cases = [
      [{ periodFrom: '2026-06-30', periodTo: '2026-01-01' }, 'body.periodFrom', 'reversed'],
      [{ periodTo: '2026-11-20' }, 'body.periodTo', 'future'],
      [{ periodFrom: '2026-12-01', periodTo: '2026-12-31' }, 'body.periodTo', 'future'],
      [{ periodFrom: '2019-01-01' }, 'body.periodFrom', 'longer than 6 years'],
      [{ periodFrom: '2019-01-01', periodTo: '2021-06-30' }, 'body.periodFrom', '6 years before the request'],
    ] as const;
    for (const [body, path, words] of cases) {
      const res = await ask('support', clientId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toContain('REL-4');
      expect(res.json().message).toContain(words);
      expect(res.json().fields[0].path).toBe(path);
    }
    const future = await ask('support', clientId, { receivedAt: '2026-11-03T17:00:00Z' });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toContain('TIME-4');
    expect(await count()).toBe(before);
  });

  it('TIME-4, SEC-2: support and the privacy officer handle accounting requests; a therapist is refused; another client is not found', async () => {
    const clientId = await newClient();
    expect((await ask('therapist', clientId)).statusCode).toBe(403);
    expect((await ask('otherTherapist', clientId)).statusCode).toBe(404);
    const r = await created(clientId);
    const other = await newClient();
    // The request's id under another client's path is not found.
    expect((await as.support!.get(`/api/clients/${other}/accounting-requests/${r.id}`)).statusCode).toBe(404);
    expect((await as.therapist!.get(`/api/clients/${clientId}/accounting-requests/${r.id}`)).statusCode).toBe(
      403,
    );
  });

  it('FEE-7: the first accounting in 12 months is free, a second within 12 months may carry a fee told in advance, and one after 12 months is free again', async () => {
    const clientId = await newClient();
    const before = await count();
    const charged = await ask('support', clientId, { feeCents: 500 });
    expect(charged.statusCode).toBe(400);
    expect(charged.json().message).toContain('FEE-7');
    expect(await count()).toBe(before);

    const first = await created(clientId);
    expect(first.fee).toMatchObject({ rule: 'FEE-7', free: true, cents: 0 });

    t.clock.set('2027-03-01T18:00:00Z');
    as.support = await signIn(t, u.support!);
    const second = await created(clientId, { feeCents: 1500 });
    expect(second.fee).toMatchObject({ free: false, cents: 1500, agreed: false });
    expect(second.fee.note).toContain('$15.00');
    const url = `/api/clients/${clientId}/accounting-requests/${second.id}/fulfilment`;
    // Not sent before the client was told the fee in advance and agreed.
    const blocked = await as.support!.post(url, { method: 'mail' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ rule: 'FEE-7' });
    expect((await show(clientId, second.id)).fulfilment).toBeNull();
    const sent = await as.support!.post(url, { method: 'mail', feeAgreed: true });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().request).toMatchObject({
      fee: { agreed: true },
      fulfilment: { by: { id: u.support!.id }, method: 'mail' },
    });
    expect((await as.support!.post(url, { method: 'mail' })).statusCode).toBe(409);
    expect((await auditRows(t, 'accounting.fulfilled')).at(-1)!.data).toMatchObject({
      accountingRequestId: second.id,
      feeCents: 1500,
    });

    // 12 months after the second request, the next one is free again.
    t.clock.set('2028-03-01T18:00:00Z');
    as.support = await signIn(t, u.support!);
    const third = await created(clientId);
    expect(third.fee).toMatchObject({ free: true, cents: 0 });
  });
});
