// Administration (SEC-2: admin only; another practice's people are not found): staff accounts,
// one-time sign-in links, roles, deactivation (sessions end at once; tasks move to the supervisor).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, endOfLocalDay, localDate } from '../../src/shared/time.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  totpCode,
} from '../support/factories.js';
import { intakeBody } from '../support/requests.js';
import {
  type Agent,
  agentFor,
  auditRows,
  auditText,
  randomIp,
  sessionCookie,
  signIn,
} from '../support/session.js';

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

describe('adding a staff member', () => {
  it('SEC-1: the admin adds a therapist, who sets a password with the one-time link and enrols a second factor', async () => {
    const res = await admin.post('/api/users', {
      email: ' New.Therapist@Practice.test ',
      name: 'Noa Field',
      roles: ['therapist'],
    });
    expect(res.statusCode).toBe(201);
    const { user, signInLink } = res.json();
    expect(user).toMatchObject({
      email: 'new.therapist@practice.test',
      name: 'Noa Field',
      roles: ['therapist'],
      active: true,
      mfaEnrolled: false,
      supervisorId: null,
    });
    const url = new URL(signInLink.url);
    expect(url.origin + url.pathname).toBe(`${t.config.publicUrl}/sign-in`);
    const token = url.searchParams.get('token')!;
    expect(new Date(signInLink.expiresAt).getTime() - t.clock.now().getTime()).toBe(24 * 3600_000);

    // No password yet: the email alone signs nobody in.
    const ip = randomIp();
    const noPassword = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { email: user.email, password: '' },
    });
    expect(noPassword.statusCode).toBe(400);
    const tooShort = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token-login',
      remoteAddress: ip,
      payload: { token, password: 'short' },
    });
    expect(tooShort.statusCode).toBe(400);
    const password = 'a long enough passphrase';
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token-login',
      remoteAddress: ip,
      payload: { token, password },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ mfaEnrollmentRequired: true });
    const secret = new URL(first.json().otpauthUrl).searchParams.get('secret')!;
    const pending = agentFor(
      t,
      { ...user, practiceId: practice.id, password, totpSecret: null },
      { cookie: sessionCookie(first)!, csrfToken: first.json().csrfToken, ip },
    );
    const enrolled = await pending.post('/api/auth/mfa/enroll', {
      code: totpCode(secret, t.clock.now().getTime()),
    });
    expect(enrolled.statusCode).toBe(200);

    // The link works once.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token-login',
      remoteAddress: ip,
      payload: { token, password: 'another long passphrase' },
    });
    expect(again.statusCode).toBe(401);
    // The password it set is the password now.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { email: user.email, password },
    });
    expect(login.json()).toMatchObject({ mfaRequired: true });
    const text = await auditText(t);
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
    expect((await auditRows(t, 'user.created')).at(-1)).toMatchObject({
      actorId: admin.user.id,
      data: { userId: user.id, roles: ['therapist'] },
    });
  });

  it('an expired link is refused', async () => {
    const made = (
      await admin.post('/api/users', { email: 'late@practice.test', name: 'Late Comer', roles: ['support'] })
    ).json();
    t.clock.advance(24 * 3600_000 + 1000);
    const token = new URL(made.signInLink.url).searchParams.get('token');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token-login',
      remoteAddress: randomIp(),
      payload: { token, password: 'a long enough passphrase' },
    });
    expect(res.statusCode).toBe(401);
    admin = await signIn(t, admin.user); // the admin's own session went idle meanwhile
  });

  it('refuses a duplicate email with 409 and bad fields with 400', async () => {
    const dup = await admin.post('/api/users', {
      email: admin.user.email.toUpperCase(),
      name: 'Twin',
      roles: ['support'],
    });
    expect(dup.statusCode).toBe(409);
    for (const body of [
      { email: 'not-an-email', name: 'X', roles: ['support'] },
      { email: 'x@practice.test', name: 'X', roles: ['wizard'] },
      { email: 'x@practice.test', name: 'X', roles: [] },
      { email: 'x@practice.test', name: 'X', roles: ['support', 'support'] },
      { email: 'x@practice.test', name: 'N'.repeat(201), roles: ['support'] },
      { email: 'x@practice.test', name: 'Bad\u0000Name', roles: ['support'] },
      { email: 'x@practice.test', name: '   ', roles: ['support'] },
      { email: 'x@practice.test', name: 7, roles: 'support' },
    ]) {
      const res = await admin.post('/api/users', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().fields.length).toBeGreaterThan(0);
    }
    const malformed = await admin.request('POST', '/api/users', undefined, {
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('who may administer', () => {
  it('SEC-2: everyone but an admin gets 403 with the reason, and the refusal is audited', async () => {
    const target = await createUser(t, practice, ['therapist']);
    for (const role of [
      'support',
      'therapist',
      'supervisor',
      'clinical_services',
      'privacy_officer',
    ] as const) {
      const other = await signIn(t, await createUser(t, practice, [role]));
      const attempts = [
        await other.get('/api/users'),
        await other.get(`/api/users/${target.id}`),
        await other.post('/api/users', { email: `x-${role}@practice.test`, name: 'X', roles: ['admin'] }),
        await other.patch(`/api/users/${target.id}`, { roles: ['admin'] }),
        await other.post(`/api/users/${target.id}/deactivate`),
        await other.post(`/api/users/${target.id}/sign-in-link`),
        await other.get('/api/supervision-links'),
        await other.post('/api/supervision-links', { superviseeId: target.id, supervisorId: other.user.id }),
        await other.delete(`/api/supervision-links/${target.id}`),
        await other.patch('/api/practice', { name: 'Mine now' }),
      ];
      for (const res of attempts) {
        expect(res.statusCode).toBe(403);
        expect(res.json().message).toMatch(/Only an administrator/);
      }
      const refused = (await auditRows(t, 'access.refused')).filter((r) => r.actorId === other.user.id);
      expect(refused).toHaveLength(attempts.length);
      // Reading the practice settings is for everyone.
      expect((await other.get('/api/practice')).statusCode).toBe(200);
    }
    const { rows } = await t.running.services.database.pool.query(
      'select roles, active from users where id = $1',
      [target.id],
    );
    expect(rows[0]).toEqual({ roles: ['therapist'], active: true });
  });

  it('SEC-2: an admin of another practice does not find our people (404)', async () => {
    const elsewhere = await createPractice(t);
    const foreignAdmin = await signIn(t, await createUser(t, elsewhere, ['admin']));
    const ours = await createUser(t, practice, ['therapist']);
    expect((await foreignAdmin.get(`/api/users/${ours.id}`)).statusCode).toBe(404);
    expect((await foreignAdmin.patch(`/api/users/${ours.id}`, { name: 'Taken' })).statusCode).toBe(404);
    expect((await foreignAdmin.post(`/api/users/${ours.id}/deactivate`)).statusCode).toBe(404);
    expect((await foreignAdmin.post(`/api/users/${ours.id}/sign-in-link`)).statusCode).toBe(404);
    expect(
      (
        await foreignAdmin.post('/api/supervision-links', {
          superviseeId: ours.id,
          supervisorId: foreignAdmin.user.id,
        })
      ).statusCode,
    ).toBe(404);
    const list = (await foreignAdmin.get('/api/users')).json().users.map((u: { id: string }) => u.id);
    expect(list).toEqual([foreignAdmin.user.id]);
    expect((await admin.get(`/api/users/${ours.id}`)).json().user.name).toBe(ours.name);
    expect((await admin.get('/api/users/not-a-uuid')).statusCode).toBe(400);
    expect((await admin.get('/api/users/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('roles and names', () => {
  it('an admin changes roles, effective on the next request', async () => {
    const user = await createUser(t, practice, ['support']);
    const agent = await signIn(t, user);
    expect((await agent.get('/api/me')).json().abilities).not.toContain('break_glass');
    const res = await admin.patch(`/api/users/${user.id}`, {
      roles: ['support', 'privacy_officer'],
      name: 'Pat Privacy',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ roles: ['support', 'privacy_officer'], name: 'Pat Privacy' });
    expect((await agent.get('/api/me')).json().abilities).toContain('break_glass');
    expect((await auditRows(t, 'user.updated')).at(-1)!.data).toMatchObject({
      userId: user.id,
      changes: { roles: { from: ['support'], to: ['support', 'privacy_officer'] } },
    });
    expect((await admin.patch(`/api/users/${user.id}`, {})).statusCode).toBe(400);
  });

  it('the last active admin keeps the role (409)', async () => {
    const solo = await createPractice(t);
    const only = await signIn(t, await createUser(t, solo, ['admin']));
    const res = await only.patch(`/api/users/${only.user.id}`, { roles: ['support'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/last active administrator/);
  });
});

describe('practice settings', () => {
  it('an admin changes name, state, time zone and privacy-officer contact; bad values are 400s', async () => {
    const res = await admin.patch('/api/practice', {
      state: 'ny',
      timeZone: 'america/new_york',
      privacyOfficer: { name: 'Priya Officer', email: 'Privacy@Practice.test', phone: '+1 (555) 010-2000' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().practice).toMatchObject({
      state: 'NY',
      timeZone: 'America/New_York',
      privacyOfficer: { name: 'Priya Officer', email: 'privacy@practice.test', phone: '+1 (555) 010-2000' },
    });
    expect(
      (await admin.patch('/api/practice', { privacyOfficer: { phone: null } })).json().practice.privacyOfficer
        .phone,
    ).toBeNull();
    for (const body of [
      { timeZone: 'Mars/Olympus_Mons' },
      { state: 'XX' },
      { name: '' },
      {},
      { timeZone: 5 },
      { name: 'x'.repeat(201) },
    ]) {
      expect((await admin.patch('/api/practice', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await auditRows(t, 'practice.updated')).at(-1)!.data).toMatchObject({
      changes: { privacyOfficerPhone: { to: null } },
    });
  });

  it('TIME-5, TIME-6: an admin changes the policy settings — merged with the stored ones, audited with the keys changed, used by the clocks; a bad one is a 400 naming the field', async () => {
    const first = await admin.patch('/api/practice', {
      settings: {
        targetCalendarDays: 21,
        ladderBusinessDays: { supervisor: 2 },
        stepBusinessDays: { preparation: 4 },
      },
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().practice.settings).toEqual({
      stepBusinessDays: { preparation: 4 },
      targetCalendarDays: 21,
      ladderBusinessDays: { assignee: 0, supervisor: 2, secondSupervisor: 2, privacyOfficer: 3 },
      legalNoticeDays: [5, 1],
      breakGlassMinutes: 60,
      importantNotices: [],
      mailTemplates: {},
    });
    expect((await auditRows(t, 'practice.updated')).at(-1)!.data).toEqual({
      changes: {
        'settings.targetCalendarDays': { from: 30, to: 21 },
        'settings.ladderBusinessDays.supervisor': { from: 1, to: 2 },
        'settings.stepBusinessDays.preparation': { from: 5, to: 4 },
      },
      settingsChanged: [
        'stepBusinessDays.preparation',
        'targetCalendarDays',
        'ladderBusinessDays.supervisor',
      ],
    });

    // A second change leaves the others as they are: rung by rung, step by step.
    const second = await admin.patch('/api/practice', {
      settings: { ladderBusinessDays: { privacyOfficer: 5 }, breakGlassMinutes: 30 },
    });
    expect(second.statusCode, second.body).toBe(200);
    const settings = second.json().practice.settings;
    expect(settings).toMatchObject({
      stepBusinessDays: { preparation: 4 },
      targetCalendarDays: 21,
      ladderBusinessDays: { assignee: 0, supervisor: 2, secondSupervisor: 2, privacyOfficer: 5 },
      breakGlassMinutes: 30,
    });
    expect((await auditRows(t, 'practice.updated')).at(-1)!.data).toMatchObject({
      settingsChanged: ['ladderBusinessDays.privacyOfficer', 'breakGlassMinutes'],
    });
    const audited = (await auditRows(t, 'practice.updated')).length;

    // Refused, naming the field, and nothing changes.
    for (const [body, field] of [
      [{ targetCalendarDays: 0 }, 'body.settings.targetCalendarDays'],
      [{ stepBusinessDays: { preparation: 61 } }, 'body.settings.stepBusinessDays.preparation'],
      [{ breakGlassMinutes: 1 }, 'body.settings.breakGlassMinutes'],
      [{ legalNoticeDays: [5, 1, 2, 3, 4, 6] }, 'body.settings.legalNoticeDays'],
      [{ ladderBusinessDays: { boss: 1 } }, 'boss'],
      [{ stepBusinessDays: { lunch: 1 } }, 'lunch'],
      [{ colour: 'blue' }, 'colour'],
      [{}, 'body.settings'],
    ] as const) {
      const res = await admin.patch('/api/practice', { settings: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message, JSON.stringify(body)).toContain(field);
    }
    const supervisor = await signIn(t, await createUser(t, practice, ['supervisor']));
    expect(
      (await supervisor.patch('/api/practice', { settings: { breakGlassMinutes: 600 } })).statusCode,
    ).toBe(403);
    expect((await admin.get('/api/practice')).json().practice.settings).toEqual(settings);
    expect(await auditRows(t, 'practice.updated')).toHaveLength(audited);

    // The clocks use them: a third party's request gets the practice's 21-day target (TIME-5).
    const support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist);
    const receivedAt = t.clock.now();
    const created = await support.post('/api/requests', {
      ...intakeBody(client.id, { kind: 'authorization', requester: { name: 'Insurer' } }),
      receivedAt: receivedAt.toISOString(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const zone = (await admin.get('/api/practice')).json().practice.timeZone as string;
    expect(created.json().clocks.legal).toMatchObject({
      basis: 'target',
      dueAt: endOfLocalDay(addCalendarDays(localDate(receivedAt, zone), 21), zone).toISOString(),
    });
  });

  it('lists every route of this increment in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/auth/login',
      '/api/auth/mfa',
      '/api/auth/mfa/enroll',
      '/api/auth/token-login',
      '/api/auth/csrf',
      '/api/auth/logout',
      '/api/me',
      '/api/users',
      '/api/users/{userId}',
      '/api/users/{userId}/deactivate',
      '/api/users/{userId}/sign-in-link',
      '/api/supervision-links',
      '/api/supervision-links/{superviseeId}',
      '/api/practice',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/api/auth/login'].post.summary).toBeTruthy();
  });
});
