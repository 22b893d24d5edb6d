// The audit log through the API (rule SEC-3): the privacy officer and administrators read their own
// practice's events, newest first, filtered and paged by seq; reading it is itself recorded; and the
// chain check tells a practice only about its own chain.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { record } from '../../src/server/audit/record.js';
import type { Actor } from '../../src/server/context.js';
import { inTransaction } from '../../src/server/db/tx.js';
import type { AuditEvent } from '../../src/shared/audit-events.js';
import type { Role } from '../../src/shared/roles.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { type Agent, signIn } from '../support/session.js';

const WHO = ['privacy', 'admin', 'support', 'therapist', 'supervisor', 'clinical', 'otherPrivacy'] as const;
type Who = (typeof WHO)[number];
const ROLES: Record<Who, Role[]> = {
  privacy: ['privacy_officer'],
  admin: ['admin'],
  support: ['support'],
  therapist: ['therapist'],
  supervisor: ['supervisor'],
  clinical: ['clinical_services'],
  otherPrivacy: ['privacy_officer'],
};

interface EventView {
  id: number;
  seq: number;
  at: string;
  type: string;
  actor: { id: string | null; name: string | null; role: string | null } | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  clientId: string | null;
  data: Record<string, unknown>;
}

describe('the audit log API (SEC-3)', () => {
  let t: TestApp;
  let practice: TestPractice;
  let other: TestPractice;
  const users = {} as Record<Who, TestUser>;
  const as = {} as Record<Who, Agent>;
  const requestId = randomUUID();
  let clientId: string;

  const asActor = (u: TestUser): Actor => ({
    id: u.id,
    practiceId: u.practiceId,
    name: u.name,
    email: u.email,
    roles: u.roles,
    active: true,
    isDemo: false,
  });

  /** Append events to a practice's chain as a user would, at the clock's time. */
  const append = (u: TestUser, events: AuditEvent[]) =>
    inTransaction(
      t.running.services,
      { ip: '10.9.9.9', userAgent: 'test', requestId: 'seed' },
      asActor(u),
      async (ctx) => {
        for (const e of events) record(ctx, e);
      },
    );

  const list = async (
    agent: Agent,
    query = '',
  ): Promise<{ events: EventView[]; nextBefore: number | null }> => {
    const res = await agent.get(`/api/audit-events${query ? `?${query}` : ''}`);
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    other = await createPractice(t);
    for (const who of WHO)
      users[who] = await createUser(t, who === 'otherPrivacy' ? other : practice, ROLES[who]);
    clientId = (await createClient(t, practice, users.therapist)).id;

    // History, written at fixed times: 07:30 UTC on 1 February is still 31 January in Los Angeles.
    const now = t.clock.now();
    t.clock.set('2025-01-15T18:00:00Z');
    await append(users.support, [{ type: 'request.created', requestId, data: { kind: 'client_access' } }]);
    t.clock.set('2025-02-01T07:30:00Z');
    await append(users.therapist, [{ type: 'request.viewed', requestId }]);
    t.clock.set('2025-02-01T09:00:00Z');
    await append(users.therapist, [{ type: 'client.viewed', clientId }]);
    await append(users.otherPrivacy, [{ type: 'client.viewed', clientId: randomUUID() }]);
    t.clock.set(now);

    for (const who of WHO) as[who] = await signIn(t, users[who]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['privacy', 200],
    ['admin', 200],
    ['support', 403],
    ['therapist', 403],
    ['supervisor', 403],
    ['clinical', 403],
  ] as const)('SEC-3: GET /api/audit-events as %s answers %i', async (who, want) => {
    const res = await as[who].get('/api/audit-events');
    expect(res.statusCode).toBe(want);
    if (want === 403) {
      expect(res.json().message).toBe('Only the privacy officer or an administrator can read the audit log.');
    }
  });

  it('SEC-3: a refused read is itself recorded, once', async () => {
    await as.support.get('/api/audit-events?type=access.refused');
    const refused = (await list(as.privacy, `type=access.refused&actorId=${users.support.id}`)).events;
    const before = refused.length;
    await as.support.get('/api/audit-events');
    const after = (await list(as.privacy, `type=access.refused&actorId=${users.support.id}`)).events;
    expect(after).toHaveLength(before + 1);
    expect(after[0]?.data).toMatchObject({ status: 403, route: '/api/audit-events' });
  });

  it('SEC-3: rows are newest first and carry actor, role, IP and user agent', async () => {
    const { events } = await list(as.privacy, 'limit=200');
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const viewed = events.find((e) => e.type === 'client.viewed');
    expect(viewed).toMatchObject({
      clientId,
      actor: { id: users.therapist.id, name: users.therapist.name, role: 'therapist' },
      ip: '10.9.9.9',
      userAgent: 'test',
      at: '2025-02-01T09:00:00.000Z',
    });
    expect(Object.keys(viewed ?? {}).sort()).toEqual(
      ['actor', 'at', 'clientId', 'data', 'id', 'ip', 'requestId', 'seq', 'type', 'userAgent'].sort(),
    );
  });

  it('SEC-3/convention 10: each practice sees only its own log', async () => {
    const mine = (await list(as.privacy, 'type=client.viewed&limit=200')).events;
    const theirs = (await list(as.otherPrivacy, 'type=client.viewed&limit=200')).events;
    expect(mine.map((e) => e.actor?.id)).not.toContain(users.otherPrivacy.id);
    expect(theirs.map((e) => e.actor?.id)).toEqual([users.otherPrivacy.id]);
    expect((await list(as.otherPrivacy, `clientId=${clientId}`)).events).toEqual([]);
  });

  const FILTERS: [string, () => string, string[]][] = [
    ['type', () => 'type=request.created', ['request.created']],
    ['requestId', () => `requestId=${requestId}`, ['request.viewed', 'request.created']],
    ['clientId', () => `clientId=${clientId}`, ['client.viewed']],
    [
      'actorId (within the seeded year)',
      () => `actorId=${users.therapist.id}&to=2025-12-31`,
      ['client.viewed', 'request.viewed'],
    ],
    ['from/to as instants', () => 'from=2025-01-31T00:00:00Z&to=2025-02-01T08:00:00Z', ['request.viewed']],
    [
      'from as a local day (starts at midnight in Los Angeles)',
      () => 'from=2025-02-01&to=2025-02-28',
      ['client.viewed'],
    ],
    [
      'to as a local day (ends at midnight in Los Angeles)',
      () => 'to=2025-01-31',
      ['request.viewed', 'request.created'],
    ],
  ];
  it.each(FILTERS)('SEC-3: filters by %s', async (_, query, types) => {
    const { events } = await list(as.admin, query());
    expect(events.map((e) => e.type)).toEqual(types);
  });

  it('SEC-3: pages by seq with `before`, without gaps or repeats', async () => {
    const all = (await list(as.privacy, 'limit=200')).events.map((e) => e.seq);
    expect(all.length).toBeGreaterThan(5);
    const seen: number[] = [];
    let before: number | null = all[0]! + 1;
    while (before !== null) {
      const page = await list(as.privacy, `limit=2&before=${before}`);
      expect(page.events.length).toBeLessThanOrEqual(2);
      seen.push(...page.events.map((e) => e.seq));
      before = page.nextBefore;
      if (seen.length > all.length) break;
    }
    // Every read appends an audit.viewed row above the first page, so the walk covers exactly `all`.
    expect(seen).toEqual(all);
  });

  it('SEC-3: reading the log is recorded as audit.viewed with the filters', async () => {
    await list(as.admin, `type=client.viewed&clientId=${clientId}&limit=7`);
    const [last] = (await list(as.privacy, `type=audit.viewed&actorId=${users.admin.id}&limit=1`)).events;
    expect(last?.data).toEqual({
      filters: { type: 'client.viewed', clientId, limit: 7 },
      returned: 1,
    });
    expect(last?.actor).toMatchObject({ id: users.admin.id, role: 'admin' });
  });

  it.each([
    ['limit=0', 'querystring.limit'],
    ['limit=201', 'querystring.limit'],
    ['limit=lots', 'querystring.limit'],
    ['before=0', 'querystring.before'],
    ['before=abc', 'querystring.before'],
    ['type=client.deleted', 'querystring.type'],
    ['requestId=R-2025-0001', 'querystring.requestId'],
    ['actorId=1', 'querystring.actorId'],
    ['from=yesterday', 'querystring.from'],
    ['from=2025-02-30', 'querystring.from'],
    ['to=2025-02-01T10:00:00', 'querystring.to'],
    ['from=2025-03-01&to=2025-02-01', 'querystring.to'],
  ])('bad input: GET /api/audit-events?%s is a 400 naming %s', async (query, path) => {
    const res = await as.privacy.get(`/api/audit-events?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.map((f: { path: string }) => f.path)).toContain(path);
  });

  it('every audit route is in the OpenAPI document with its tag and summary', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/audit-events'].get.tags).toEqual(['audit']);
    expect(doc.paths['/api/audit-events/verify'].get.summary).toBeTruthy();
  });

  describe('GET /api/audit-events/verify', () => {
    it.each([
      ['support', 403],
      ['therapist', 403],
      ['admin', 200],
    ] as const)('SEC-3: as %s answers %i', async (who, want) => {
      expect((await as[who].get('/api/audit-events/verify')).statusCode).toBe(want);
    });

    it('SEC-3: an intact log verifies, and the check is recorded', async () => {
      const res = await as.privacy.get('/api/audit-events/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: true });
      expect(res.json().rowsChecked).toBeGreaterThan(0);
      const [last] = (await list(as.admin, `type=audit.viewed&actorId=${users.privacy.id}&limit=1`)).events;
      expect(last?.data).toEqual({ verify: true, ok: true });
    });

    // Runs last: it breaks this file's chain on purpose.
    it('SEC-3: after a direct edit, the practice learns which row broke; another practice only that the log does not verify', async () => {
      const { events } = await list(as.privacy, `type=request.viewed&requestId=${requestId}`);
      const target = events[0]!;
      const db = new pg.Client({ connectionString: t.databaseUrl });
      await db.connect();
      try {
        // A forger with database access bypasses the append-only trigger.
        await db.query('begin');
        await db.query('set local session_replication_role = replica');
        await db.query(`update audit_events set data = '{"edited": true}' where id = $1`, [target.id]);
        await db.query('commit');
      } finally {
        await db.end();
      }
      const mine = (await as.privacy.get('/api/audit-events/verify')).json();
      expect(mine).toMatchObject({
        ok: false,
        firstBroken: { seq: target.seq, id: target.id, reason: 'content does not match its HMAC' },
      });
      const theirs = (await as.otherPrivacy.get('/api/audit-events/verify')).json();
      expect(theirs.ok).toBe(false);
      expect(theirs.firstBroken).toBeUndefined();
      expect(theirs.rowsChecked).toBeUndefined();
    });
  });
});
