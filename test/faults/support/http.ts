// Talking to a spawned app over real HTTP (fetch): a signed-in staff agent with its cookie and CSRF
// token, whose calls never throw: a refused connection or a reset answers `status: 0` with the
// reason, so a load generator can count it and go on while the app is down.
import { randomBytes } from 'node:crypto';
import { type TestUser, totpCode } from '../../support/factories.js';

export interface HttpResult {
  /** 0 when no answer came (connection refused or reset). */
  status: number;
  body: unknown;
  headers: Headers | null;
  error?: string;
}

export interface HttpAgent {
  user: TestUser;
  baseUrl: string;
  request(method: string, path: string, body?: unknown): Promise<HttpResult>;
  get(path: string): Promise<HttpResult>;
  post(path: string, body?: unknown): Promise<HttpResult>;
  /** POST /api/requests/:id/files with one file (multipart built by hand). */
  upload(
    requestId: string,
    file: { filename: string; data: Buffer },
    fields?: Record<string, string>,
  ): Promise<HttpResult>;
  /** GET raw bytes (downloads). */
  bytes(path: string): Promise<{ status: number; data: Buffer | null }>;
}

export async function send(
  baseUrl: string,
  method: string,
  path: string,
  init: { body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<HttpResult & { setCookie: string[] }> {
  try {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body, headers: res.headers, setCookie: res.headers.getSetCookie() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 0,
      body: null,
      headers: null,
      setCookie: [],
      error: cause?.code ?? cause?.message ?? (err as Error).message,
    };
  }
}

function cookieOf(setCookie: string[]): string | null {
  for (const c of setCookie) {
    const m = /^rd_session=([^;]*)/.exec(c);
    if (m) return m[1]!;
  }
  return null;
}

const usedSteps = new Map<string, number>();

/** A TOTP code not used before for this user (SEC-1: each code is good once): this step's or the next. */
function freshCode(user: TestUser): string {
  const step = Math.floor(Date.now() / 30_000);
  const target = Math.max(step, (usedSteps.get(user.id) ?? -1) + 1);
  if (target > step + 1) throw new Error('freshCode: two sign-ins of one user within 30 s already');
  usedSteps.set(user.id, target);
  return totpCode(user.totpSecret!, target * 30_000);
}

/** Password then second factor, over HTTP. Sessions live in the database, so they outlive a restart. */
export async function signInHttp(baseUrl: string, user: TestUser): Promise<HttpAgent> {
  const json = { 'content-type': 'application/json' };
  const login = await send(baseUrl, 'POST', '/api/auth/login', {
    headers: json,
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  let cookie = cookieOf(login.setCookie)!;
  let csrf = (login.body as { csrfToken: string }).csrfToken;
  if ((login.body as { mfaRequired?: boolean }).mfaRequired) {
    const mfa = await send(baseUrl, 'POST', '/api/auth/mfa', {
      headers: { ...json, cookie: `rd_session=${cookie}`, 'x-csrf-token': csrf },
      body: JSON.stringify({ code: freshCode(user) }),
    });
    if (mfa.status !== 200) throw new Error(`mfa answered ${mfa.status}: ${JSON.stringify(mfa.body)}`);
    cookie = cookieOf(mfa.setCookie)!;
    csrf = (mfa.body as { csrfToken: string }).csrfToken;
  }
  const auth = () => ({ cookie: `rd_session=${cookie}`, 'x-csrf-token': csrf });
  const agent: HttpAgent = {
    user,
    baseUrl,
    request: (method, path, body) =>
      send(baseUrl, method, path, {
        headers: { ...auth(), ...(body === undefined ? {} : json) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    get: (path) => agent.request('GET', path),
    post: (path, body) => agent.request('POST', path, body ?? {}),
    upload(requestId, file, fields = { purpose: 'record', documentClass: 'progress_notes' }) {
      const { payload, contentType } = multipart(fields, file);
      return send(baseUrl, 'POST', `/api/requests/${requestId}/files`, {
        headers: { ...auth(), 'content-type': contentType },
        body: payload,
      });
    },
    async bytes(path) {
      try {
        const res = await fetch(`${baseUrl}${path}`, { headers: auth() });
        return { status: res.status, data: res.ok ? Buffer.from(await res.arrayBuffer()) : null };
      } catch {
        return { status: 0, data: null };
      }
    },
  };
  return agent;
}

function multipart(
  fields: Record<string, string>,
  file: { filename: string; data: Buffer },
): { payload: Buffer; contentType: string } {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
