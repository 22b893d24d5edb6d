// Signing in (rule SEC-1): the three login paths, wrong credentials, lockout and rate limits, and
// what the audit log keeps of it (SEC-3, SEC-5).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import {
  createPractice,
  createUser,
  TEST_PASSWORD,
  type TestPractice,
  totpCode,
} from '../support/factories.js';
import { agentFor, auditRows, auditText, randomIp, sessionCookie, signIn } from '../support/session.js';

let t: TestApp;
let practice: TestPractice;
const secrets: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  practice = await createPractice(t);
});
afterAll(async () => {
  await t?.close();
});

function login(email: string, password: string, ip = randomIp()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { email, password },
  });
}

describe('the three ways through POST /api/auth/login', () => {
  it('SEC-1: a staff member must pass the second factor, and the session token rotates', async () => {
    const user = await createUser(t, practice, ['therapist']);
    const ip = randomIp();
    const res = await login(user.email, user.password, ip);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({ mfaRequired: true, csrfToken: expect.any(String) });
    const cookie = res.cookies.find((c) => c.name === 'rd_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();

    const pending = agentFor(t, user, { cookie: cookie.value, csrfToken: body.csrfToken, ip });
    expect((await pending.get('/api/me')).statusCode).toBe(401);

    const code = totpCode(user.totpSecret!, t.clock.now().getTime());
    secrets.push(code, cookie.value, body.csrfToken);
    const mfa = await pending.post('/api/auth/mfa', { code });
    expect(mfa.statusCode).toBe(200);
    const rotated = sessionCookie(mfa)!;
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(cookie.value);
    expect(mfa.json().csrfToken).not.toBe(body.csrfToken);

    // The token seen before the second factor is worthless now.
    expect((await pending.get('/api/me')).statusCode).toBe(401);
    const full = agentFor(t, user, { cookie: rotated, csrfToken: mfa.json().csrfToken, ip });
    const me = await full.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      user: {
        id: user.id,
        name: user.name,
        email: user.email,
        roles: ['therapist'],
        practiceId: practice.id,
      },
      practice: { id: practice.id, name: practice.name, timeZone: practice.timeZone, state: 'WA' },
      abilities: [],
    });
    // Only the SHA-256 of the token is stored.
    const stored = await t.running.services.database.pool.query(
      'select token_hash from sessions where token_hash in ($1, $2)',
      [rotated, createHash('sha256').update(rotated).digest('hex')],
    );
    expect(stored.rows).toEqual([{ token_hash: createHash('sha256').update(rotated).digest('hex') }]);
    const types = (await auditRows(t)).filter((r) => r.actorId === user.id).map((r) => r.type);
    expect(types).toEqual(['auth.login_succeeded', 'auth.mfa_succeeded']);
  });

  it('SEC-1: only a demo account may skip the second factor', async () => {
    const demo = await createUser(t, practice, ['support'], { isDemo: true, enrolled: false });
    const res = await login(demo.email, demo.password);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ csrfToken: expect.any(String) });
    const agent = agentFor(t, demo, { cookie: sessionCookie(res)!, csrfToken: res.json().csrfToken });
    const me = await agent.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().abilities).toEqual(['create_request', 'view_all_requests']);
  });

  it('SEC-1: a new staff member enrols an authenticator at first sign-in and gets ten one-time recovery codes', async () => {
    const user = await createUser(t, practice, ['supervisor'], { enrolled: false });
    const res = await login(user.email, user.password);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toEqual({
      mfaEnrollmentRequired: true,
      otpauthUrl: expect.any(String),
      csrfToken: expect.any(String),
    });
    const url = new URL(body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(decodeURIComponent(url.pathname)).toContain(user.email);
    const secret = url.searchParams.get('secret')!;

    // The offered secret is stored sealed on the session, never in clear.
    const { rows } = await t.running.services.database.pool.query<{ enc: Buffer }>(
      "select pending_mfa_secret_enc as enc from sessions where user_id = $1 and stage = 'enroll'",
      [user.id],
    );
    expect(rows[0]!.enc.length).toBeGreaterThan(20);
    expect(rows[0]!.enc.toString('latin1')).not.toContain(secret);

    const agent = agentFor(t, user, { cookie: sessionCookie(res)!, csrfToken: body.csrfToken });
    const wrong = await agent.post('/api/auth/mfa/enroll', {
      code: '000000' === totpCode(secret, t.clock.now().getTime()) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    const done = await agent.post('/api/auth/mfa/enroll', {
      code: totpCode(secret, t.clock.now().getTime()),
    });
    expect(done.statusCode).toBe(200);
    const { recoveryCodes, csrfToken } = done.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    secrets.push(secret, ...recoveryCodes);
    const full = agentFor(t, user, { cookie: sessionCookie(done)!, csrfToken });
    expect((await full.get('/api/me')).statusCode).toBe(200);

    const stored = await t.running.services.database.pool.query<{ code_hash: string }>(
      'select code_hash from recovery_codes where user_id = $1',
      [user.id],
    );
    expect(stored.rows).toHaveLength(10);
    for (const r of stored.rows) expect(r.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);

    // From now on the account passes the second factor instead.
    const again = await login(user.email, user.password);
    expect(again.json()).toEqual({ mfaRequired: true, csrfToken: expect.any(String) });
    expect((await auditRows(t, 'auth.mfa_enrolled')).map((r) => r.actorId)).toContain(user.id);
  });
});

describe('wrong credentials', () => {
  it('SEC-1, SEC-3: a wrong password is a 401 and one auth.login_failed row, without the password', async () => {
    const user = await createUser(t, practice, ['support']);
    const before = (await auditRows(t, 'auth.login_failed')).length;
    const res = await login(user.email, 'not the password at all');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      error: 'unauthorized',
      message: 'The email or password is not right.',
    });
    expect(sessionCookie(res)).toBeNull();
    const failed = await auditRows(t, 'auth.login_failed');
    expect(failed).toHaveLength(before + 1);
    expect(failed.at(-1)).toMatchObject({
      practiceId: practice.id,
      data: { reason: 'bad_password', userId: user.id, email: user.email },
    });
    expect(JSON.stringify(failed.at(-1))).not.toContain('not the password at all');
  });

  it('SEC-3: an unknown email gets the same answer and is audited with no practice', async () => {
    const started = Date.now();
    const res = await login('nobody@nowhere.test', 'guess-guess-guess');
    expect(Date.now() - started).toBeGreaterThan(5); // a real argon2 verification was spent
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('The email or password is not right.');
    const row = (await auditRows(t, 'auth.login_failed')).at(-1)!;
    expect(row).toMatchObject({
      practiceId: null,
      data: { reason: 'unknown_email', email: 'nobody@nowhere.test' },
    });
    // A password typed into the email field is not kept.
    await login('my-secret-password-typed-here', 'x');
    expect((await auditRows(t, 'auth.login_failed')).at(-1)!.data).toEqual({
      reason: 'unknown_email',
      email: null,
    });
  });

  it('an inactive account cannot sign in, even with the right password', async () => {
    const gone = await createUser(t, practice, ['therapist'], { active: false });
    const res = await login(gone.email, gone.password);
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('The email or password is not right.');
    expect((await auditRows(t, 'auth.login_failed')).at(-1)!.data).toMatchObject({
      reason: 'inactive',
      userId: gone.id,
    });
  });
});

