// rule TIME-4 through the list routes: the privacy officer's list of accounting requests, nearest
// 60-day deadline first, each with its client and its clock; open ones by default, every one on
// asking; one practice's list never shows another's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

interface Item {
  id: string;
  client: { id: string; name: string };
  receivedAt: string;
  clock: { rule: string; dueAt: string; daysLeft: number; overdue: boolean; extension: unknown };
  fulfilment: { method: string } | null;
}

describe('the list of accounting requests (TIME-4)', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  const ids: Record<string, string> = {};
  const clientIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const elsewhere = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support']);
    u.therapist = await createUser(t, practice, ['therapist']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.otherPrivacy = await createUser(t, elsewhere, ['privacy_officer']);
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
    for (const name of ['Ana', 'Ben', 'Cleo']) {
      clientIds[name] = (
        await createClient(t, practice, u.therapist!, { firstName: name, lastName: 'Diaz' })
      ).id;
    }
    const otherClient = (await createClient(t, elsewhere, null, { firstName: 'Zed', lastName: 'Other' })).id;
    const ask = async (who: string, clientId: string, receivedAt: string) => {
      const res = await as[who]!.post(`/api/clients/${clientId}/accounting-requests`, {
        requester: { name: 'The client' },
        receivedAt,
      });
      if (res.statusCode !== 201) throw new Error(`accounting request: ${res.statusCode} ${res.body}`);
      return res.json().request.id as string;
    };
    // Received 70 days ago (overdue), 10 days ago, and today; one more, sent; one in another practice.
    ids.overdue = await ask('support', clientIds.Ben!, '2026-08-24T17:00:00Z');
    ids.recent = await ask('support', clientIds.Cleo!, '2026-10-23T17:00:00Z');
    ids.today = await ask('privacy', clientIds.Ana!, '2026-11-02T16:00:00Z');
    ids.sent = await ask('support', clientIds.Ana!, '2026-09-01T17:00:00Z');
    const sent = await as.support!.post(
      `/api/clients/${clientIds.Ana}/accounting-requests/${ids.sent}/fulfilment`,
      {
        method: 'mail',
      },
    );
    expect(sent.statusCode, sent.body).toBe(200);
    ids.elsewhere = await ask('otherPrivacy', otherClient, '2026-10-01T17:00:00Z');
  });
  afterAll(async () => {
    await t.close();
  });

  it('TIME-4: the privacy officer lists the open accounting requests, nearest 60-day deadline first, each with its clock and client', async () => {
    const res = await as.privacy!.get('/api/accounting-requests');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().requests as Item[];
    expect(items.map((i) => i.id)).toEqual([ids.overdue, ids.recent, ids.today]);
    expect(items[0]).toMatchObject({
      client: { id: clientIds.Ben, name: 'Ben Diaz' },
      clock: { rule: 'TIME-4', overdue: true, daysLeft: -10, extension: null },
      fulfilment: null,
    });
    // Due at the end of the 60th day in the practice's zone.
    expect(items[1]!.clock).toMatchObject({
      dueAt: '2026-12-23T07:59:59.999Z',
      daysLeft: 50,
      overdue: false,
    });
    expect(items[2]!.clock).toMatchObject({ daysLeft: 60, overdue: false });
    const audited = await auditRows(t, 'accounting.requests_listed');
    expect(audited.at(-1)!.data).toEqual({ state: 'open', count: 3 });
  });

  it('TIME-4: state=all adds the ones already sent; a client’s own list holds only theirs', async () => {
    const all = (await as.support!.get('/api/accounting-requests?state=all')).json().requests as Item[];
    expect(all.map((i) => i.id).sort()).toEqual([ids.overdue, ids.recent, ids.today, ids.sent].sort());
    expect(all.find((i) => i.id === ids.sent)!.fulfilment).toMatchObject({ method: 'mail' });
    const ana = await as.support!.get(`/api/clients/${clientIds.Ana}/accounting-requests?state=all`);
    expect(ana.statusCode).toBe(200);
    expect((ana.json().requests as Item[]).map((i) => i.id)).toEqual([ids.sent, ids.today]);
    const anaOpen = (await as.support!.get(`/api/clients/${clientIds.Ana}/accounting-requests`)).json();
    expect((anaOpen.requests as Item[]).map((i) => i.id)).toEqual([ids.today]);
  });

  it('TIME-4, SEC-2: a therapist is refused 403; another practice sees only its own; a bad state is 400', async () => {
    const refused = await as.therapist!.get('/api/accounting-requests');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('REL-4');
    expect((await as.therapist!.get(`/api/clients/${clientIds.Ana}/accounting-requests`)).statusCode).toBe(
      403,
    );
    const theirs = (await as.otherPrivacy!.get('/api/accounting-requests')).json().requests as Item[];
    expect(theirs.map((i) => i.id)).toEqual([ids.elsewhere]);
    expect((await as.otherPrivacy!.get(`/api/clients/${clientIds.Ana}/accounting-requests`)).statusCode).toBe(
      404,
    );
    expect((await as.privacy!.get('/api/accounting-requests?state=closed')).statusCode).toBe(400);
  });
});
