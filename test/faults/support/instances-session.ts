// A staff session held apart from any one server: signed in on one app process, then used against
// another (the several-instances test: sessions live in PostgreSQL, so a cookie from A works on B).
// Built on faults-db's `send` (http.ts), which never throws: no answer is `status: 0`.
import type { TestUser } from '../../support/factories.js';
import { totpCode } from '../../support/factories.js';
import { type HttpResult, send } from './http.js';

export interface StaffSession {
  user: TestUser;
  cookie: string;
  csrfToken: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function cookieOf(setCookie: string[]): string | null {
  for (const c of setCookie) {
    const m = /^rd_session=([^;]*)/.exec(c);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * Password and TOTP over HTTP on `baseUrl`. A code is good once (SEC-1): sign each user in once per
 * 30 s step (the tests use one user per session).
 */
export async function signInOn(baseUrl: string, user: TestUser): Promise<StaffSession> {
  const login = await send(baseUrl, 'POST', '/api/auth/login', {
    headers: JSON_TYPE,
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  const first = login.body as { csrfToken: string; mfaRequired?: boolean };
  let session: StaffSession = { user, cookie: cookieOf(login.setCookie) ?? '', csrfToken: first.csrfToken };
  if (first.mfaRequired) {
    const mfa = await send(baseUrl, 'POST', '/api/auth/mfa', {
      headers: { ...JSON_TYPE, ...authHeaders(session) },
      body: JSON.stringify({ code: totpCode(user.totpSecret!) }),
    });
    if (mfa.status !== 200) throw new Error(`mfa answered ${mfa.status}: ${JSON.stringify(mfa.body)}`);
    session = {
      user,
      cookie: cookieOf(mfa.setCookie) ?? '',
      csrfToken: (mfa.body as { csrfToken: string }).csrfToken,
    };
  }
  return session;
}

function authHeaders(s: StaffSession): Record<string, string> {
  return { cookie: `rd_session=${s.cookie}`, 'x-csrf-token': s.csrfToken };
}

/** A JSON call with the session's cookie and CSRF token, on whichever instance `baseUrl` names. */
export function call(
  baseUrl: string,
  s: StaffSession,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpResult> {
  return send(baseUrl, method, path, {
    headers: { ...authHeaders(s), ...(body === undefined ? {} : JSON_TYPE) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Raw bytes (a download) with the session's cookie. */
export async function download(
  baseUrl: string,
  s: StaffSession,
  path: string,
): Promise<{ status: number; data: Buffer | null }> {
  try {
    const res = await fetch(`${baseUrl}${path}`, { headers: authHeaders(s) });
    return { status: res.status, data: res.ok ? Buffer.from(await res.arrayBuffer()) : null };
  } catch {
    return { status: 0, data: null };
  }
}

/** A multipart upload of one PDF to POST /api/requests/:id/files. */
export function uploadPdf(
  baseUrl: string,
  s: StaffSession,
  requestId: string,
  file: { filename: string; data: Buffer },
): Promise<HttpResult> {
  const boundary = `----rdinstances${Date.now().toString(16)}`;
  const field = (name: string, value: string) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  const payload = Buffer.concat([
    field('purpose', 'record'),
    field('documentClass', 'progress_notes'),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return send(baseUrl, 'POST', `/api/requests/${requestId}/files`, {
    headers: { ...authHeaders(s), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: payload,
  });
}