describe('too many tries', () => {
  it('five failures within 15 minutes lock the account for 15 minutes: 429 with Retry-After', async () => {
    const user = await createUser(t, practice, ['therapist']);
    for (let i = 0; i < 4; i += 1) {
      expect((await login(user.email, `wrong-${i}`)).statusCode).toBe(401);
      t.clock.advance(60_000);
    }
    const fifth = await login(user.email, 'wrong-4');
    expect(fifth.statusCode).toBe(429);
    expect(Number(fifth.headers['retry-after'])).toBe(900);
    // Even the right password waits now.
    t.clock.advance(5 * 60_000);
    const right = await login(user.email, user.password);
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBe(600);
    expect(right.json().message).toMatch(/locked.*10 minutes/);
    const locked = (await auditRows(t, 'auth.locked_out')).at(-1)!;
    expect(locked).toMatchObject({ practiceId: practice.id, data: { userId: user.id, failures: 5 } });

    t.clock.advance(10 * 60_000 + 1000);
    const after = await login(user.email, user.password);
    expect(after.statusCode).toBe(200);
    expect(after.json().mfaRequired).toBe(true);
  });

  it('failures spread over more than 15 minutes do not lock the account', async () => {
    const user = await createUser(t, practice, ['therapist']);
    for (let i = 0; i < 8; i += 1) {
      expect((await login(user.email, `wrong-${i}`)).statusCode).toBe(401);
      t.clock.advance(4 * 60_000);
    }
    expect((await login(user.email, user.password)).statusCode).toBe(200);
  });

  it('one address may try at most 30 sign-ins a minute (429 with Retry-After), whatever the account', async () => {
    const ip = randomIp();
    for (let i = 0; i < 30; i += 1) {
      expect((await login(`someone-${i}@nowhere.test`, 'x', ip)).statusCode).toBe(401);
    }
    const limited = await login('someone@nowhere.test', 'x', ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: 'too_many_requests' });
    // Another address is not affected.
    expect((await login('someone@nowhere.test', 'x')).statusCode).toBe(401);
  });
});

