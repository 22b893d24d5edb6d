// Story (sources.md §1.9, Rio Hondo: "unclear internal ownership"): a request is taken in, then left
// untouched. Day by day the sweep walks the ladder — the therapist, their supervisor, the
// supervisor's supervisor, the privacy officer — each rung once, on business days only, each on the
// internal thread and in the audit trail. Running the sweep again, or twice at once, changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { openTasks, type RequestDetails } from '../support/requests.js';
import {
  act,
  type Clinic,
  clinic,
  escalations,
  events,
  messages,
  newRequest,
  type Req,
  show,
  sweep,
} from './helpers.js';

describe('TIME-6 story: a request left untouched until the ladder reaches the privacy officer', () => {
  let t: TestApp;
  let c: Clinic;
  let r: Req;
  let discussionId: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday 09:00 in Los Angeles
    c = await clinic(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it('TIME-6: the practice closes on Veterans Day; the request is taken in and the discussion goes to Dr. A', async () => {
    const put = await c.as.admin.put('/api/practice/holidays', {
      holidays: [{ date: '2026-11-11', name: 'Veterans Day' }],
    });
    expect(put.statusCode, put.body).toBe(200);
    r = await newRequest(c, t, c.clientA);
    r = await act(c, 'support', r, 'intake', { verification: { method: 'Phone call to the client' } });
    const discussion = openTasks(r as unknown as RequestDetails)[0]!;
    discussionId = discussion.id;
    expect(discussion).toMatchObject({ type: 'client_discussion', assignee: { id: c.u.A.id } });
    expect(discussion.dueAt).toBe('2026-11-06T07:59:59.999Z'); // end of Thu 5 Nov
    expect(r.clocks.legal.dueAt).toBe('2026-12-03T07:59:59.999Z'); // end of Wed 2 Dec
  });

  it('TIME-6, TIME-1: day by day, one rung per business day overdue, never on the weekend or the holiday', async () => {
    const expected: Record<string, number | null> = {
      '2026-11-03': null, // Tue: not due yet
      '2026-11-04': null,
      '2026-11-05': null, // Thu: due today
      '2026-11-06': 1, // Fri: late (0 business days overdue): Dr. A is reminded
      '2026-11-07': null, // Sat
      '2026-11-08': null, // Sun
      '2026-11-09': 2, // Mon: 1 business day overdue: Dr. S, A's supervisor
      '2026-11-10': 3, // Tue: 2: Dr. D, S's supervisor
      '2026-11-11': null, // Wed: Veterans Day, the practice is closed
      '2026-11-12': 4, // Thu: 3: the privacy officer
      '2026-11-13': null, // Fri: nothing is left to climb
    };
    let climbed = 0;
    for (const [day, level] of Object.entries(expected)) {
      t.clock.set(`${day}T17:00:00Z`);
      // Two instances sweep at the same moment: the rung is climbed once.
      const [one, two] = await Promise.all([sweep(t), sweep(t)]);
      expect(one.escalations + two.escalations, day).toBe(level === null ? 0 : 1);
      expect(one.legalNotices + two.legalNotices, day).toBe(0);
      if (level !== null) climbed += 1;
      const rows = await escalations(t, r.id);
      expect(rows, day).toHaveLength(climbed);
      if (level !== null) expect(rows.at(-1)!.level, day).toBe(level);
      // Running it again at the same moment changes nothing.
      expect(await sweep(t)).toEqual({ escalations: 0, legalNotices: 0 });
      expect(await escalations(t, r.id)).toEqual(rows);
    }
  });

  it('TIME-6: each rung exactly once, to the right person', async () => {
    expect(await escalations(t, r.id)).toEqual([
      { taskId: discussionId, level: 1, notifiedUserId: c.u.A.id, notifiedRole: null },
      { taskId: discussionId, level: 2, notifiedUserId: c.u.S.id, notifiedRole: null },
      { taskId: discussionId, level: 3, notifiedUserId: c.u.D.id, notifiedRole: null },
      { taskId: discussionId, level: 4, notifiedUserId: null, notifiedRole: 'privacy_officer' },
    ]);
  });

  it('TIME-6: each rung is posted on the internal thread, in plain words', async () => {
    const posted = await messages(t, r.id, 'escalation');
    expect(posted.map((m) => [m.thread, m.idempotencyKey])).toEqual([
      ['internal', `ladder:${discussionId}:1`],
      ['internal', `ladder:${discussionId}:2`],
      ['internal', `ladder:${discussionId}:3`],
      ['internal', `ladder:${discussionId}:4`],
    ]);
    const head = `Overdue: discuss the request with the client for ${r.number} was due Thu 5 Nov;`;
    expect(posted[0]!.body).toBe(
      `${head} Dr. A, please complete it today, or say on this thread what is holding it up.`,
    );
    expect(posted[1]!.body).toBe(
      `${head} Dr. S, as Dr. A's supervisor, please check in with them and help get it done.`,
    );
    expect(posted[2]!.body).toBe(
      `${head} Dr. D, as the supervisor of Dr. S, please step in: it is still waiting on Dr. A.`,
    );
    expect(posted[3]!.body).toBe(
      `${head} Pat Privacy (privacy officer), please step in: it is still waiting on Dr. A, and a request must never sit silent.`,
    );
    expect(
      posted.every((m) => m.subject === `Overdue: Discuss the request with the client (${r.number})`),
    ).toBe(true);
    // Nothing of the ladder reached the requester: their thread holds only the acknowledgement of
    // the request, posted when it was recorded.
    const toRequester = (await messages(t, r.id)).filter((m) => m.thread === 'requester');
    expect(toRequester.map((m) => m.kind)).toEqual(['requester_acknowledgement']);
  });

  it('TIME-6: each rung is audited once, by the system, naming the rule', async () => {
    const audited = await events(t, r.id, 'task.escalated');
    expect(audited.map((e) => [e.actorId, e.data.level, e.data.businessDaysOverdue, e.data.rule])).toEqual([
      [null, 1, 0, 'TIME-6'],
      [null, 2, 1, 'TIME-6'],
      [null, 3, 2, 'TIME-6'],
      [null, 4, 3, 'TIME-6'],
    ]);
    expect(audited.map((e) => e.data.notifiedUserId ?? e.data.notifiedRole)).toEqual([
      c.u.A.id,
      c.u.S.id,
      c.u.D.id,
      'privacy_officer',
    ]);
  });

  it('TIME-6: the request shows the rungs reached; the step is overdue, the legal clock still runs', async () => {
    await c.moveClockTo('2026-11-13T17:30:00Z');
    const seen = await show(c, 'privacy', r);
    expect(seen.clocks.ladder.reached).toBe('Privacy officer told');
    expect(seen.clocks.ladder.rungs.map((x) => [x.level, x.notified])).toEqual([
      [1, 'Dr. A'],
      [2, 'Dr. S'],
      [3, 'Dr. D'],
      [4, 'Privacy officer'],
    ]);
    expect(seen.clocks.step).toMatchObject({ taskId: discussionId, overdue: true, paused: false });
    expect(seen.clocks.legal).toMatchObject({ daysLeft: 19, overdue: false, extended: null });
    // Staff see the ladder on the thread of the request page too.
    expect(seen.thread.filter((m) => m.kind === 'escalation')).toHaveLength(4);
    // Once the discussion is done, nothing is left on the ladder.
    const done = await act(c, 'A', r, 'client-discussion', { outcome: 'go_ahead' });
    expect(done.clocks.ladder.reached).toBeNull();
    expect(done.clocks.ladder.rungs).toHaveLength(4);
  });
});
