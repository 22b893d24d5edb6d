// Living with a session: CSRF on every write, the idle timeout and the absolute lifetime (SEC-4),
// logout, and the second factor's limits (five wrong codes, single-use recovery codes; SEC-1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
  totpCode,
} from '../support/factories.js';
import { agentFor, auditRows, randomIp, sessionCookie, signIn } from '../support/session.js';

let t: TestApp;
let practice: TestPractice;

beforeAll(async () => {
  t = await createTestApp();
  practice = await createPractice(t);
});
afterAll(async () => {
  await t?.close();
});

async function practiceName(): Promise<string> {
  const { rows } = await t.running.services.database.pool.query<{ name: string }>(
    'select name from practices where id = $1',
    [practice.id],
  );
  return rows[0]!.name;
}

async function sessionRow(userId: string) {
  const { rows } = await t.running.services.database.pool.query<{ revoked_at: Date | null; stage: string }>(
    'select revoked_at, stage from sessions where user_id = $1 order by created_at desc limit 1',
    [userId],
  );
  return rows[0]!;
}

/** Password accepted, second factor pending. */
async function pendingMfa(user: TestUser) {
  const ip = randomIp();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { email: user.email, password: user.password },
  });
  expect(res.json().mfaRequired).toBe(true);
  return agentFor(t, user, { cookie: sessionCookie(res)!, csrfToken: res.json().csrfToken, ip });
}

describe('CSRF', () => {
  it('SEC-4: a cookie-authenticated write without the x-csrf-token header is a 403 and changes nothing', async () => {
    const admin = await signIn(t, await createUser(t, practice, ['admin']));
    const before = await practiceName();
    const refusedBefore = (await auditRows(t, 'access.refused')).length;
    const missing = await admin.patch('/api/practice', { name: 'Hijacked' }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toMatchObject({ error: 'csrf' });
    const wrong = await admin.patch('/api/practice', { name: 'Hijacked' }, { csrf: `${admin.csrfToken}x` });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error: 'csrf' });
    const otherSessions = await signIn(t, admin.user);
    const borrowed = await admin.patch(
      '/api/practice',
      { name: 'Hijacked' },
      { csrf: otherSessions.csrfToken },
    );
    expect(borrowed.statusCode).toBe(403);
    expect(await practiceName()).toBe(before);
    // Each refusal is audited, in its own transaction.
    const refused = await auditRows(t, 'access.refused');
    expect(refused).toHaveLength(refusedBefore + 3);
    expect(refused.at(-1)).toMatchObject({ actorId: admin.user.id, data: { status: 403, method: 'PATCH' } });
    // With the token it goes through.
    const ok = await admin.patch('/api/practice', { name: 'Renamed Practice' });
    expect(ok.statusCode).toBe(200);
    expect(await practiceName()).toBe('Renamed Practice');
  });

  it('GET /api/auth/csrf returns the session token; reads need none; sign-in itself needs none', async () => {
    const user = await signIn(t, await createUser(t, practice, ['support']));
    const res = await user.get('/api/auth/csrf');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ csrfToken: user.csrfToken });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/csrf' })).statusCode).toBe(401);
    // The login route accepts a request that carries an old cookie and no token.
    const again = await user.post(
      '/api/auth/login',
      { email: user.user.email, password: user.user.password },
      { csrf: null },
    );
    expect(again.statusCode).toBe(200);
  });
});

