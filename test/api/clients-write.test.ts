// Adding and editing clients (rule SEC-2: support and the privacy officer), each change audited in its
// own transaction with ids and field names only (rules SEC-3, SEC-5), and bad input answered 400.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const WHO = ['support', 'privacy', 'admin', 'clinical', 'therapist', 'supervisor'] as const;
type Who = (typeof WHO)[number];
const ROLES: Record<Who, Role[]> = {
  support: ['support'],
  privacy: ['privacy_officer'],
  admin: ['admin'],
  clinical: ['clinical_services'],
  therapist: ['therapist'],
  supervisor: ['supervisor'],
};

interface AuditRow {
  type: string;
  client_id: string | null;
  data: Record<string, unknown>;
}

describe('clients: adding and editing (SEC-2, SEC-3)', () => {
  let t: TestApp;
  let practice: TestPractice;
  const users = {} as Record<Who, TestUser>;
  const as = {} as Record<Who, Agent>;
  let otherPracticeTherapist: TestUser;
  let inactiveTherapist: TestUser;

  const newClient = (fields: Record<string, unknown> = {}) => ({
    firstName: 'Robin',
    lastName: `Shaw-${randomUUID().slice(0, 4)}`,
    dateOfBirth: '1985-06-01',
    therapistId: users.therapist.id,
    email: 'robin@example.test',
    phone: '555-0100',
    address: '1 Main St\nSpringfield',
    ...fields,
  });

  const auditFor = async (clientId: string): Promise<AuditRow[]> =>
    (
      await t.running.services.database.pool.query<AuditRow>(
        'select type, client_id, data from audit_events where client_id = $1 order by id',
        [clientId],
      )
    ).rows;

  const clientCount = async (): Promise<number> =>
    Number((await t.running.services.database.pool.query('select count(*) from clients')).rows[0].count);

  beforeAll(async () => {
    t = await createTestApp();
    // Fixed clock: 06:30 UTC on 10 March 2026 is still 9 March (23:30 PDT) in Los Angeles.
    t.clock.set('2026-03-10T06:30:00Z');
    practice = await createPractice(t, { timeZone: 'America/Los_Angeles' });
    const other = await createPractice(t);
    for (const who of WHO) users[who] = await createUser(t, practice, ROLES[who]);
    otherPracticeTherapist = await createUser(t, other, ['therapist']);
    inactiveTherapist = await createUser(t, practice, ['therapist'], { active: false });
    for (const who of WHO) as[who] = await signIn(t, users[who]);
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([
    ['support', 201],
    ['privacy', 201],
    ['admin', 403],
    ['clinical', 403],
    ['therapist', 403],
    ['supervisor', 403],
  ] as const)('SEC-2: POST /api/clients as %s answers %i', async (who, want) => {
    const before = await clientCount();
    const res = await as[who].post('/api/clients', newClient());
    expect(res.statusCode).toBe(want);
    if (want === 201) {
      const { client } = res.json();
      expect(client).toMatchObject({ firstName: 'Robin', dateOfBirth: '1985-06-01', isMinor: false });
      expect(client.therapist.id).toBe(users.therapist.id);
      expect(client.abilities).toContain('update_client');
      // rule SEC-5: the event carries ids only, never the client's details.
      const rows = await auditFor(client.id);
      expect(rows.map((r) => r.type)).toEqual(['client.created']);
      expect(rows[0]?.data).toEqual({ therapistId: users.therapist.id });
      expect(await clientCount()).toBe(before + 1);
    } else {
      expect(res.json().message).toBe(
        'Only the support team or the privacy officer can add or edit clients.',
      );
      expect(await clientCount()).toBe(before);
    }
  });

  it.each([
    ['born 18 years ago today in Los Angeles (9 March 2008)', '2008-03-09', false],
    ['18 tomorrow in Los Angeles, though already 18 in UTC', '2008-03-10', true],
    ['a child', '2019-01-01', true],
    ['born on 29 February, of age on 1 March', '2008-02-29', false],
  ])(
    'the minor flag is derived from the date of birth in the practice’s time zone: %s',
    async (_, dob, minor) => {
      const res = await as.support.post('/api/clients', newClient({ dateOfBirth: dob }));
      expect(res.statusCode).toBe(201);
      expect(res.json().client.isMinor).toBe(minor);
    },
  );

  it('a minor flag that is given is kept', async () => {
    const res = await as.support.post(
      '/api/clients',
      newClient({ dateOfBirth: '1990-01-01', isMinor: true }),
    );
    expect(res.json().client.isMinor).toBe(true);
  });

  it('a client may have no therapist yet; contact details may be left out', async () => {
    const res = await as.support.post('/api/clients', {
      firstName: '  Zoë  ',
      lastName: 'Ngata',
      dateOfBirth: '1970-01-01',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().client).toMatchObject({ firstName: 'Zoë', therapist: null, email: null, phone: null });
  });

  const badBodies: [string, string, Record<string, unknown>][] = [
    ['a number for a name', 'body.firstName', { firstName: 42 }],
    ['an empty name', 'body.lastName', { lastName: '   ' }],
    ['an oversize name', 'body.firstName', { firstName: 'x'.repeat(101) }],
    ['an oversize address', 'body.address', { address: 'x'.repeat(501) }],
    ['a NUL in a name', 'body.firstName', { firstName: 'Ro\u0000bin' }],
    ['a date that does not exist', 'body.dateOfBirth', { dateOfBirth: '2023-02-30' }],
    ['a date in another format', 'body.dateOfBirth', { dateOfBirth: '06/01/1985' }],
    [
      'a date of birth tomorrow in the practice’s time zone',
      'body.dateOfBirth',
      { dateOfBirth: '2026-03-10' },
    ],
    ['a date of birth before 1900', 'body.dateOfBirth', { dateOfBirth: '1899-12-31' }],
    ['a minor flag that is not a boolean', 'body.isMinor', { isMinor: 'yes' }],
    ['a therapist id that is not an id', 'body.therapistId', { therapistId: 'dr-rivera' }],
    ['an unknown therapist', 'body.therapistId', { therapistId: randomUUID() }],
    ['a bad email', 'body.email', { email: 'not-an-email' }],
    ['an unknown field', 'body', { diagnosis: 'F41.1' }],
  ];

  it.each(badBodies)('bad input: %s is a 400 naming %s, and nothing is added', async (_, path, fields) => {
    const before = await clientCount();
    const res = await as.support.post('/api/clients', newClient(fields));
    expect(res.statusCode).toBe(400);
    expect(res.json().fields.map((f: { path: string }) => f.path)).toContain(path);
    expect(await clientCount()).toBe(before);
  });

  it.each([
    ['a therapist of another practice', () => otherPracticeTherapist.id],
    ['an inactive therapist', () => inactiveTherapist.id],
    ['a staff member who is not a therapist', () => users.supervisor.id],
  ])('bad input: %s as the therapist is a 400 naming body.therapistId', async (_, id) => {
    const res = await as.support.post('/api/clients', newClient({ therapistId: id() }));
    expect(res.statusCode).toBe(400);
    expect(res.json().fields).toEqual([
      { path: 'body.therapistId', message: 'not an active therapist of this practice' },
    ]);
  });

  it('bad input: malformed JSON is a 400, never a 500', async () => {
    const res = await as.support.request('POST', '/api/clients', '{"firstName": "Robin",', {
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('bad_request');
  });

  it('bad input: an oversize body is a 413, never a 500', async () => {
    const res = await as.support.post('/api/clients', newClient({ address: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
  });

  it.each([
    ['a lone surrogate', '\ud800'],
    ['right-to-left marks', '\u202eevil\u202c'],
    ['an emoji and combining marks', 'Zoe\u0308 🌱'],
  ])('odd Unicode in a name (%s) is stored or refused, never a 500', async (_, name) => {
    const res = await as.support.post('/api/clients', newClient({ firstName: name }));
    expect([201, 400]).toContain(res.statusCode);
  });

  it('bad input: missing fields are named', async () => {
    const res = await as.support.post('/api/clients', {});
    expect(res.statusCode).toBe(400);
    const paths = res.json().fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.firstName', 'body.lastName', 'body.dateOfBirth']));
  });

  describe('PATCH /api/clients/:id', () => {
    let clientId: string;
    beforeAll(async () => {
      clientId = (
        await createClient(t, practice, users.therapist, { dateOfBirth: '1980-01-01', phone: '555-0199' })
      ).id;
    });

    it('SEC-3/SEC-5: support edits a client; the event names the changed fields, never their values', async () => {
      const res = await as.support.patch(`/api/clients/${clientId}`, {
        lastName: 'Renamed',
        phone: '555-0199', // unchanged: not named
        email: '',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().client).toMatchObject({ lastName: 'Renamed', email: null, phone: '555-0199' });
      const updated = (await auditFor(clientId)).filter((r) => r.type === 'client.updated');
      expect(updated.map((r) => r.data)).toEqual([{ fields: ['lastName', 'email'] }]);
      expect(JSON.stringify(updated)).not.toContain('Renamed');
    });

    it('a new date of birth re-derives the minor flag', async () => {
      const res = await as.privacy.patch(`/api/clients/${clientId}`, { dateOfBirth: '2015-05-05' });
      expect(res.json().client.isMinor).toBe(true);
      const last = (await auditFor(clientId)).filter((r) => r.type === 'client.updated').at(-1);
      expect(last?.data).toEqual({ fields: ['dateOfBirth', 'isMinor'] });
    });

    it('SEC-2: the client’s own therapist sees the client but may not edit: 403 with the reason, nothing changed', async () => {
      const before = await auditFor(clientId);
      const res = await as.therapist.patch(`/api/clients/${clientId}`, { lastName: 'Nope' });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toBe(
        'Only the support team or the privacy officer can add or edit clients.',
      );
      const after = await auditFor(clientId);
      expect(after).toEqual(before);
      expect((await as.support.get(`/api/clients/${clientId}`)).json().client.lastName).toBe('Renamed');
    });

    it.each(['admin', 'clinical', 'supervisor'] as const)(
      'SEC-2: %s, who cannot see the client, gets 404',
      async (who) => {
        expect((await as[who].patch(`/api/clients/${clientId}`, { lastName: 'Nope' })).statusCode).toBe(404);
      },
    );

    it.each([
      ['an empty body', 'body', {}],
      ['an unknown therapist', 'body.therapistId', { therapistId: randomUUID() }],
      ['a future date of birth', 'body.dateOfBirth', { dateOfBirth: '2030-01-01' }],
      ['an oversize phone', 'body.phone', { phone: '5'.repeat(51) }],
      ['a name of the wrong type', 'body.firstName', { firstName: ['a'] }],
    ])('bad input: %s is a 400 naming %s', async (_, path, body) => {
      const res = await as.support.patch(`/api/clients/${clientId}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().fields.map((f: { path: string }) => f.path)).toContain(path);
    });

    it('a write without the CSRF token is refused and changes nothing', async () => {
      const res = await as.support.patch(`/api/clients/${clientId}`, { lastName: 'Nope' }, { csrf: null });
      expect(res.statusCode).toBe(403);
      expect((await as.support.get(`/api/clients/${clientId}`)).json().client.lastName).toBe('Renamed');
    });
  });
});
