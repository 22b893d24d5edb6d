// Deactivation (sessions end at once; open tasks move to the supervisor, else a privacy officer)
// and supervision links (one supervisor each, no cycles). Admin only (SEC-2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { type Agent, auditRows, randomIp, signIn } from '../support/session.js';

let t: TestApp;
let practice: TestPractice;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp();
  practice = await createPractice(t);
  admin = await signIn(t, await createUser(t, practice, ['admin']));
});
afterAll(async () => {
  await t?.close();
});

async function openTask(
  therapist: TestUser,
  type = 'client_discussion',
  where: TestPractice = practice,
): Promise<string> {
  const pool = t.running.services.database.pool;
  const client = await createClient(t, where, therapist);
  const now = t.clock.now();
  const { rows } = await pool.query<{ id: string }>(
    `insert into requests (practice_id, number, kind, client_id, therapist_id, requester_name, document_classes,
       deliverable, delivery_format, received_at, channel, legal_due_at, legal_due_basis, created_by)
     values ($1, $2, 'client_access', $3, $4, 'Alex', '{progress_notes}', 'copy', 'pdf', $5, 'email', $5, 'law', $4)
     returning id`,
    [where.id, `R-2025-${Math.floor(Math.random() * 1e6)}`, client.id, therapist.id, now],
  );
  const task = await pool.query<{ id: string }>(
    `insert into tasks (practice_id, request_id, type, assignee_id, due_at, opened_at) values ($1, $2, $3, $4, $5, $5) returning id`,
    [where.id, rows[0]!.id, type, therapist.id, now],
  );
  return task.rows[0]!.id;
}

async function assigneeOf(taskId: string): Promise<string | null> {
  const { rows } = await t.running.services.database.pool.query(
    'select assignee_id from tasks where id = $1',
    [taskId],
  );
  return rows[0]!.assignee_id;
}

describe('deactivation', () => {
  it('ends every session of the user at once: their next request is a 401', async () => {
    const user = await createUser(t, practice, ['therapist']);
    const laptop = await signIn(t, user);
    const phone = await signIn(t, user);
    const res = await admin.post(`/api/users/${user.id}/deactivate`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { active: false }, sessionsEnded: 2 });
    expect(res.json().user.deactivatedAt).toBeTruthy();
    expect((await laptop.get('/api/me')).statusCode).toBe(401);
    expect((await phone.post('/api/auth/logout')).statusCode).toBe(200);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: randomIp(),
      payload: { email: user.email, password: user.password },
    });
    expect(login.statusCode).toBe(401);
    expect((await admin.post(`/api/users/${user.id}/deactivate`)).statusCode).toBe(409);
    expect((await admin.post(`/api/users/${admin.user.id}/deactivate`)).statusCode).toBe(409);
  });

  it("hands a therapist's open tasks to their supervisor, one task.reassigned event each", async () => {
    const supervisor = await createUser(t, practice, ['supervisor']);
    const therapist = await createUser(t, practice, ['therapist']);
    await linkSupervisor(t, therapist, supervisor);
    const tasks = [await openTask(therapist), await openTask(therapist, 'preparation')];
    const res = await admin.post(`/api/users/${therapist.id}/deactivate`);
    expect(res.json().tasksReassigned).toBe(2);
    for (const id of tasks) expect(await assigneeOf(id)).toBe(supervisor.id);
    const events = (await auditRows(t, 'task.reassigned')).filter((r) => r.data.fromUserId === therapist.id);
    expect(events.map((e) => e.data.taskId).sort()).toEqual([...tasks].sort());
    expect(events[0]).toMatchObject({
      actorId: admin.user.id,
      data: { toUserId: supervisor.id, reason: 'assignee_deactivated' },
    });
  });

  it('with no active supervisor up the chain, the tasks go to a privacy officer', async () => {
    const p2 = await createPractice(t);
    const admin2 = await signIn(t, await createUser(t, p2, ['admin']));
    const officer = await createUser(t, p2, ['privacy_officer']);
    const lone = await createUser(t, p2, ['therapist']);
    const task = await openTask(lone, 'client_discussion', p2);
    await admin2.post(`/api/users/${lone.id}/deactivate`);
    expect(await assigneeOf(task)).toBe(officer.id);
  });
});

describe('supervision links', () => {
  it('link, one supervisor per supervisee (409), no cycles (409), unlink', async () => {
    const director = await createUser(t, practice, ['supervisor']);
    const supervisor = await createUser(t, practice, ['supervisor']);
    const therapist = await createUser(t, practice, ['therapist']);
    const link = (superviseeId: string, supervisorId: string) =>
      admin.post('/api/supervision-links', { superviseeId, supervisorId });
    expect((await link(therapist.id, supervisor.id)).statusCode).toBe(201);
    expect((await link(supervisor.id, director.id)).statusCode).toBe(201);
    const second = await link(therapist.id, director.id);
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toMatch(/already has a supervisor/);
    const cycle = await link(director.id, supervisor.id);
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().message).toMatch(/cycle/);
    expect((await link(director.id, director.id)).statusCode).toBe(400);
    expect((await link(director.id, therapist.id)).statusCode).toBe(400); // not a supervisor
    expect((await admin.get(`/api/users/${therapist.id}`)).json().user.supervisorId).toBe(supervisor.id);
    const removed = await admin.delete(`/api/supervision-links/${therapist.id}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().links.map((l: { superviseeId: string }) => l.superviseeId)).not.toContain(
      therapist.id,
    );
    expect((await admin.delete(`/api/supervision-links/${therapist.id}`)).statusCode).toBe(404);
    const types = (await auditRows(t)).map((r) => r.type);
    expect(types.filter((x) => x === 'supervision.linked').length).toBeGreaterThanOrEqual(2);
    expect(types).toContain('supervision.unlinked');
  });
});
