// rule REV-6 and TIME-1: a second request for the same records is merged into the first, and the
// legal clock keeps running from the first receipt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

describe('duplicate requests', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-05T18:00:00Z');
    const practice = await createPractice(t, { timeZone: 'America/New_York' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    clientId = (await createClient(t, practice, u.therapist)).id;
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t.close();
  });

  const requester = { name: 'Rosa Client', email: 'rosa@example.test' };

  it('REV-6, TIME-1: the second request is merged into the first; the clock keeps the earliest receipt and both asks', async () => {
    // The portal request arrived on 4 Nov; a letter posted on 30 Oct is opened later.
    const first = await createRequestAs(as.support!, clientId, {
      requester,
      receivedAt: '2026-11-04T15:00:00Z',
      documentClasses: ['progress_notes'],
      dateFrom: '2026-01-01',
      dateTo: '2026-06-30',
    });
    const second = await createRequestAs(as.support!, clientId, {
      requester,
      channel: 'mail',
      receivedAt: '2026-10-30T15:00:00Z',
      documentClasses: ['progress_notes', 'treatment_plans'],
      dateFrom: '2025-06-01',
      dateTo: '2026-03-31',
    });
    expect(first.clocks.legal.dueAt).toBe('2026-12-05T04:59:59.999Z');

    const res = await as.support!.post(`/api/requests/${second.id}/merge`, { intoRequestId: first.id });
    expect(res.statusCode).toBe(200);
    const merged = res.json() as RequestDetails;
    expect(merged.stage).toBe('withdrawn');
    expect(merged.end?.reason).toBe(`Merged into ${first.number}`);
    expect(merged.thread.some((m) => m.thread === 'requester' && m.body.includes(first.number))).toBe(true);

    const target = (await as.support!.get(`/api/requests/${first.id}`)).json() as RequestDetails & {
      receivedAt: string;
      asked: { documentClasses: string[]; dateFrom: string; dateTo: string };
    };
    expect(target.receivedAt).toBe('2026-10-30T15:00:00.000Z');
    // 30 days from 30 Oct, end of day in New York.
    expect(target.clocks.legal.dueAt).toBe('2026-11-30T04:59:59.999Z');
    expect(target.asked).toMatchObject({
      documentClasses: ['progress_notes', 'treatment_plans'],
      dateFrom: '2025-06-01',
      dateTo: '2026-06-30',
    });
    const changed = await auditRows(t, 'request.received_at_changed');
    expect(changed).toHaveLength(1);
    expect(String(changed[0]!.data.reason)).toContain(second.number);
  });

  it('REV-6: only an open request for the same client, requester and records can take the merge', async () => {
    const receivedAt = '2026-11-05T12:00:00Z';
    const a = await createRequestAs(as.support!, clientId, { requester, receivedAt });
    const other = await createRequestAs(as.support!, clientId, {
      requester: { name: 'Someone Else', email: 'else@example.test' },
      receivedAt,
    });
    const refused = await as.support!.post(`/api/requests/${a.id}/merge`, { intoRequestId: other.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('REV-6');
    expect((await as.support!.get(`/api/requests/${a.id}`)).json().stage).toBe('request_made');
    const b = await createRequestAs(as.support!, clientId, { requester, receivedAt });
    expect(
      (await as.therapist!.post(`/api/requests/${b.id}/merge`, { intoRequestId: a.id })).statusCode,
    ).toBe(403);
  });
});
