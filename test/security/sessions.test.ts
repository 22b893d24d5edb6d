// Issue 8 "Sessions and tokens" (rules SEC-1, SEC-3, SEC-4): session fixation at every step of the
// staff sign-in and in the requester portal, a pending sign-in's 10 minutes, and logout everywhere
// after a password change (one's own, or one set through an administrator's sign-in link) and
// after deactivation. (CSRF, idle timeout, the 12-hour lifetime, logout and the second factor's
// limits are in test/api/auth-session.test.ts; deactivation's 401 in users-deactivate.test.ts.)
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailedCode, statusToken } from '../portal/support.js';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  type TestPractice,
  type TestUser,
  totpCode,
} from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
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
let adminUser: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  practice = await createPractice(t);
  adminUser = await createUser(t, practice, ['admin']);
});
/** The tests move the clock on by minutes: an administrator signs in when needed (no idle timeout in the way). */
const asAdmin = (): Promise<Agent> => signIn(t, adminUser);
afterAll(async () => {
  await t?.close();
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const me = (cookie: string) =>
  t.app.inject({ method: 'GET', url: '/api/me', remoteAddress: randomIp(), cookies: { rd_session: cookie } });

async function sessionRow(token: string) {
  const { rows } = await t.running.services.database.pool.query<{ revoked_at: Date | null; stage: string }>(
    'select revoked_at, stage from sessions where token_hash = $1',
    [sha256(token)],
  );
  return rows[0] ?? null;
}

/** The password step alone, sending whatever rd_session cookie the browser holds. */
function login(user: TestUser, opts: { cookie?: string; password?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: randomIp(),
    cookies: opts.cookie ? { rd_session: opts.cookie } : {},
    payload: { email: user.email, password: opts.password ?? user.password },
  });
}

/** A TOTP code for a step the test's other sign-ins have not used (each code is good once, SEC-1). */
function unusedCode(user: TestUser): string {
  t.clock.advance(90_000);
  return totpCode(user.totpSecret!, t.clock.now().getTime());
}

describe('session fixation (SEC-4)', () => {
  it('SEC-4: a session id an attacker planted before sign-in is never the one after it, at the password step or the second factor', async () => {
    const victim = await createUser(t, practice, ['support']);
    const planted = randomBytes(32).toString('base64url');
    const pw = await login(victim, { cookie: planted });
    expect(pw.statusCode).toBe(200);
    const pending = sessionCookie(pw)!;
    expect(pending).not.toBe(planted);
    const mfa = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      remoteAddress: randomIp(),
      cookies: { rd_session: pending },
      headers: { 'x-csrf-token': pw.json().csrfToken },
      payload: { code: unusedCode(victim) },
    });
    expect(mfa.statusCode, mfa.body).toBe(200);
    const full = sessionCookie(mfa)!;
    expect(new Set([planted, pending, full]).size).toBe(3);
    expect((await me(full)).statusCode).toBe(200);
    // Neither the planted value nor the token seen before the second factor signs anyone in.
    expect(await sessionRow(planted)).toBeNull();
    expect((await me(planted)).statusCode).toBe(401);
    expect((await me(pending)).statusCode).toBe(401);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      remoteAddress: randomIp(),
      cookies: { rd_session: pending },
      headers: { 'x-csrf-token': pw.json().csrfToken },
      payload: { code: unusedCode(victim) },
    });
    expect(replay.statusCode).toBe(401);
  });

  it('SEC-4: an attacker’s own pending session planted in the victim’s browser is revoked when the victim signs in, never promoted', async () => {
    const attacker = await createUser(t, practice, ['therapist']);
    const victim = await createUser(t, practice, ['privacy_officer']);
    const attackers = await login(attacker);
    const planted = sessionCookie(attackers)!;
    expect((await sessionRow(planted))?.stage).toBe('mfa');
    const victims = await login(victim, { cookie: planted });
    expect(victims.statusCode).toBe(200);
    expect(sessionCookie(victims)).not.toBe(planted);
    expect((await sessionRow(planted))?.revoked_at).not.toBeNull();
    // The attacker cannot finish their own sign-in with it, nor read anything as the victim.
    const finish = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      remoteAddress: randomIp(),
      cookies: { rd_session: planted },
      headers: { 'x-csrf-token': attackers.json().csrfToken },
      payload: { code: unusedCode(attacker) },
    });
    expect(finish.statusCode).toBe(401);
    expect((await me(planted)).statusCode).toBe(401);
  });

  it('SEC-4: a portal cookie planted by an attacker (their own session, their own request) is replaced, not promoted, when the requester enters their code', async () => {
    const support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist, { firstName: 'Jun', lastName: 'Park' });
    const mine = await createRequestAs(support, client.id, {
      requester: { name: 'Jun Park', email: 'jun@example.test' },
    });
    const theirs = await createRequestAs(support, client.id, {
      requester: { name: 'Mallory Q', email: 'mallory@example.test' },
    });
    const confirm = async (requestId: string, cookie?: string) => {
      const token = await statusToken(t, requestId);
      const ip = randomIp();
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/portal/links/${token}/code`,
            remoteAddress: ip,
            payload: {},
          })
        ).statusCode,
      ).toBe(200);
      return t.app.inject({
        method: 'POST',
        url: `/api/portal/links/${token}/confirm`,
        remoteAddress: ip,
        cookies: cookie ? { rd_portal: cookie } : {},
        payload: { code: await emailedCode(t, requestId) },
      });
    };
    const attackers = await confirm(theirs.id);
    const planted = attackers.cookies.find((c) => c.name === 'rd_portal')!.value;
    const victims = await confirm(mine.id, planted);
    expect(victims.statusCode).toBe(200);
    const own = victims.cookies.find((c) => c.name === 'rd_portal')!.value;
    expect(own).not.toBe(planted);
    const view = (cookie: string, number: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/portal/requests/${number}`,
        remoteAddress: randomIp(),
        cookies: { rd_portal: cookie },
      });
    expect((await view(own, mine.number)).statusCode).toBe(200);
    expect((await view(planted, mine.number)).statusCode).toBe(404);
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/portal/session',
      cookies: { rd_portal: planted },
    });
    expect(session.json().requestNumber).toBe(theirs.number);
  });
});