describe('idle timeout and lifetime', () => {
  it('SEC-4: 15 minutes without activity end the session: 401, revoked, audited', async () => {
    const agent = await signIn(t, await createUser(t, practice, ['therapist']));
    t.clock.advance(14 * 60_000);
    expect((await agent.get('/api/me')).statusCode).toBe(200); // activity keeps it alive
    t.clock.advance(14 * 60_000);
    expect((await agent.get('/api/me')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000 + 1000);
    const res = await agent.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/15 minutes without activity/);
    expect(sessionCookie(res)).toBe(''); // the cookie is cleared
    expect((await sessionRow(agent.user.id)).revoked_at).not.toBeNull();
    const expired = (await auditRows(t, 'auth.session_expired')).at(-1)!;
    expect(expired).toMatchObject({
      actorId: agent.user.id,
      practiceId: practice.id,
      data: { reason: 'idle' },
    });
    // Coming back within the window does not revive it.
    t.clock.advance(-10 * 60_000);
    expect((await agent.get('/api/me')).statusCode).toBe(401);
  });

  it('honours a configured idle timeout', async () => {
    const short = await createTestApp({ idleTimeoutMinutes: 2 });
    try {
      const p = await createPractice(short);
      const agent = await signIn(short, await createUser(short, p, ['support']));
      short.clock.advance(2 * 60_000 + 1);
      expect((await agent.get('/api/me')).statusCode).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('SEC-4: a session lasts at most 12 hours, however busy', async () => {
    const agent = await signIn(t, await createUser(t, practice, ['support']));
    for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
      t.clock.advance(10 * 60_000);
      expect((await agent.get('/api/me')).statusCode).toBe(200);
    }
    t.clock.advance(10 * 60_000);
    const res = await agent.get('/api/me');
    expect(res.statusCode).toBe(401);
    expect((await auditRows(t, 'auth.session_expired')).at(-1)!.data).toMatchObject({ reason: 'lifetime' });
  });
});

describe('logout', () => {
  it('revokes the session, clears the cookie and is audited', async () => {
    const agent = await signIn(t, await createUser(t, practice, ['support']));
    const res = await agent.post('/api/auth/logout');
    expect(res.statusCode).toBe(200);
    expect(sessionCookie(res)).toBe('');
    expect((await agent.get('/api/me')).statusCode).toBe(401);
    expect((await sessionRow(agent.user.id)).revoked_at).not.toBeNull();
    expect((await auditRows(t, 'auth.logout')).at(-1)).toMatchObject({ actorId: agent.user.id });
  });

  it('needs the CSRF token (a forged logout is refused)', async () => {
    const agent = await signIn(t, await createUser(t, practice, ['support']));
    expect((await agent.post('/api/auth/logout', {}, { csrf: null })).statusCode).toBe(403);
    expect((await agent.get('/api/me')).statusCode).toBe(200);
  });

  it('signing in again revokes the session the browser carried (no fixation)', async () => {
    const agent = await signIn(t, await createUser(t, practice, ['support']));
    const old = agent.cookie;
    const again = await agent.post('/api/auth/login', {
      email: agent.user.email,
      password: agent.user.password,
    });
    expect(sessionCookie(again)).not.toBe(old);
    expect((await agent.get('/api/me')).statusCode).toBe(401);
  });
});

describe('the second factor', () => {
  it('SEC-1: five wrong codes end the pending session and lock the account', async () => {
    const user = await createUser(t, practice, ['therapist']);
    const pending = await pendingMfa(user);
    for (let i = 0; i < 4; i += 1) {
      const res = await pending.post('/api/auth/mfa', { code: '000000' });
      expect(res.statusCode).toBe(401);
      expect(res.json().message).toMatch(/code is not right/);
    }
    const fifth = await pending.post('/api/auth/mfa', { code: '000000' });
    expect(fifth.statusCode).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBe(900);
    expect((await sessionRow(user.id)).revoked_at).not.toBeNull();
    // The right code is useless now: the pending session is gone.
    const late = await pending.post('/api/auth/mfa', {
      code: totpCode(user.totpSecret!, t.clock.now().getTime()),
    });
    expect(late.statusCode).toBe(401);
    const failed = (await auditRows(t, 'auth.mfa_failed')).filter((r) => r.data.userId === user.id);
    expect(failed).toHaveLength(5);
    expect(JSON.stringify(failed)).not.toContain('000000');
  });

  it('SEC-1: a recovery code works once, in place of a TOTP code', async () => {
    const user = await createUser(t, practice, ['supervisor'], { enrolled: false });
    const first = await signIn(t, user);
    const [code, other] = first.recoveryCodes!;
    t.clock.advance(60_000);
    const pending = await pendingMfa(user);
    const used = await pending.post('/api/auth/mfa', { code: code!.toUpperCase() });
    expect(used.statusCode).toBe(200);
    const agent = agentFor(t, user, { cookie: sessionCookie(used)!, csrfToken: used.json().csrfToken });
    expect((await agent.get('/api/me')).statusCode).toBe(200);
    const audit = (await auditRows(t, 'auth.recovery_code_used')).at(-1)!;
    expect(audit).toMatchObject({ actorId: user.id, data: { remaining: 9 } });
    expect(JSON.stringify(audit)).not.toContain(code!);

    const second = await pendingMfa(user);
    const reused = await second.post('/api/auth/mfa', { code: code! });
    expect(reused.statusCode).toBe(401);
    expect((await second.post('/api/auth/mfa', { code: other! })).statusCode).toBe(200);
  });

  it('answers 409 for the wrong step and 401 without a session', async () => {
    const user = await createUser(t, practice, ['therapist']);
    const full = await signIn(t, user);
    expect((await full.post('/api/auth/mfa', { code: '123456' })).statusCode).toBe(409);
    expect((await full.post('/api/auth/mfa/enroll', { code: '123456' })).statusCode).toBe(409);
    const anon = await t.app.inject({ method: 'POST', url: '/api/auth/mfa', payload: { code: '123456' } });
    expect(anon.statusCode).toBe(401);
    const pending = await pendingMfa(user);
    expect((await pending.post('/api/auth/mfa/enroll', { code: '123456' })).statusCode).toBe(409);
    expect((await pending.post('/api/auth/mfa', { code: 'x'.repeat(65) })).statusCode).toBe(400);
    expect((await pending.post('/api/auth/mfa', { code: 123456 })).statusCode).toBe(400);
  });
});