describe('cookies behind a TLS proxy', () => {
  it('SEC-4: the session cookie is Secure when TRUST_PROXY is set and the request came over https', async () => {
    const proxied = await createTestApp({ trustProxy: true });
    try {
      const p = await createPractice(proxied);
      const user = await createUser(proxied, p, ['support'], { isDemo: true, enrolled: false });
      const send = (proto: string) =>
        proxied.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          headers: { 'x-forwarded-proto': proto, 'x-forwarded-for': randomIp() },
          payload: { email: user.email, password: user.password },
        });
      const https = await send('https');
      expect(https.cookies.find((c) => c.name === 'rd_session')?.secure).toBe(true);
      const http = await send('http');
      expect(http.cookies.find((c) => c.name === 'rd_session')?.secure).toBeFalsy();
    } finally {
      await proxied.close();
    }
  });
});

describe('bad input never reaches a 500', () => {
  it.each([
    ['malformed JSON', '{"email": "a@b.test", "password": ', 'application/json'],
    ['a number for the email', JSON.stringify({ email: 42, password: 'x' }), 'application/json'],
    ['a missing password', JSON.stringify({ email: 'a@b.test' }), 'application/json'],
    [
      'an oversize email',
      JSON.stringify({ email: `${'a'.repeat(300)}@b.test`, password: 'x' }),
      'application/json',
    ],
    [
      'an oversize password',
      JSON.stringify({ email: 'a@b.test', password: 'p'.repeat(5000) }),
      'application/json',
    ],
    ['a NUL in the email', JSON.stringify({ email: 'a\u0000@b.test', password: 'x' }), 'application/json'],
    ['an array body', '[]', 'application/json'],
  ])('login with %s is a 400 naming the problem', async (_what, payload, type) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: randomIp(),
      headers: { 'content-type': type },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request' });
  });

  it('odd Unicode in the email is just a wrong credential', async () => {
    const res = await login('\u202e\ud83d\ude00\u0301@例え.テスト', 'x');
    expect(res.statusCode).toBe(401);
  });

  it('SEC-5: no password, code, recovery code or token ever appears in an audit row', async () => {
    const agent = await signIn(t, await createUser(t, practice, ['admin'], { enrolled: false }));
    secrets.push(agent.cookie, agent.csrfToken, ...(agent.recoveryCodes ?? []));
    const text = await auditText(t);
    expect(text.length).toBeGreaterThan(100);
    for (const secret of [
      TEST_PASSWORD,
      'not the password at all',
      'my-secret-password-typed-here',
      ...secrets,
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