describe('expired sign-ins (SEC-4)', () => {
  it('SEC-4: a pending sign-in (password passed, second factor not yet) ends after 10 minutes: the right code is refused then', async () => {
    const user = await createUser(t, practice, ['support']);
    const pw = await login(user);
    const pending = sessionCookie(pw)!;
    t.clock.advance(10 * 60_000 + 1000);
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      remoteAddress: randomIp(),
      cookies: { rd_session: pending },
      headers: { 'x-csrf-token': pw.json().csrfToken },
      payload: { code: totpCode(user.totpSecret!, t.clock.now().getTime()) },
    });
    expect(late.statusCode).toBe(401);
    expect((await sessionRow(pending))?.revoked_at).not.toBeNull();
  });
});

describe('logout everywhere (SEC-4)', () => {
  const NEW_PASSWORD = 'a brand new passphrase 42';

  it('SEC-4: changing one’s own password ends every other session of the account at once; this browser goes on under a new token', async () => {
    const user = await createUser(t, practice, ['therapist']);
    const laptop = await signIn(t, user);
    const phone = await signIn(t, user);
    const tablet = await signIn(t, user);
    const res = await laptop.post('/api/auth/password', {
      currentPassword: user.password,
      newPassword: NEW_PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sessionsEnded).toBe(2);
    const fresh = sessionCookie(res)!;
    expect(fresh).not.toBe(laptop.cookie);
    expect(res.json().csrfToken).not.toBe(laptop.csrfToken);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
    expect((await tablet.get('/api/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/me')).statusCode).toBe(401); // the old token too
    const now = agentFor(t, user, { cookie: fresh, csrfToken: res.json().csrfToken });
    expect((await now.get('/api/me')).statusCode).toBe(200);
    expect((await now.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await login(user)).statusCode).toBe(401);
    expect((await login(user, { password: NEW_PASSWORD })).json()).toMatchObject({ mfaRequired: true });
    const changed = (await auditRows(t, 'user.updated')).filter((a) => a.data.userId === user.id);
    expect(changed.at(-1)).toMatchObject({
      actorId: user.id,
      data: { fields: ['password'], via: 'self', sessionsEnded: 2 },
    });
    const text = await auditText(t);
    expect(text).not.toContain(NEW_PASSWORD);
    expect(text).not.toContain(user.password);
  });

  it('SEC-1, SEC-3: a wrong current password changes nothing, is audited and counts towards the lockout; the fifth locks the account and ends that session', async () => {
    const user = await createUser(t, practice, ['support']);
    const stolen = await signIn(t, user);
    const same = await stolen.post('/api/auth/password', {
      currentPassword: user.password,
      newPassword: user.password,
    });
    expect(same.statusCode).toBe(400);
    const short = await stolen.post('/api/auth/password', {
      currentPassword: user.password,
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(400);
    const noCsrf = await stolen.post(
      '/api/auth/password',
      { currentPassword: user.password, newPassword: NEW_PASSWORD },
      { csrf: null },
    );
    expect(noCsrf.statusCode).toBe(403);
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000); // failures count from after the last sign-in (lockout.ts)
      const res = await stolen.post('/api/auth/password', {
        currentPassword: `guess ${i}`,
        newPassword: NEW_PASSWORD,
      });
      answers.push(res.statusCode);
    }
    expect(answers).toEqual([401, 401, 401, 401, 429]);
    const failed = (await auditRows(t, 'auth.login_failed')).filter((a) => a.data.userId === user.id);
    expect(failed.map((a) => `${a.data.reason}/${a.data.via}`)).toEqual(
      Array(5).fill('bad_password/password_change'),
    );
    expect((await auditRows(t, 'auth.locked_out')).some((a) => a.data.userId === user.id)).toBe(true);
    expect((await stolen.get('/api/me')).statusCode).toBe(401);
    // Nothing changed: the old password is still the one (once the lock is over), the new one is not.
    t.clock.advance(16 * 60_000);
    expect((await login(user, { password: NEW_PASSWORD })).statusCode).toBe(401);
    expect((await login(user)).json()).toMatchObject({ mfaRequired: true });
  });

  it('SEC-4: a password set through an administrator’s sign-in link ends every session of the account', async () => {
    const user = await createUser(t, practice, ['clinical_services']);
    const laptop = await signIn(t, user);
    const phone = await signIn(t, user);
    const link = await (await asAdmin()).post(`/api/users/${user.id}/sign-in-link`);
    expect(link.statusCode, link.body).toBe(200);
    const token = new URL(link.json().signInLink.url).searchParams.get('token')!;
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/auth/token-login',
      remoteAddress: randomIp(),
      payload: { token, password: NEW_PASSWORD },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ mfaRequired: true });
    expect((await laptop.get('/api/me')).statusCode).toBe(401);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
    const changed = (await auditRows(t, 'user.updated')).filter((a) => a.data.userId === user.id);
    expect(changed.at(-1)?.data).toMatchObject({
      fields: ['password'],
      via: 'sign_in_link',
      sessionsEnded: 2,
    });
    // The second factor still guards the new password; then the new session works.
    const mfa = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      remoteAddress: randomIp(),
      cookies: { rd_session: sessionCookie(reset)! },
      headers: { 'x-csrf-token': reset.json().csrfToken },
      payload: { code: unusedCode(user) },
    });
    expect(mfa.statusCode, mfa.body).toBe(200);
    expect((await me(sessionCookie(mfa)!)).statusCode).toBe(200);
  });

  it('SEC-4: deactivation ends a sign-in half-way through its second factor too, not only full sessions', async () => {
    const user = await createUser(t, practice, ['therapist']);
    const full = await signIn(t, user);
    const pw = await login(user);
    const res = await (await asAdmin()).post(`/api/users/${user.id}/deactivate`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().sessionsEnded).toBe(2);
    const finish = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa',
      remoteAddress: randomIp(),
      cookies: { rd_session: sessionCookie(pw)! },
      headers: { 'x-csrf-token': pw.json().csrfToken },
      payload: { code: unusedCode(user) },
    });
    expect(finish.statusCode).toBe(401);
    expect((await full.get('/api/me')).statusCode).toBe(401);
    expect((await sessionRow(sessionCookie(pw)!))?.revoked_at).not.toBeNull();
  });
});
