// rule SEC-1: a TOTP code is good once. Someone who watched a code being typed cannot reuse it
// inside its 30-second window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPractice, createUser, totpCode } from '../support/factories.js';
import { agentFor, sessionCookie } from '../support/session.js';

describe('second factor replay', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function passwordStep(email: string, password: string) {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(res.json()).toMatchObject({ mfaRequired: true });
    return { cookie: sessionCookie(res)!, csrfToken: res.json().csrfToken as string };
  }

  it('SEC-1: the same TOTP code is refused the second time, even within its window', async () => {
    const practice = await createPractice(t);
    const user = await createUser(t, practice, ['therapist']);
    const code = totpCode(user.totpSecret!, t.clock.now().getTime());

    const first = agentFor(t, user, await passwordStep(user.email, user.password));
    expect((await first.post('/api/auth/mfa', { code })).statusCode).toBe(200);

    const second = agentFor(t, user, await passwordStep(user.email, user.password));
    const replay = await second.post('/api/auth/mfa', { code });
    expect(replay.statusCode).toBe(401);

    // The next time step's code works.
    t.clock.advance(30_000);
    const third = agentFor(t, user, await passwordStep(user.email, user.password));
    const next = await third.post('/api/auth/mfa', {
      code: totpCode(user.totpSecret!, t.clock.now().getTime()),
    });
    expect(next.statusCode).toBe(200);
  });
});
