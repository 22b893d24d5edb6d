// The clocks sweep (rule TIME-6: a request never sits silent): paused steps are skipped (TIME-1),
// queue tasks go to their team then the privacy officer, the top of a chain goes straight to the
// privacy officer, thresholds are practice settings, a late sweep catches up once, and the privacy
// officer hears of a legal date approaching and passed, once each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { openTasks, type RequestDetails, runJobs } from '../support/requests.js';
import {
  act,
  type Clinic,
  clinic,
  escalations,
  events,
  messages,
  newRequest,
  type Req,
  sweep,
} from './helpers.js';

const levels = async (t: TestApp, r: { id: string }) => (await escalations(t, r.id)).map((e) => e.level);
const firstTask = (r: Req) => openTasks(r as unknown as RequestDetails)[0]!;

describe('TIME-6: the clocks sweep walks the escalation ladder', () => {
  let t: TestApp;
  let c: Clinic;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday 09:00 in Los Angeles
    c = await clinic(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('TIME-1: a step waiting on the requester is paused: the sweep skips it until it is late again', async () => {
    let r = await newRequest(c, t, c.clientA);
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone' } });
    const task = firstTask(r);
    expect(task.dueAt).toBe('2026-11-06T07:59:59.999Z'); // Thu 5 Nov
    r = await act(c, 'A', r, `tasks/${task.id}/wait`, { reason: 'Waiting for the signed form' });
    await c.moveClockTo('2026-11-09T17:00:00Z'); // Monday, two business days past the due date
    await sweep(t);
    expect(await escalations(t, r.id)).toEqual([]);
    // Resumed: five business days of waiting move the due date to Thu 12 Nov.
    r = await act(c, 'A', r, `tasks/${task.id}/resume`);
    expect(r.tasks.find((x) => x.id === task.id)!.dueAt).toBe('2026-11-13T07:59:59.999Z');
    await sweep(t);
    expect(await escalations(t, r.id)).toEqual([]);
    t.clock.set('2026-11-13T17:00:00Z'); // Friday: late now
    await sweep(t);
    expect(await escalations(t, r.id)).toEqual([
      { taskId: task.id, level: 1, notifiedUserId: c.u.A.id, notifiedRole: null },
    ]);
  });

  it('TIME-6: a queue task goes to its team, then the next business day to the privacy officer', async () => {
    await c.moveClockTo('2026-11-16T17:00:00Z'); // Monday
    const r = await newRequest(c, t, c.clientA); // the intake check, support queue, due Tue 17 Nov
    expect(firstTask(r)).toMatchObject({ type: 'intake_check', assignee: null });
    t.clock.set('2026-11-17T17:00:00Z');
    await sweep(t);
    expect(await levels(t, r)).toEqual([]);
    t.clock.set('2026-11-18T17:00:00Z');
    await sweep(t);
    t.clock.set('2026-11-19T17:00:00Z');
    await sweep(t);
    t.clock.set('2026-11-20T17:00:00Z');
    await sweep(t);
    expect(await escalations(t, r.id)).toEqual([
      { taskId: firstTask(r).id, level: 1, notifiedUserId: null, notifiedRole: 'support' },
      { taskId: firstTask(r).id, level: 4, notifiedUserId: null, notifiedRole: 'privacy_officer' },
    ]);
    const posted = await messages(t, r.id, 'escalation');
    expect(posted.map((m) => m.body)).toEqual([
      `Overdue: check the intake for ${r.number} was due Tue 17 Nov; Support team (anyone on the team), please complete it today, or say on this thread what is holding it up.`,
      `Overdue: check the intake for ${r.number} was due Tue 17 Nov; Pat Privacy (privacy officer), please step in: it is still waiting on the support team, and a request must never sit silent.`,
    ]);
  });

  it('TIME-6: from the top of a chain (a therapist with no supervisor) it goes straight to the privacy officer', async () => {
    await c.moveClockTo('2026-11-23T17:00:00Z'); // Monday
    let r = await newRequest(c, t, c.clientB);
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone' } });
    expect(firstTask(r)).toMatchObject({ assignee: { id: c.u.B.id }, dueAt: '2026-11-27T07:59:59.999Z' });
    for (const day of ['2026-11-27', '2026-11-30', '2026-12-01', '2026-12-02']) {
      t.clock.set(`${day}T17:00:00Z`);
      await sweep(t);
    }
    expect((await escalations(t, r.id)).map((e) => [e.level, e.notifiedUserId ?? e.notifiedRole])).toEqual([
      [1, c.u.B.id],
      [4, 'privacy_officer'],
    ]);
    const audited = await events(t, r.id, 'task.escalated');
    expect(audited.map((e) => [e.data.level, e.data.businessDaysOverdue])).toEqual([
      [1, 0],
      [4, 1],
    ]);
  });

  it('TIME-6: the thresholds are practice settings (business days overdue per rung)', async () => {
    await c.moveClockTo('2026-12-07T17:00:00Z'); // Monday
    const other = await clinic(t, {
      ladderBusinessDays: { assignee: 1, supervisor: 2, secondSupervisor: 2, privacyOfficer: 4 },
    });
    let r = await newRequest(other, t, other.clientA);
    r = await act(other, 'support', r, 'intake', { verification: { method: 'Phone' } });
    expect(firstTask(r).dueAt).toBe('2026-12-11T07:59:59.999Z'); // Thu 10 Dec
    const seen: Record<string, number[]> = {};
    for (const day of ['2026-12-11', '2026-12-14', '2026-12-15', '2026-12-16', '2026-12-17']) {
      t.clock.set(`${day}T17:00:00Z`);
      await sweep(t);
      seen[day] = await levels(t, r);
    }
    expect(seen).toEqual({
      '2026-12-11': [], // 0 business days overdue: below the assignee's threshold of 1
      '2026-12-14': [1],
      '2026-12-15': [1, 2, 3], // both supervisors at 2
      '2026-12-16': [1, 2, 3],
      '2026-12-17': [1, 2, 3, 4],
    });
  });

  it('TIME-6: a sweep that did not run for days catches up: every rung due, once, in order', async () => {
    await c.moveClockTo('2026-12-18T17:00:00Z'); // Friday
    let r = await newRequest(c, t, c.clientA);
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone' } });
    expect(firstTask(r).dueAt).toBe('2026-12-24T07:59:59.999Z'); // Wed 23 Dec
    t.clock.set('2026-12-30T17:00:00Z'); // 4 business days overdue, first sweep
    await sweep(t);
    expect(await levels(t, r)).toEqual([1, 2, 3, 4]);
    await sweep(t);
    expect(await levels(t, r)).toEqual([1, 2, 3, 4]);
    expect(await messages(t, r.id, 'escalation')).toHaveLength(4);
    expect(await events(t, r.id, 'task.escalated')).toHaveLength(4);
  });

  it('TIME-6, TIME-2: the privacy officer hears of the legal date 5 days and 1 day before, and when it passes, once each', async () => {
    await c.moveClockTo('2027-01-04T17:00:00Z'); // Monday 4 Jan 2027
    // Received Thu 10 Dec: due Sat 9 Jan. Received Sat 5 Dec: due today.
    const soon = await newRequest(c, t, c.clientA, { receivedAt: '2026-12-10T17:00:00Z' });
    const today = await newRequest(c, t, c.clientA, { receivedAt: '2026-12-05T17:00:00Z' });
    expect(soon.clocks.legal.dueAt).toBe('2027-01-10T07:59:59.999Z');
    expect(today.clocks.legal.dueAt).toBe('2027-01-05T07:59:59.999Z');
    const keys = async (r: { id: string }) =>
      (await messages(t, r.id, 'legal_due_notice')).map((m) =>
        m.idempotencyKey!.split(':').slice(2).join(':'),
      );
    const seen: Record<string, [string[], string[]]> = {};
    for (const day of ['2027-01-04', '2027-01-05', '2027-01-08', '2027-01-09', '2027-01-10', '2027-01-11']) {
      t.clock.set(`${day}T17:00:00Z`);
      // The scheduled job runs the same sweep (handlers.ts wires 'clocks.sweep').
      await t.running.services.boss.send('clocks.sweep', {});
      expect(await runJobs(t)).toBeGreaterThanOrEqual(1);
      await sweep(t);
      seen[day] = [await keys(soon), await keys(today)];
    }
    expect(seen).toEqual({
      '2027-01-04': [['2027-01-09:5'], ['2027-01-04:1']], // due today: only the tightest notice
      '2027-01-05': [['2027-01-09:5'], ['2027-01-04:1', '2027-01-04:passed']],
      '2027-01-08': [
        ['2027-01-09:5', '2027-01-09:1'],
        ['2027-01-04:1', '2027-01-04:passed'],
      ],
      '2027-01-09': [
        ['2027-01-09:5', '2027-01-09:1'],
        ['2027-01-04:1', '2027-01-04:passed'],
      ],
      '2027-01-10': [
        ['2027-01-09:5', '2027-01-09:1', '2027-01-09:passed'],
        ['2027-01-04:1', '2027-01-04:passed'],
      ],
      '2027-01-11': [
        ['2027-01-09:5', '2027-01-09:1', '2027-01-09:passed'],
        ['2027-01-04:1', '2027-01-04:passed'],
      ],
    });
    const posted = await messages(t, soon.id, 'legal_due_notice');
    expect(posted.every((m) => m.thread === 'internal')).toBe(true);
    expect(posted[0]!.body).toBe(
      `Legal due date approaching: ${soon.number} (Client asks for their own records) is due Sat 9 Jan (in 5 days). Pat Privacy (privacy officer), please make sure it is acted on by then: the records released, or a written denial sent. If more time is truly needed, one extension of up to 30 days is possible, only before the date and with a written notice to the requester.`,
    );
    expect(posted[2]!.body).toBe(
      `Legal due date passed: ${soon.number} (Client asks for their own records) was due Sat 9 Jan (1 day overdue) and is still open. Pat Privacy (privacy officer), please step in today and see that it is acted on.`,
    );
    const audited = await events(t, soon.id, 'request.legal_due_notice');
    expect(audited.map((e) => [e.actorId, e.data.notice, e.data.rule])).toEqual([
      [null, '5', 'TIME-2'],
      [null, '1', 'TIME-2'],
      [null, 'passed', 'TIME-2'],
    ]);
  });
});
