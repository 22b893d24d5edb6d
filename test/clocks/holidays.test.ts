// The practice's holidays (rule TIME-6): an administrator sets them, everyone reads them, and step
// due dates skip them like weekends — when a step opens and when a paused step resumes (TIME-1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { openTasks, type RequestDetails } from '../support/requests.js';
import { auditRows } from '../support/session.js';
import { act, type Clinic, clinic, newRequest, type Req } from './helpers.js';

const THANKSGIVING = [
  { date: '2026-11-27', name: 'Day after Thanksgiving' },
  { date: '2026-11-26', name: 'Thanksgiving' },
];
const firstTask = (r: Req) => openTasks(r as unknown as RequestDetails)[0]!;

describe('TIME-6: the practice holidays', () => {
  let t: TestApp;
  let c: Clinic;
  let other: Clinic;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-25T18:00:00Z'); // Wednesday 10:00 in Los Angeles
    c = await clinic(t);
    other = await clinic(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('TIME-6: an administrator replaces the list; everyone reads it, sorted; the change is audited', async () => {
    expect((await c.as.support.get('/api/practice/holidays')).json()).toEqual({ holidays: [] });
    const put = await c.as.admin.put('/api/practice/holidays', {
      holidays: [...THANKSGIVING, { date: '2026-12-25', name: 'Christmas Day' }],
    });
    expect(put.statusCode, put.body).toBe(200);
    const sorted = [THANKSGIVING[1], THANKSGIVING[0], { date: '2026-12-25', name: 'Christmas Day' }];
    expect(put.json()).toEqual({ holidays: sorted });
    expect((await c.as.A.get('/api/practice/holidays')).json()).toEqual({ holidays: sorted });
    // Another practice's list is its own.
    expect((await other.as.admin.get('/api/practice/holidays')).json()).toEqual({ holidays: [] });

    // Christmas is dropped: the audit entry says what was added and removed.
    const again = await c.as.admin.put('/api/practice/holidays', { holidays: THANKSGIVING });
    expect(again.json().holidays).toHaveLength(2);
    const audited = (await auditRows(t, 'practice.holidays_updated')).filter(
      (a) => a.practiceId === c.practice.id,
    );
    expect(audited.map((a) => [a.actorId, a.data.rule, a.data.count])).toEqual([
      [c.u.admin.id, 'TIME-6', 3],
      [c.u.admin.id, 'TIME-6', 2],
    ]);
    expect(audited[1]!.data).toMatchObject({
      added: [],
      removed: [{ date: '2026-12-25', name: 'Christmas Day' }],
    });
    // The same list again changes nothing and records nothing.
    await c.as.admin.put('/api/practice/holidays', { holidays: THANKSGIVING });
    expect(
      (await auditRows(t, 'practice.holidays_updated')).filter((a) => a.practiceId === c.practice.id),
    ).toHaveLength(2);
  });

  it('TIME-6: only an administrator changes holidays (403); bad dates and duplicates are a 400; nothing changes', async () => {
    const refused = await c.as.support.put('/api/practice/holidays', { holidays: [] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('administrator');
    const signedOut = await t.app.inject({ method: 'GET', url: '/api/practice/holidays' });
    expect(signedOut.statusCode).toBe(401);
    for (const holidays of [
      [{ date: '2026-02-30', name: 'No such day' }],
      [{ date: '26-12-25', name: 'Short year' }],
      [{ date: '2026-12-25', name: '' }],
      [
        { date: '2026-12-25', name: 'Christmas' },
        { date: '2026-12-25', name: 'Christmas again' },
      ],
    ]) {
      const res = await c.as.admin.put('/api/practice/holidays', { holidays });
      expect(res.statusCode, JSON.stringify(holidays)).toBe(400);
    }
    expect((await c.as.admin.get('/api/practice/holidays')).json().holidays).toHaveLength(2);
  });

  it('TIME-6: step due dates skip the holidays like weekends (another practice is not affected)', async () => {
    let r = await newRequest(c, t, c.clientA);
    // The intake check (1 business day) from Wednesday: Thu and Fri closed, the weekend: Mon 30 Nov.
    expect(firstTask(r)).toMatchObject({ type: 'intake_check', dueAt: '2026-12-01T07:59:59.999Z' });
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone' } });
    // The discussion (3 business days): Mon 30 Nov, Tue 1, Wed 2 Dec.
    expect(firstTask(r)).toMatchObject({ type: 'client_discussion', dueAt: '2026-12-03T07:59:59.999Z' });
    const elsewhere = await newRequest(other, t, other.clientA);
    expect(firstTask(elsewhere).dueAt).toBe('2026-11-27T07:59:59.999Z'); // Thu 26 Nov
  });

  it('TIME-1, TIME-6: a pause over the holidays moves the step by business days only', async () => {
    let r = await newRequest(c, t, c.clientA);
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone' } });
    const task = firstTask(r);
    expect(task.dueAt).toBe('2026-12-03T07:59:59.999Z');
    r = await act(c, 'A', r, `tasks/${task.id}/wait`, { reason: 'Waiting for the signed form' });
    await c.moveClockTo('2026-11-30T18:00:00Z'); // Monday: one business day of waiting
    r = await act(c, 'A', r, `tasks/${task.id}/resume`);
    expect(r.tasks.find((x) => x.id === task.id)!.dueAt).toBe('2026-12-04T07:59:59.999Z'); // Thu 3 Dec
  });
});
