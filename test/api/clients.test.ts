// Who sees which client (rule SEC-2) and the audit trail of every look (rule SEC-3), through the API.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/shared/roles.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { type Agent, signIn } from '../support/session.js';

const WHO = [
  'support',
  'privacy',
  'admin',
  'clinical',
  'therapist',
  'otherTherapist',
  'supervisor',
  'director',
  'otherSupport',
] as const;
type Who = (typeof WHO)[number];
type Which = 'own' | 'other' | 'supervisors' | 'unassigned' | 'otherPractice';

interface AuditRow {
  type: string;
  actor_id: string | null;
  client_id: string | null;
  practice_id: string | null;
  data: Record<string, unknown>;
}

describe('clients: who sees what (SEC-2) and every look recorded (SEC-3)', () => {
  let t: TestApp;
  let practice: TestPractice;
  const users = {} as Record<Who, TestUser>;
  const as = {} as Record<Who, Agent>;
  const client = {} as Record<Which, { id: string; firstName: string; lastName: string }>;

  const auditRows = async (type: string, actorId: string): Promise<AuditRow[]> => {
    const res = await t.running.services.database.pool.query<AuditRow>(
      'select type, actor_id, client_id, practice_id, data from audit_events where type = $1 and actor_id = $2 order by id',
      [type, actorId],
    );
    return res.rows;
  };

  beforeAll(async () => {
    t = await createTestApp();
    practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const other = await createPractice(t, { timeZone: 'America/New_York' });
    const make = (roles: Role[], p = practice, name?: string) =>
      createUser(t, p, roles, name ? { name } : {});
    users.support = await make(['support']);
    users.privacy = await make(['privacy_officer']);
    users.admin = await make(['admin']);
    users.clinical = await make(['clinical_services']);
    users.therapist = await make(['therapist'], practice, 'Dana Rivera');
    users.otherTherapist = await make(['therapist']);
    // The supervisor is also a therapist with a caseload; the director supervises the supervisor.
    users.supervisor = await make(['supervisor', 'therapist']);
    users.director = await make(['supervisor']);
    users.otherSupport = await make(['support'], other);
    await linkSupervisor(t, users.therapist, users.supervisor);
    await linkSupervisor(t, users.supervisor, users.director);

    client.own = await createClient(t, practice, users.therapist, { firstName: 'Alex', lastName: 'Moreno' });
    client.other = await createClient(t, practice, users.otherTherapist, {
      firstName: 'Sam',
      lastName: 'Lee',
    });
    client.supervisors = await createClient(t, practice, users.supervisor, {
      firstName: 'Kim',
      lastName: 'Park',
    });
    client.unassigned = await createClient(t, practice, null, { firstName: 'Jo', lastName: 'Unassigned' });
    const otherTherapist = await createUser(t, other, ['therapist']);
    client.otherPractice = await createClient(t, other, otherTherapist, {
      firstName: 'Alex',
      lastName: 'Moreno',
    });

    for (const who of WHO) as[who] = await signIn(t, users[who]);
  });

  afterAll(async () => {
    await t?.close();
  });

  const VISIBLE: Record<Exclude<Who, 'admin'>, Which[]> = {
    support: ['own', 'other', 'supervisors', 'unassigned'],
    privacy: ['own', 'other', 'supervisors', 'unassigned'],
    clinical: [],
    therapist: ['own'],
    otherTherapist: ['other'],
    supervisor: ['own', 'supervisors'],
    director: ['own', 'supervisors'],
    otherSupport: ['otherPractice'],
  };
  const ALL: Which[] = ['own', 'other', 'supervisors', 'unassigned', 'otherPractice'];

  it.each(Object.entries(VISIBLE) as [Exclude<Who, 'admin'>, Which[]][])(
    'SEC-2: GET /api/clients for %s lists exactly %j, scoped in SQL to the practice',
    async (who, which) => {
      const res = await as[who].get('/api/clients?limit=200');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.clients.map((c: { id: string }) => c.id).sort()).toEqual(
        which.map((w) => client[w].id).sort(),
      );
      expect(body.total).toBe(which.length);
    },
  );

  it('SEC-2: an administrator without another role is refused the client list with the reason', async () => {
    const before = (await auditRows('access.refused', users.admin.id)).length;
    const res = await as.admin.get('/api/clients');
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe(
      'Administrators manage users and settings; they do not see client records.',
    );
    expect(await auditRows('access.refused', users.admin.id)).toHaveLength(before + 1);
  });

  it('SEC-2: an administrator who also works in support sees the clients', async () => {
    const both = await createUser(t, practice, ['admin', 'support']);
    const res = await (await signIn(t, both)).get('/api/clients?limit=200');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(4);
  });

  const GET_CASES = WHO.flatMap((who) =>
    ALL.map((which) => ({
      who,
      which,
      want: who !== 'admin' && VISIBLE[who as Exclude<Who, 'admin'>].includes(which) ? 200 : 404,
    })),
  );

  it.each(GET_CASES)(
    'SEC-2/SEC-3: GET /api/clients/:id, $who on the $which client answers $want',
    async ({ who, which, want }) => {
      const id = client[which].id;
      const viewsBefore = (await auditRows('client.viewed', users[who].id)).length;
      const refusedBefore = (await auditRows('access.refused', users[who].id)).length;
      const res = await as[who].get(`/api/clients/${id}`);
      expect(res.statusCode).toBe(want);
      const views = await auditRows('client.viewed', users[who].id);
      const refused = await auditRows('access.refused', users[who].id);
      if (want === 200) {
        expect(res.json().client.id).toBe(id);
        expect(views).toHaveLength(viewsBefore + 1);
        expect(views.at(-1)).toMatchObject({ client_id: id, practice_id: users[who].practiceId });
        expect(refused).toHaveLength(refusedBefore);
      } else {
        // Not found looks the same as never existing, and exactly one refusal is recorded (SEC-3).
        expect(res.json()).toMatchObject({ error: 'not_found', message: 'No such client.' });
        expect(views).toHaveLength(viewsBefore);
        expect(refused).toHaveLength(refusedBefore + 1);
        expect(refused.at(-1)).toMatchObject({ practice_id: users[who].practiceId });
        expect(refused.at(-1)?.data).toMatchObject({ status: 404, method: 'GET' });
      }
    },
  );

  it('SEC-2: an id that does not exist is a 404, and a malformed one a 400, never a 500', async () => {
    expect((await as.support.get(`/api/clients/${randomUUID()}`)).statusCode).toBe(404);
    const bad = await as.support.get('/api/clients/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].path).toBe('params.id');
  });

  it('the presenter whitelists fields and attaches the caller’s abilities', async () => {
    const bySupport = (await as.support.get(`/api/clients/${client.own.id}`)).json().client;
    expect(Object.keys(bySupport).sort()).toEqual(
      [
        'abilities',
        'address',
        'createdAt',
        'dateOfBirth',
        'email',
        'firstName',
        'id',
        'isMinor',
        'lastName',
        'phone',
        'therapist',
      ].sort(),
    );
    expect(bySupport.therapist).toEqual({ id: users.therapist.id, name: 'Dana Rivera' });
    expect(bySupport.abilities).toEqual(['update_client', 'create_request']);
    const byTherapist = (await as.therapist.get(`/api/clients/${client.own.id}`)).json().client;
    expect(byTherapist.abilities).toEqual([]);
    const listed = (await as.privacy.get('/api/clients?limit=200')).json().clients;
    expect(listed.every((c: { abilities: string[] }) => c.abilities.includes('update_client'))).toBe(true);
  });

  it('SEC-3: a list is recorded with the ids it showed, never the search text', async () => {
    const res = await as.therapist.get('/api/clients?q=moreno');
    expect(res.statusCode).toBe(200);
    const row = (await auditRows('client.listed', users.therapist.id)).at(-1);
    expect(row?.data).toMatchObject({ clientIds: [client.own.id], total: 1, searched: true });
    expect(JSON.stringify(row?.data)).not.toContain('moreno');
  });

  describe('search and paging', () => {
    beforeAll(async () => {
      await createClient(t, practice, users.therapist, { firstName: 'Pat', lastName: 'O_Neil' });
      await createClient(t, practice, users.therapist, { firstName: 'Pat', lastName: 'OxNeil' });
      await createClient(t, practice, users.therapist, { firstName: 'Ru', lastName: '100% Real' });
    });

    const names = async (agent: Agent, query: string): Promise<string[]> => {
      const res = await agent.get(`/api/clients?${query}`);
      expect(res.statusCode).toBe(200);
      return res
        .json()
        .clients.map((c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`);
    };

    it('SEC-2: searches by name, case-insensitively, in either order, within what the caller sees', async () => {
      expect(await names(as.support, 'q=MORENO')).toEqual(['Alex Moreno']);
      expect(await names(as.support, `q=${encodeURIComponent('alex mor')}`)).toEqual(['Alex Moreno']);
      expect(await names(as.support, `q=${encodeURIComponent('moreno alex')}`)).toEqual(['Alex Moreno']);
      expect(await names(as.otherTherapist, 'q=moreno')).toEqual([]);
    });

    it('takes LIKE wildcards literally', async () => {
      expect(await names(as.support, 'q=o_n')).toEqual(['Pat O_Neil']);
      expect(await names(as.support, `q=${encodeURIComponent('%')}`)).toEqual(['Ru 100% Real']);
      expect(await names(as.support, `q=${encodeURIComponent('\\')}`)).toEqual([]);
    });

    it('filters by therapist, still within what the caller sees', async () => {
      const mine = await names(as.support, `therapistId=${users.therapist.id}&limit=200`);
      expect(mine).toHaveLength(4);
      expect(await names(as.otherTherapist, `therapistId=${users.therapist.id}`)).toEqual([]);
    });

    it('pages with limit and offset, ordered by last name, with the total', async () => {
      const first = (await as.support.get('/api/clients?limit=2')).json();
      const second = (await as.support.get('/api/clients?limit=2&offset=2')).json();
      expect(first).toMatchObject({ total: 7, limit: 2, offset: 0 });
      expect(first.clients).toHaveLength(2);
      expect(second.clients).toHaveLength(2);
      const ids = [...first.clients, ...second.clients].map((c: { id: string }) => c.id);
      expect(new Set(ids).size).toBe(4);
      expect(first.clients[0].lastName).toBe('100% Real');
    });

    it.each([
      ['limit=0', 'querystring.limit'],
      ['limit=201', 'querystring.limit'],
      ['limit=ten', 'querystring.limit'],
      ['offset=-1', 'querystring.offset'],
      ['therapistId=nobody', 'querystring.therapistId'],
      [`q=${'x'.repeat(101)}`, 'querystring.q'],
      [`q=${encodeURIComponent('a\u0000b')}`, 'querystring.q'],
    ])('bad input: GET /api/clients?%s is a 400 naming %s', async (query, path) => {
      const res = await as.support.get(`/api/clients?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().fields.map((f: { path: string }) => f.path)).toContain(path);
    });
  });

  it('every client route is in the OpenAPI document with its tag and summary', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/clients'].get.tags).toEqual(['clients']);
    expect(doc.paths['/api/clients'].post.summary).toBeTruthy();
    expect(doc.paths['/api/clients/{id}'].get.summary).toBeTruthy();
    expect(doc.paths['/api/clients/{id}'].patch.requestBody).toBeTruthy();
  });
});
