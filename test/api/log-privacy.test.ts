// rule SEC-5: the application log (what `npm start` prints, often shipped to a log service) never
// holds a client's name from a search, a secure link's token, a password or a session cookie.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createPractice, createUser, type TestUser } from '../support/factories.js';

describe('what the application log may say', () => {
  let t: TestApp;
  let user: TestUser;
  const lines: string[] = [];
  let logged: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    t = await createTestApp({ logLevel: 'info' }); // what `npm start` logs by default
    user = await createUser(t, await createPractice(t), ['support']);
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    logged = await buildApp(t.running.services, { logger: true, logStream: stream });
  });
  afterAll(async () => {
    await logged?.close();
    await t?.close();
  });

  it('SEC-5: requests are logged by path only: no search term, no link token, no password, no cookie', async () => {
    const token = 'Zq3_secret-link-token-0123456789abcdefghijk';
    await logged.inject({
      method: 'GET',
      url: '/api/requests?q=Avery%20Jordan',
      cookies: { rd_session: 'sess-secret' },
    });
    await logged.inject({ method: 'GET', url: `/api/links/${token}` });
    await logged.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: 'Wrong-password-typed-here' },
    });
    const log = lines.join('');
    expect(log).toContain('/api/links/[token]');
    expect(log).toContain('/api/requests?[query omitted]');
    for (const secret of ['Avery', token, 'Wrong-password-typed-here', 'sess-secret']) {
      expect(log).not.toContain(secret);
    }
  });
});
