// rule SEC-5: the application log never holds a status link's token, the emailed code or the portal
// session's cookie, whatever the requester's browser sends (paths with the token replaced, query
// strings dropped, cookies and CSRF headers redacted).
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { signIn } from '../support/session.js';
import { emailedCode, statusToken } from './support.js';

describe('the portal in the application log', () => {
  let t: TestApp;
  const lines: string[] = [];
  let logged: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    t = await createTestApp({ logLevel: 'info' }); // what `npm start` logs by default
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

  it('SEC-5: the status link’s token, the code and the portal cookie are never logged', async () => {
    const practice = await createPractice(t);
    const support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist);
    const r = await createRequestAs(support, client.id);
    const token = await statusToken(t, r.id);

    expect(
      (await logged.inject({ method: 'GET', url: `/api/portal/links/${token}?from=email` })).statusCode,
    ).toBe(200);
    expect((await logged.inject({ method: 'GET', url: `/portal/links/${token}` })).statusCode).toBeLessThan(
      600,
    );
    expect(
      (await logged.inject({ method: 'POST', url: `/api/portal/links/${token}/code`, payload: {} }))
        .statusCode,
    ).toBe(200);
    const code = await emailedCode(t, r.id);
    const confirmed = await logged.inject({
      method: 'POST',
      url: `/api/portal/links/${token}/confirm`,
      payload: { code },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const cookie = confirmed.cookies.find((c) => c.name === 'rd_portal')!.value;
    const csrf = confirmed.json().csrfToken as string;
    const posted = await logged.inject({
      method: 'POST',
      url: `/api/portal/requests/${r.number}/messages`,
      cookies: { rd_portal: cookie },
      headers: { 'x-csrf-token': csrf },
      payload: { body: 'A message with words only the requester knows' },
    });
    expect(posted.statusCode, posted.body).toBe(201);

    const log = lines.join('');
    expect(log).toContain('/api/portal/links/[token]');
    expect(log).toContain('/api/portal/links/[token]?[query omitted]');
    for (const secret of [token, cookie, csrf, 'words only the requester knows']) {
      expect(log).not.toContain(secret);
    }
    // The code as a number of its own (a timestamp may hold the same six digits inside it).
    expect(log).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
  });
});
