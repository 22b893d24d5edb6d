// The two clocks of a request (rule TIME-1): the legal clock starts at receipt and never pauses; a
// task's step clock (business days) pauses while it waits on the requester. Step due dates never
// fall after the legal date (TIME-6), the legal date follows the kind (TIME-2, TIME-5), and an
// escalation from the top of a chain goes to the privacy officer (TIME-6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs, intakeBody, openTasks, type RequestDetails } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

type Task = RequestDetails['tasks'][number] & {
  state: string;
  overdue: boolean;
  waitingSince: string | null;
};
type Details = Omit<RequestDetails, 'tasks' | 'clocks'> & {
  tasks: Task[];
  clocks: {
    legal: { dueAt: string; basis: string; label: string; daysLeft: number | null; overdue: boolean };
    step: { taskId: string; dueAt: string; paused: boolean; overdue: boolean } | null;
  };
  asked: { documentDueDate: string | null };
};

const DAY = 86_400_000;

describe('TIME-1, TIME-6: step clocks, legal clocks and escalation', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let clientA: string;
  let clientB: string;
  let clientNY: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles (PST, UTC-8)
    const practice = await createPractice(t, {
      timeZone: 'America/Los_Angeles',
      settings: { targetCalendarDays: 21 },
    });
    const eastern = await createPractice(t, { timeZone: 'America/New_York' });
    u.support = await createUser(t, practice, ['support']);
    u.A = await createUser(t, practice, ['therapist'], { name: 'Dr. A' });
    u.B = await createUser(t, practice, ['therapist'], { name: 'Dr. B' });
    u.S = await createUser(t, practice, ['supervisor', 'therapist'], { name: 'Dr. S' });
    u.D = await createUser(t, practice, ['supervisor'], { name: 'Dr. D' });
    u.C = await createUser(t, practice, ['clinical_services']);
    u.privacy = await createUser(t, practice, ['privacy_officer']);
    u.eastSupport = await createUser(t, eastern, ['support']);
    const eastTherapist = await createUser(t, eastern, ['therapist']);
    await linkSupervisor(t, u.A, u.S);
    await linkSupervisor(t, u.S, u.D);
    clientA = (await createClient(t, practice, u.A)).id;
    clientB = (await createClient(t, practice, u.B)).id;
    clientNY = (await createClient(t, eastern, eastTherapist)).id;
    await signInAll();
  });
  afterAll(async () => {
    await t.close();
  });

  /** Sessions end after 15 idle minutes: after moving the clock, everyone signs in again. */
  async function signInAll() {
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  }
  async function moveClockTo(iso: string) {
    t.clock.set(iso);
    await signInAll();
  }
  const tick = () => t.clock.advance(60_000);

  async function post(who: string, r: { id: string }, path: string, body: unknown = {}): Promise<Details> {
    tick();
    const res = await as[who]!.post(`/api/requests/${r.id}/${path}`, body);
    if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
    return res.json();
  }
  async function get(who: string, r: { id: string }): Promise<Details> {
    const res = await as[who]!.get(`/api/requests/${r.id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const create = (clientId: string, overrides: Record<string, unknown> = {}) =>
    createRequestAs(as.support!, clientId, {
      receivedAt: t.clock.now().toISOString(),
      ...overrides,
    }) as Promise<Details>;
  const task = (r: Details, id: string) => r.tasks.find((x) => x.id === id)!;

  describe('TIME-1: waiting on the requester pauses the step clock, never the legal clock', () => {
    let normal: Details;
    let short: Details;
    let discussion: Task;
    let shortDiscussion: Task;

    it('TIME-1: wait_on_requester needs a reason, pauses the step and leaves the legal date alone', async () => {
      normal = await create(clientA);
      expect(normal.clocks.legal).toMatchObject({ basis: 'law', dueAt: '2026-12-03T07:59:59.999Z' });
      normal = await post('support', normal, 'intake', { verification: { method: 'Phone' } });
      discussion = openTasks(normal)[0]! as Task;
      // 3 business days: the end of Thursday 5 November in Los Angeles.
      expect(discussion).toMatchObject({ type: 'client_discussion', dueAt: '2026-11-06T07:59:59.999Z' });

      // Received 27 days ago: legal due Thu 5 Nov, so the discussion is compressed to today.
      short = await create(clientA, {
        receivedAt: new Date(t.clock.now().getTime() - 27 * DAY).toISOString(),
      });
      expect(short.clocks.legal.dueAt).toBe('2026-11-06T07:59:59.999Z');
      short = await post('support', short, 'intake', { verification: { method: 'Phone' } });
      shortDiscussion = openTasks(short)[0]! as Task;
      expect(shortDiscussion.dueAt).toBe('2026-11-03T07:59:59.999Z');

      const noReason = await as.A!.post(`/api/requests/${normal.id}/tasks/${discussion.id}/wait`, {});
      expect(noReason.statusCode).toBe(400);
      expect(JSON.stringify(noReason.json().fields)).toContain('body.reason');
      // Visible but not theirs (the supervisor): 403; outside what they see (B): 404.
      expect(
        (await as.S!.post(`/api/requests/${normal.id}/tasks/${discussion.id}/wait`, { reason: 'x' }))
          .statusCode,
      ).toBe(403);
      expect(
        (await as.B!.post(`/api/requests/${normal.id}/tasks/${discussion.id}/wait`, { reason: 'x' }))
          .statusCode,
      ).toBe(404);

      normal = await post('A', normal, `tasks/${discussion.id}/wait`, {
        reason: 'Waiting for the signed form',
      });
      expect(task(normal, discussion.id)).toMatchObject({
        state: 'waiting_on_requester',
        waitingSince: t.clock.now().toISOString(),
        dueAt: '2026-11-06T07:59:59.999Z',
      });
      expect(normal.clocks.step).toMatchObject({ taskId: discussion.id, paused: true });
      expect(normal.clocks.legal.dueAt).toBe('2026-12-03T07:59:59.999Z');
      const [event] = (await auditRows(t, 'task.waiting_on_requester')).filter(
        (a) => a.data.taskId === discussion.id,
      );
      expect(event?.data).toMatchObject({ reason: 'Waiting for the signed form' });
      // Already waiting: the table answers 409.
      const again = await as.A!.post(`/api/requests/${normal.id}/tasks/${discussion.id}/wait`, {
        reason: 'Still waiting',
      });
      expect(again.statusCode).toBe(409);

      short = await post('support', short, `tasks/${shortDiscussion.id}/wait`, { reason: 'Waiting for ID' });
    });

    it('TIME-1: while paused past its original due date, the task is not overdue (its clock is stopped)', async () => {
      await moveClockTo('2026-11-09T17:00:00Z'); // Monday a week later, 5 business days on
      const r = await get('A', normal);
      expect(r.clocks.step).toMatchObject({ paused: true, overdue: false });
      expect(task(r, discussion.id).state).toBe('waiting_on_requester');
      // The list's overdue filter agrees: a paused step is not overdue.
      const overdue = (await as.A!.get('/api/requests?overdue=true')).json() as { items: { id: string }[] };
      expect(overdue.items.map((i) => i.id)).not.toContain(normal.id);
      expect(task(r, discussion.id).overdue).toBe(false);
    });

    it('TIME-1: on resuming N business days later the step due date moves by N; the legal date does not', async () => {
      if (t.clock.now().toISOString() !== '2026-11-09T17:00:00.000Z')
        await moveClockTo('2026-11-09T17:00:00Z');
      const before = await get('A', normal);
      expect(before.clocks.legal.daysLeft).toBe(23); // the legal clock kept running (30 - 7)
      normal = await post('A', normal, `tasks/${discussion.id}/resume`, {});
      // Thu 5 Nov + 5 business days = Thu 12 Nov, end of day in Los Angeles.
      expect(task(normal, discussion.id)).toMatchObject({
        state: 'open',
        waitingSince: null,
        dueAt: '2026-11-13T07:59:59.999Z',
      });
      expect(normal.clocks.step).toMatchObject({ dueAt: '2026-11-13T07:59:59.999Z', paused: false });
      expect(normal.clocks.legal.dueAt).toBe('2026-12-03T07:59:59.999Z');
      expect((await auditRows(t, 'task.resumed')).some((a) => a.data.taskId === discussion.id)).toBe(true);
      // Resuming an open task is a 409.
      const again = await as.A!.post(`/api/requests/${normal.id}/tasks/${discussion.id}/resume`, {});
      expect(again.statusCode).toBe(409);

      // The short request: Mon 2 Nov + 5 business days would be Mon 9 Nov, past the legal date
      // (Thu 5 Nov): it stops at the legal date, which itself never moved.
      short = await post('support', short, `tasks/${shortDiscussion.id}/resume`, {});
      expect(task(short, shortDiscussion.id).dueAt).toBe('2026-11-06T07:59:59.999Z');
      expect(short.clocks.legal).toMatchObject({ dueAt: '2026-11-06T07:59:59.999Z', overdue: true });
    });

    it('TIME-1: a pause over a weekend counts business days only', async () => {
      let r = await create(clientA);
      r = await post('support', r, 'intake', { verification: { method: 'Phone' } });
      const d = openTasks(r)[0]!;
      expect(d.dueAt).toBe('2026-11-13T07:59:59.999Z'); // Thu 12 Nov
      await moveClockTo('2026-11-13T22:00:00Z'); // Friday 14:00
      r = await post('A', r, `tasks/${d.id}/wait`, { reason: 'Waiting for the form' });
      await moveClockTo('2026-11-16T17:00:00Z'); // Monday 09:00: one business day later
      r = await post('A', r, `tasks/${d.id}/resume`, {});
      expect(task(r, d.id).dueAt).toBe('2026-11-14T07:59:59.999Z'); // Fri 13 Nov
    });
  });

  it('TIME-6: a request received 28 days ago gets step due dates that never fall after the legal date', async () => {
    await moveClockTo('2026-11-23T17:00:00Z'); // Monday 09:00
    const receivedAt = new Date(t.clock.now().getTime() - 28 * DAY).toISOString();
    let r = await create(clientA, { receivedAt });
    const legal = r.clocks.legal.dueAt;
    expect(legal).toBe('2026-11-26T07:59:59.999Z'); // Wed 25 Nov: two business days left
    const seen = new Map<string, string>();
    const collect = (d: Details) => {
      for (const x of d.tasks) seen.set(x.id, x.dueAt);
      expect(d.clocks.legal.dueAt).toBe(legal);
    };
    collect(r);
    const step = async (next: Promise<Details>) => {
      r = await next;
      collect(r);
    };
    // Compressed: the intake check (1 day of 15 planned) is due by the end of today.
    expect(openTasks(r)[0]!.dueAt).toBe('2026-11-24T07:59:59.999Z');
    r = await post('support', r, 'intake', { verification: { method: 'Phone' } });
    collect(r);
    // Three business days would be Thu 26 Nov, after the legal date.
    expect(openTasks(r)[0]!.dueAt).toBe('2026-11-24T07:59:59.999Z');
    await step(post('A', r, 'client-discussion', { outcome: 'go_ahead' }));
    await step(post('S', r, 'supervisor-review', { decision: 'release', consequences: 'None' }));
    await step(post('support', r, 'invoice', { mode: 'no_fee' }));
    await step(post('C', r, 'preparation', {}));
    // The day after the legal date: the new step is due no later than the legal date.
    await moveClockTo('2026-11-26T17:00:00Z');
    await step(post('S', r, 'preparation/approval', {}));
    await step(post('support', r, 'release', { method: 'secure_download' }));
    expect(r.stage).toBe('released');
    expect(seen.size).toBe(7);
    for (const [id, due] of seen) expect(due <= legal, `task ${id} due ${due} > legal ${legal}`).toBe(true);

    // A subpoena due in two days is compressed against its return date the same way.
    const subpoena = await create(clientA, {
      kind: 'subpoena',
      documentDueDate: '2026-11-28',
      requester: { name: 'Counsel' },
    });
    expect(subpoena.clocks.legal).toMatchObject({ basis: 'document', dueAt: '2026-11-29T07:59:59.999Z' });
    for (const x of subpoena.tasks) expect(x.dueAt <= subpoena.clocks.legal.dueAt).toBe(true);
  });

  describe('TIME-1, TIME-2, TIME-5: the legal due date follows the kind', () => {
    it('TIME-5: a subpoena or court order needs documentDueDate (400 naming it)', async () => {
      await moveClockTo('2026-11-30T17:00:00Z');
      for (const kind of ['subpoena', 'court_order']) {
        const res = await as.support!.post(
          '/api/requests',
          intakeBody(clientA, {
            kind,
            requester: { name: 'Counsel' },
            receivedAt: t.clock.now().toISOString(),
          }),
        );
        expect(res.statusCode).toBe(400);
        const fields = res.json().fields as { path: string; message: string }[];
        expect(fields.find((f) => f.path === 'body.documentDueDate')?.message).toContain('TIME-5');
      }
      const bad = await as.support!.post(
        '/api/requests',
        intakeBody(clientA, {
          kind: 'subpoena',
          documentDueDate: '2026-02-30',
          requester: { name: 'Counsel' },
          receivedAt: t.clock.now().toISOString(),
        }),
      );
      expect(bad.statusCode).toBe(400);
    });

    it("TIME-5: a subpoena is due at the end of its return date in the practice's time zone, basis 'document'", async () => {
      const la = await create(clientA, {
        kind: 'subpoena',
        documentDueDate: '2026-12-15',
        requester: { name: 'Counsel' },
      });
      expect(la.clocks.legal).toMatchObject({
        basis: 'document',
        label: 'Return date',
        dueAt: '2026-12-16T07:59:59.999Z',
      });
      expect(la.asked.documentDueDate).toBe('2026-12-15');
      const ny = (await createRequestAs(as.eastSupport!, clientNY, {
        kind: 'court_order',
        documentDueDate: '2026-12-15',
        requester: { name: 'Clerk of court' },
        receivedAt: t.clock.now().toISOString(),
      })) as Details;
      expect(ny.clocks.legal).toMatchObject({ basis: 'document', dueAt: '2026-12-16T04:59:59.999Z' });
    });

    it("TIME-5, TIME-2: provider_continuity gets the practice target (basis 'target'); access 30 days, both from the local receipt date", async () => {
      // Friday 23:30 in Los Angeles is already Saturday in UTC: the dates count from Friday.
      await moveClockTo('2026-12-05T08:00:00Z');
      const receivedAt = '2026-12-05T07:30:00Z';
      const target = await create(clientA, {
        kind: 'provider_continuity',
        requester: { name: 'Dr. Next', organization: 'Next Clinic' },
        receivedAt,
      });
      // Practice target: 21 calendar days from Fri 4 Dec = Fri 25 Dec, end of day.
      expect(target.clocks.legal).toMatchObject({
        basis: 'target',
        label: 'Practice target',
        dueAt: '2026-12-26T07:59:59.999Z',
      });
      const access = await create(clientA, { receivedAt });
      expect(access.clocks.legal).toMatchObject({ basis: 'law', dueAt: '2027-01-04T07:59:59.999Z' });
    });
  });

  describe('TIME-6: escalation from the top of a chain goes to the privacy officer', () => {
    it('TIME-6, REV-2: A → S → D; D escalates to the privacy officer queue, who decides without break-glass', async () => {
      await moveClockTo('2026-12-07T17:00:00Z');
      let r = await create(clientA);
      r = await post('support', r, 'intake', { verification: { method: 'Phone' } });
      r = await post('A', r, 'client-discussion', { outcome: 'go_ahead' });
      expect(openTasks(r)[0]).toMatchObject({ type: 'supervisor_review', assignee: { id: u.S!.id } });
      r = await post('S', r, 'escalation', { question: 'Unsure: custody context' });
      expect(openTasks(r)[0]).toMatchObject({ type: 'supervisor_review', assignee: { id: u.D!.id } });
      r = await post('D', r, 'escalation', { question: 'Needs the privacy officer' });
      const top = openTasks(r);
      expect(top).toHaveLength(1);
      expect(top[0]).toMatchObject({
        type: 'supervisor_review',
        assignee: null,
        assigneeRole: 'privacy_officer',
      });
      expect(top[0]!.dueAt <= r.clocks.legal.dueAt).toBe(true);
      // D no longer holds it.
      expect(
        (
          await as.D!.post(`/api/requests/${r.id}/supervisor-review`, {
            decision: 'release',
            consequences: 'x',
          })
        ).statusCode,
      ).toBe(403);
      r = await post('privacy', r, 'supervisor-review', { decision: 'release', consequences: 'Low risk' });
      expect(r.stage).toBe('invoice');
      const [decided] = (await auditRows(t, 'request.supervisor_review_submitted')).filter(
        (a) => a.actorId === u.privacy!.id,
      );
      expect(decided?.data.viaBreakGlass).toBeUndefined();
    });

    it('TIME-6: a therapist with no supervisor: the review goes straight to the privacy officer queue', async () => {
      let r = await create(clientB);
      r = await post('support', r, 'intake', { verification: { method: 'Phone' } });
      r = await post('B', r, 'client-discussion', { outcome: 'go_ahead' });
      expect(openTasks(r)).toEqual([
        expect.objectContaining({
          type: 'supervisor_review',
          assignee: null,
          assigneeRole: 'privacy_officer',
        }),
      ]);
      // From the privacy officer, an escalation stays with the privacy officer queue.
      r = await post('privacy', r, 'escalation', { question: 'Second look' });
      expect(openTasks(r)).toEqual([
        expect.objectContaining({
          type: 'supervisor_review',
          assignee: null,
          assigneeRole: 'privacy_officer',
        }),
      ]);
    });
  });
});
