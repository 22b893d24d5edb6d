// Issue 8: My tasks and the supervisor's board ran ~6 queries per card (the scoped loader and the
// facts per request), ~1,200 for 200 cards. They now load every card's request, visibility (SEC-2)
// and facts in a fixed number of queries: this counts the statements one call sends to the real
// PostgreSQL (every client of the app's pool) and checks the count does not grow with the cards.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

describe('My tasks: queries per call (issue 8)', () => {
  let t: TestApp;
  const u: Record<string, TestUser> = {};
  const as: Record<string, Agent> = {};
  let counting = false;
  let statements = 0;
  let clientId = '';

  /** The statements the app sends while `url` is answered, and the cards it shows. */
  const measure = async (who: string, url: string) => {
    statements = 0;
    counting = true;
    const res = await as[who]!.get(url);
    counting = false;
    expect(res.statusCode, res.body).toBe(200);
    return { statements, cards: (res.json() as { tasks: unknown[] }).tasks.length };
  };

  /** `n` new requests for Dr. Rivera's client, each with the intake checked (Task #1 is the therapist's). */
  const addRequests = async (n: number, checked: boolean) => {
    for (let i = 0; i < n; i += 1) {
      const r = await createRequestAs(as.support!, clientId, {
        receivedAt: '2026-11-02T16:00:00Z',
        requester: { name: `Requester ${i}` },
      });
      if (!checked) continue;
      const res = await as.support!.post(`/api/requests/${r.id}/intake`, {
        verification: { method: 'Called back on file number' },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-02T17:00:00Z');
    const pool: pg.Pool = t.running.services.database.pool;
    const wrapped = new WeakSet<pg.PoolClient>();
    // A spy on the real clients (not a mock): every statement still goes to PostgreSQL.
    pool.on('acquire', (client) => {
      if (wrapped.has(client)) return;
      wrapped.add(client);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if (counting) statements += 1;
        return query(...args);
      };
    });
    const practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    u.support = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    u.rivera = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
    u.chen = await createUser(t, practice, ['supervisor'], { name: 'Dr. Chen' });
    u.top = await createUser(t, practice, ['supervisor'], { name: 'Dr. Top' });
    await linkSupervisor(t, u.rivera, u.chen);
    await linkSupervisor(t, u.chen, u.top);
    for (const [k, user] of Object.entries(u)) as[k] = await signIn(t, user);
    clientId = (await createClient(t, practice, u.rivera, { firstName: 'Maria', lastName: 'Lopez' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('SEC-2: the same number of queries for 5 cards as for 40, for support, a therapist and two supervisors', async () => {
    await addRequests(5, false);
    await addRequests(5, true);
    const few = {
      support: await measure('support', '/api/me/tasks'),
      therapist: await measure('rivera', '/api/me/tasks'),
      board: await measure('chen', '/api/me/supervisees/tasks'),
      boardAbove: await measure('top', '/api/me/supervisees/tasks'),
    };
    expect(Object.values(few).map((m) => m.cards)).toEqual([5, 5, 5, 5]);
    await addRequests(35, false);
    await addRequests(35, true);
    const many = {
      support: await measure('support', '/api/me/tasks'),
      therapist: await measure('rivera', '/api/me/tasks'),
      board: await measure('chen', '/api/me/supervisees/tasks'),
      boardAbove: await measure('top', '/api/me/supervisees/tasks'),
    };
    expect(Object.values(many).map((m) => m.cards)).toEqual([40, 40, 40, 40]);
    expect(Object.values(many).map((m) => m.statements)).toEqual(Object.values(few).map((m) => m.statements));
    // Before the change, 40 cards took well over 200 statements; a fixed handful remains.
    for (const m of Object.values(many)) expect(m.statements).toBeLessThan(40);
  });
});
