// GET /api/me/supervisees/tasks, the supervisor's board: the open tasks of everyone below them in
// the supervision chains (the procedure: the supervisor watches that the supervisee is on time),
// overdue first, each with who holds it; never a task of someone they do not supervise (SEC-2).
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
import { type Agent, auditRows, signIn } from '../support/session.js';

interface BoardTask {
  taskId: string;
  label: string;
  overdue: boolean;
  dueAt: string;
  assignee: { id: string; name: string };
  request: { id: string; number: string; client: { name: string } };
}

const DAY = 24 * 60 * 60 * 1000;

describe("the supervisor's board", () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  const r: Record<string, RequestDetails> = {};

  const board = async (who: string) => {
    const res = await as[who]!.get('/api/me/supervisees/tasks');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { tasks: BoardTask[] }).tasks;
  };
  const intake = (req: RequestDetails) =>
    as.support!.post(`/api/requests/${req.id}/intake`, {
      verification: { method: 'Called back on file number' },
    });

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    u.rivera = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
    u.kim = await createUser(t, practice, ['therapist'], { name: 'Dr. Kim' });
    u.outside = await createUser(t, practice, ['therapist'], { name: 'Dr. Outside' });
    u.chen = await createUser(t, practice, ['supervisor'], { name: 'Dr. Chen' });
    u.director = await createUser(t, practice, ['supervisor'], { name: 'Dr. Director' });
    await linkSupervisor(t, u.rivera!, u.chen!);
    await linkSupervisor(t, u.kim!, u.chen!);
    await linkSupervisor(t, u.chen!, u.director!);
    as.support = await signIn(t, u.support!);
    const client = async (therapist: TestUser, lastName: string) =>
      (await createClient(t, practice, therapist, { firstName: 'Pat', lastName })).id;
    r.early = await createRequestAs(as.support!, await client(u.rivera!, 'Early'), {
      receivedAt: '2026-11-02T16:00:00Z',
    });
    await intake(r.early);
    t.clock.advance(7 * DAY); // the first discussion is now overdue
    as.support = await signIn(t, u.support!); // the first session timed out meanwhile
    r.late = await createRequestAs(as.support!, await client(u.kim!, 'Late'), {
      receivedAt: t.clock.now().toISOString(),
    });
    await intake(r.late);
    r.outside = await createRequestAs(as.support!, await client(u.outside!, 'Elsewhere'), {
      receivedAt: t.clock.now().toISOString(),
    });
    await intake(r.outside);
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("SEC-2: lists each supervisee's open tasks with who holds them, overdue first; nobody else's", async () => {
    const tasks = await board('chen');
    expect(tasks.map((x) => [x.request.number, x.assignee.name, x.overdue])).toEqual([
      [r.early!.number, 'Dr. Rivera', true],
      [r.late!.number, 'Dr. Kim', false],
    ]);
    expect(tasks[0]!.label).toMatch(/client/i);
    expect(tasks.some((x) => x.request.id === r.outside!.id)).toBe(false);
    const listed = await auditRows(t, 'request.listed');
    expect(listed.at(-1)?.data).toMatchObject({ count: 2, filters: { superviseeTasks: true } });
  });

  it("the supervisor's own supervisor sees the whole chain below them", async () => {
    const tasks = await board('director');
    expect(tasks.map((x) => x.assignee.name).sort()).toEqual(['Dr. Kim', 'Dr. Rivera']);
  });

  it('someone who supervises nobody gets an empty board, and it is not audited as a listing', async () => {
    const before = (await auditRows(t, 'request.listed')).length;
    expect(await board('rivera')).toEqual([]);
    expect(await board('support')).toEqual([]);
    expect((await auditRows(t, 'request.listed')).length).toBe(before);
  });

  it('a finished step leaves the board', async () => {
    const res = await as.rivera!.post(`/api/requests/${r.early!.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(res.statusCode, res.body).toBe(200);
    const tasks = await board('chen');
    expect(tasks.map((x) => x.request.number)).toEqual([r.late!.number]);
  });
});
