// rule TIME-2: one extension of an access request's deadline, by at most 30 days, decided before the
// deadline, with a written notice (reason and new date) to the requester. And the client's
// needed-by date, shown as a third date with a warning when the plan misses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { act, type Clinic, clinic, events, messages, newRequest, type Req, show } from './helpers.js';

const REASON = 'Part of the records are kept off site and must be retrieved first.';

describe('TIME-2: the extension of an access deadline', () => {
  let t: TestApp;
  let c: Clinic;
  let other: Clinic;
  let r: Req;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday 09:00 in Los Angeles
    c = await clinic(t);
    other = await clinic(t);
    r = await newRequest(c, t, c.clientA, { requester: { name: 'Alex Client' } });
    expect(r.clocks.legal.dueAt).toBe('2026-12-03T07:59:59.999Z'); // end of Wed 2 Dec
  });
  afterAll(async () => {
    await t.close();
  });

  const extend = (who: 'support' | 'privacy' | 'A', req: { id: string }, body: unknown) =>
    c.as[who].post(`/api/requests/${req.id}/extension`, body);

  it('TIME-2: only support or the privacy officer may extend (403); another practice does not see it (404)', async () => {
    const body = { reason: REASON, newDueDate: '2026-12-20' };
    expect((await extend('A', r, body)).statusCode).toBe(403);
    expect((await other.as.support.post(`/api/requests/${r.id}/extension`, body)).statusCode).toBe(404);
  });

  it('TIME-2: more than 30 days after the original date, not later than now, or not a date: 400, nothing changes', async () => {
    const tooFar = await extend('support', r, { reason: REASON, newDueDate: '2027-01-02' });
    expect(tooFar.statusCode).toBe(400);
    expect(tooFar.json().message).toContain('TIME-2');
    expect(tooFar.json().message).toContain('2027-01-01');
    expect((await extend('support', r, { reason: REASON, newDueDate: '2026-12-02' })).statusCode).toBe(400);
    expect((await extend('support', r, { reason: REASON, newDueDate: '2026-12-32' })).statusCode).toBe(400);
    expect((await extend('support', r, { reason: '', newDueDate: '2026-12-20' })).statusCode).toBe(400);
    const after = await show(c, 'support', r);
    expect(after.clocks.legal).toMatchObject({ dueAt: '2026-12-03T07:59:59.999Z', extended: null });
    expect(await messages(t, r.id, 'extension_notice')).toEqual([]);
    expect(await events(t, r.id, 'request.deadline_extended')).toEqual([]);
  });

  it('TIME-2: support extends once; the legal date moves to the end of the new day; the notice goes to the requester; audited', async () => {
    t.clock.set('2026-11-20T18:00:00Z');
    await c.signInAll();
    const res = await extend('support', r, { reason: REASON, newDueDate: '2027-01-01' });
    expect(res.statusCode, res.body).toBe(200);
    const extended = res.json() as Req;
    expect(extended.clocks.legal).toMatchObject({
      dueAt: '2027-01-02T07:59:59.999Z',
      daysLeft: 42,
      extended: { from: '2026-12-03T07:59:59.999Z', fromDue: 'Wed 2 Dec', reason: REASON },
    });
    const [notice] = await messages(t, r.id, 'extension_notice');
    expect(notice).toMatchObject({ thread: 'requester', idempotencyKey: `extension:${r.id}` });
    expect(notice!.subject).toBe(`Your records request ${r.number}: we need more time`);
    expect(notice!.body).toContain('Dear Alex Client,');
    expect(notice!.body).toContain('on Monday 2 November 2026');
    expect(notice!.body).toContain('We were due to answer by Wednesday 2 December 2026');
    expect(notice!.body).toContain(REASON);
    expect(notice!.body).toContain('We will answer by Friday 1 January 2027 at the latest.');
    expect(notice!.body).toContain('Pat Privacy, 555-0100');
    expect(notice!.body).not.toMatch(/TIME-2|164\.524/);
    // Staff see it on the request page too.
    expect(extended.thread).toContainEqual(
      expect.objectContaining({ thread: 'requester', kind: 'extension_notice' }),
    );
    const [event] = await events(t, r.id, 'request.deadline_extended');
    expect(event).toMatchObject({
      actorId: c.u.support.id,
      data: {
        rule: 'TIME-2',
        from: '2026-12-03T07:59:59.999Z',
        to: '2027-01-02T07:59:59.999Z',
        reason: REASON,
      },
    });
  });

  it('TIME-2: a second extension is a 409 naming TIME-2, and changes nothing', async () => {
    const again = await extend('privacy', r, { reason: 'Still more time', newDueDate: '2026-12-31' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('TIME-2');
    expect((await show(c, 'privacy', r)).clocks.legal.dueAt).toBe('2027-01-02T07:59:59.999Z');
    expect(await messages(t, r.id, 'extension_notice')).toHaveLength(1);
  });

  it('TIME-2: after the deadline has passed, an extension is a 409 naming TIME-2', async () => {
    // Received Wed 21 Oct: due Fri 20 Nov, which ended before Monday.
    await c.moveClockTo('2026-11-23T17:00:00Z');
    const late = await newRequest(c, t, c.clientA, { receivedAt: '2026-10-21T17:00:00Z' });
    const res = await extend('privacy', late, { reason: REASON, newDueDate: '2026-12-10' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toContain('TIME-2');
    expect((await show(c, 'privacy', late)).clocks.legal.extended).toBeNull();
  });

  it('TIME-2, KIND-2, KIND-6: the privacy officer extends a directed copy and a representative request', async () => {
    for (const kind of ['client_directed', 'representative']) {
      const req = await newRequest(c, t, c.clientA, {
        kind,
        requester: { name: 'Jordan Parent', relationship: 'Parent' },
      });
      const res = await extend('privacy', req, { reason: REASON, newDueDate: '2027-01-02' });
      expect(res.statusCode, `${kind}: ${res.body}`).toBe(200);
      expect((res.json() as Req).clocks.legal.extended).toMatchObject({ reason: REASON });
    }
  });

  it.each(['authorization', 'provider_continuity'])(
    'TIME-2: a %s request (not access) has no extension: 409 naming TIME-2',
    async (kind) => {
      const req = await newRequest(c, t, c.clientA, {
        kind,
        requester: { name: 'Dr. Next', organization: 'Next Clinic' },
      });
      const res = await extend('support', req, { reason: REASON, newDueDate: '2026-12-20' });
      expect(res.statusCode).toBe(409);
      expect(res.json().message).toContain('TIME-2');
    },
  );
});

describe("TIME-1: the client's needed-by date, a third date beside the two clocks", () => {
  let t: TestApp;
  let c: Clinic;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday 09:00
    c = await clinic(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('TIME-1: a needed-by date before the open step is due: missed, with a warning', async () => {
    let r = await newRequest(c, t, c.clientA, { neededBy: '2026-11-04' });
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone' } });
    expect(r.clocks.neededBy).toEqual({
      date: '2026-11-04',
      due: 'Wed 4 Nov',
      daysLeft: 2,
      missed: true,
      warning:
        "The plan misses the client's date: discuss the request with the client is due Thu 5 Nov, after Wed 4 Nov.",
    });
  });

  it('TIME-1: a needed-by date before the legal date but after the step: a warning to aim for it, not missed', async () => {
    const r = await newRequest(c, t, c.clientA, { neededBy: '2026-11-20' });
    expect(r.clocks.neededBy).toMatchObject({
      missed: false,
      warning:
        "The client needs it by Fri 20 Nov, before the legal due date (Wed 2 Dec): aim for the client's date.",
    });
  });

  it('TIME-1: a needed-by date after the legal date: no warning; none given: null; passed: missed', async () => {
    const late = await newRequest(c, t, c.clientA, { neededBy: '2026-12-15' });
    expect(late.clocks.neededBy).toMatchObject({ missed: false, warning: null, daysLeft: 43 });
    const none = await newRequest(c, t, c.clientA);
    expect(none.clocks.neededBy).toBeNull();
    await c.moveClockTo('2026-11-22T17:00:00Z');
    const [listed] = (
      (await c.as.support.get(`/api/requests?q=${encodeURIComponent(late.number)}`)).json() as {
        items: Req[];
      }
    ).items;
    expect(listed!.clocks.neededBy).toMatchObject({ date: '2026-12-15', missed: false });
    const early = await show(c, 'support', {
      id: (await newRequest(c, t, c.clientA, { neededBy: '2026-11-21' })).id,
    });
    expect(early.clocks.neededBy).toMatchObject({
      missed: true,
      warning: "The client's date (Sat 21 Nov) has passed.",
    });
  });
});
