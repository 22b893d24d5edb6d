// The requester's side of the portal in tests: the status link from the email the requester got,
// the code from the email the portal sent, and an agent that keeps the rd_portal cookie and the CSRF
// token like the browser would. No staff session anywhere.
import { expect } from 'vitest';
import type { TestApp } from '../support/app.js';
import { newestOutboxEmail, outboxEmails } from '../support/outbox.js';
import { type Response, randomIp } from '../support/session.js';

export const sql = <R extends Record<string, unknown>>(t: TestApp, text: string, params: unknown[] = []) =>
  t.running.services.database.pool.query<R>(text, params).then((r) => r.rows);

export const TOKEN_IN_URL = /\/portal\/links\/([A-Za-z0-9_-]{43})/;

/** The status link of the newest email to the requester that carries one. */
export async function statusToken(t: TestApp, requestId: string): Promise<string> {
  const newestFirst = await outboxEmails(t, 'request_id = $1', [requestId], 'created_at desc, id desc');
  const withLink = newestFirst.find((e) => e.text.includes('/portal/links/'));
  const token = TOKEN_IN_URL.exec(withLink?.text ?? '')?.[1];
  expect(token, 'a status link in an email to the requester').toBeDefined();
  return token!;
}

/** The code in the newest code email of the request (what the requester reads in their inbox). */
export async function emailedCode(t: TestApp, requestId: string): Promise<string> {
  const email = await newestOutboxEmail(t, "request_id = $1 and kind = 'portal_code'", [requestId]);
  // The code stands on a line of its own: the practice's name above it may hold six digits.
  const code = /^(\d{6})$/m.exec(email?.text ?? '')?.[1];
  expect(code, 'a code email').toBeDefined();
  return code!;
}

export interface Requester {
  ip: string;
  cookie: string | null;
  csrf: string | null;
  language: 'en' | 'es';
  open(token: string): Promise<Response>;
  sendCode(token: string): Promise<Response>;
  confirm(token: string, code: string): Promise<Response>;
  get(url: string): Promise<Response>;
  post(url: string, body?: unknown, opts?: { csrf?: boolean }): Promise<Response>;
}

export function requester(t: TestApp, language: 'en' | 'es' = 'en'): Requester {
  const r: Requester = {
    ip: randomIp(),
    cookie: null,
    csrf: null,
    language,
    open: (token) =>
      t.app.inject({
        method: 'GET',
        url: `/api/portal/links/${token}`,
        remoteAddress: r.ip,
        headers: { 'accept-language': r.language },
      }),
    sendCode: (token) =>
      t.app.inject({
        method: 'POST',
        url: `/api/portal/links/${token}/code`,
        remoteAddress: r.ip,
        headers: { 'accept-language': r.language },
        payload: {},
      }),
    async confirm(token, code) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/portal/links/${token}/confirm`,
        remoteAddress: r.ip,
        headers: { 'accept-language': r.language },
        payload: { code },
      });
      const cookie = res.cookies.find((c) => c.name === 'rd_portal');
      if (res.statusCode === 200 && cookie) {
        r.cookie = cookie.value;
        r.csrf = res.json().csrfToken;
      }
      return res;
    },
    get: (url) =>
      t.app.inject({
        method: 'GET',
        url,
        remoteAddress: r.ip,
        headers: { 'accept-language': r.language },
        cookies: r.cookie ? { rd_portal: r.cookie } : {},
      }),
    post: (url, body = {}, opts = {}) =>
      t.app.inject({
        method: 'POST',
        url,
        remoteAddress: r.ip,
        headers: {
          'accept-language': r.language,
          ...(opts.csrf === false || !r.csrf ? {} : { 'x-csrf-token': r.csrf }),
        },
        cookies: r.cookie ? { rd_portal: r.cookie } : {},
        payload: body as Record<string, unknown>,
      }),
  };
  return r;
}

/** Open the emailed status link, ask for a code, enter it: a requester with a portal session. */
export async function signInToPortal(t: TestApp, requestId: string, language: 'en' | 'es' = 'en') {
  const token = await statusToken(t, requestId);
  const r = requester(t, language);
  expect((await r.open(token)).statusCode).toBe(200);
  const sent = await r.sendCode(token);
  expect(sent.statusCode, sent.body).toBe(200);
  const ok = await r.confirm(token, await emailedCode(t, requestId));
  expect(ok.statusCode, ok.body).toBe(200);
  return { r, token, session: ok.json() as { requestNumber: string; csrfToken: string; language: string } };
}
