// GET /api/me/tasks, the web app's home: each person sees the tasks they hold or may take, overdue
// first and then by step due date, with the request, client, requester and both clocks; nobody sees
// a task on a request they may not open (SEC-2). GET /api/me/supervisor names whom "Ask" reaches.
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

interface MyTask {
  taskId: string;
  type: string;
  label: string;
  holder: 'me' | 'queue';
  queueRole: string | null;
  due: string;
  daysLeft: number;
  overdue: boolean;
  request: {
    id: string;
    number: string;
    client: { name: string };
    requester: { name: string };
    legal: { daysLeft: number | null; due: string };
  };
}

const DAY = 24 * 60 * 60 * 1000;

describe('my tasks', () => {
  let t: TestApp;
  const users: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let older: RequestDetails;
  let newer: RequestDetails;

  const myTasks = async (who: string) => {
    const res = await as[who]!.get('/api/me/tasks');
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { tasks: MyTask[] }).tasks;
  };
  const intake = (r: RequestDetails) =>
    as.support!.post(`/api/requests/${r.id}/intake`, {
      verification: { method: 'Called back on file number' },
    });

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z'); // Monday, 09:00 in Los Angeles
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    users.support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    users.therapist = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
    users.other = await createUser(t, practice, ['therapist'], { name: 'Dr. Kim' });
    users.supervisor = await createUser(t, practice, ['supervisor'], { name: 'Dr. Chen' });
    await linkSupervisor(t, users.therapist, users.supervisor);
    as.support = await signIn(t, users.support);
    const maria = await createClient(t, practice, users.therapist, { firstName: 'Maria', lastName: 'Lopez' });
    const ana = await createClient(t, practice, users.therapist, { firstName: 'Ana', lastName: 'Diaz' });
    older = await createRequestAs(as.support!, maria.id, {
      receivedAt: '2026-11-02T16:00:00Z',
      requester: { name: 'Maria Lopez' },
    });
    t.clock.advance(4 * DAY); // Friday: the first request's intake check is now overdue
    for (const [k, u] of Object.entries(users)) as[k] = await signIn(t, u);
    newer = await createRequestAs(as.support!, ana.id, {
      receivedAt: '2026-11-06T16:00:00Z',
      requester: { name: 'Ana Diaz' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('support sees the intake queue, overdue first, with client, requester and both clocks', async () => {
    const tasks = await myTasks('support');
    expect(tasks.map((x) => [x.request.number, x.type, x.holder, x.queueRole, x.overdue])).toEqual([
      [older.number, 'intake_check', 'queue', 'support', true],
      [newer.number, 'intake_check', 'queue', 'support', false],
    ]);
    expect(tasks[0]!.label).toBe('Check the intake');
    expect(tasks[0]!.request.client.name).toBe('Maria Lopez');
    expect(tasks[0]!.request.requester.name).toBe('Maria Lopez');
    expect(tasks[0]!.due).toMatch(/overdue/);
    expect(tasks[1]!.request.legal.daysLeft).toBe(30);
    expect(tasks[1]!.request.legal.due).toMatch(/^\w{3} \d{1,2} \w{3} \(in 30 days\)$/);
  });

  it('the therapist sees Task #1 once the intake is checked; nobody else’s tasks (SEC-2)', async () => {
    expect(await myTasks('therapist')).toEqual([]);
    expect((await intake(newer)).statusCode).toBe(200);
    const tasks = await myTasks('therapist');
    expect(tasks.map((x) => [x.request.id, x.type, x.holder])).toEqual([
      [newer.id, 'client_discussion', 'me'],
    ]);
    expect(tasks[0]!.daysLeft).toBeGreaterThan(0);
    expect(await myTasks('other')).toEqual([]);
    expect(await myTasks('supervisor')).toEqual([]);
    expect((await myTasks('support')).map((x) => x.request.id)).toEqual([older.id]);
  });

  it('the supervisor sees the review waiting on them after the discussion', async () => {
    const res = await as.therapist!.post(`/api/requests/${newer.id}/client-discussion`, {
      outcome: 'go_ahead',
    });
    expect(res.statusCode, res.body).toBe(200);
    const tasks = await myTasks('supervisor');
    expect(tasks.map((x) => [x.request.number, x.type, x.holder])).toEqual([
      [newer.number, 'supervisor_review', 'me'],
    ]);
    expect(await myTasks('therapist')).toEqual([]);
  });

  it('SEC-3: showing the cards is recorded as a listing', async () => {
    const rows = await auditRows(t, 'request.listed');
    expect(rows.some((r) => (r.data.filters as { myTasks?: boolean } | undefined)?.myTasks === true)).toBe(
      true,
    );
  });

  it('names the supervisor an escalation reaches, and none at the top of the chain', async () => {
    const mine = await as.therapist!.get('/api/me/supervisor');
    expect(mine.json()).toEqual({ supervisor: { id: users.supervisor!.id, name: 'Dr. Chen' } });
    const top = await as.supervisor!.get('/api/me/supervisor');
    expect(top.json()).toEqual({ supervisor: null });
  });

  it('answers 401 without a session', async () => {
    for (const url of ['/api/me/tasks', '/api/me/supervisor']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });
});
