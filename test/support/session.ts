// Acting as a staff member in integration tests: `const therapist = await signIn(t, user)` passes
// the password and the second factor (or enrols one) through the real API, then
// `therapist.get('/api/me')`, `therapist.post(url, body)`… send the session cookie and, on writes,
// the CSRF token, and return the app.inject response.
import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.js';
import { type TestUser, totpCode } from './factories.js';

export type Response = LightMyRequestResponse;
type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Send this CSRF token instead of the session's (or none with `null`). */
  csrf?: string | null;
}

export interface Agent {
  user: TestUser;
  /** The value of the rd_session cookie. */
  cookie: string;
  csrfToken: string;
  /** The client address this agent's requests come from (each agent has its own). */
  ip: string;
  /** Set when signIn had to enrol the second factor. */
  recoveryCodes: string[] | null;
  get(url: string, opts?: RequestOptions): Promise<Response>;
  post(url: string, body?: unknown, opts?: RequestOptions): Promise<Response>;
  patch(url: string, body?: unknown, opts?: RequestOptions): Promise<Response>;
  put(url: string, body?: unknown, opts?: RequestOptions): Promise<Response>;
  delete(url: string, body?: unknown, opts?: RequestOptions): Promise<Response>;
  request(method: Method, url: string, body?: unknown, opts?: RequestOptions): Promise<Response>;
}

/** A client address of its own, so per-IP rate limits never couple two tests. */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** The rd_session value a response sets ('' when it clears it), or null when it sets none. */
export function sessionCookie(res: Response): string | null {
  const cookie = res.cookies.find((c) => c.name === 'rd_session');
  return cookie ? cookie.value : null;
}

/** An agent from a cookie and CSRF token you already hold (e.g. mid-way through a sign-in). */
export function agentFor(
  t: TestApp,
  user: TestUser,
  session: { cookie: string; csrfToken: string; ip?: string },
): Agent {
  const ip = session.ip ?? randomIp();
  const agent: Agent = {
    user,
    cookie: session.cookie,
    csrfToken: session.csrfToken,
    ip,
    recoveryCodes: null,
    request: (method, url, body, opts = {}) => {
      const csrf = opts.csrf === undefined ? agent.csrfToken : opts.csrf;
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (method !== 'GET' && csrf !== null) headers['x-csrf-token'] = csrf;
      return t.app.inject({
        method,
        url,
        remoteAddress: agent.ip,
        cookies: { rd_session: agent.cookie },
        headers,
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    },
    get: (url, opts) => agent.request('GET', url, undefined, opts),
    post: (url, body, opts) => agent.request('POST', url, body ?? {}, opts),
    patch: (url, body, opts) => agent.request('PATCH', url, body ?? {}, opts),
    put: (url, body, opts) => agent.request('PUT', url, body ?? {}, opts),
    delete: (url, body, opts) => agent.request('DELETE', url, body, opts),
  };
  return agent;
}

function fail(step: string, res: Response): never {
  throw new Error(`signIn: ${step} answered ${res.statusCode}: ${res.body}`);
}

const PERIOD_MS = 30_000;
const lastStepUsed = new Map<string, number>();

/**
 * A TOTP code the server has not seen yet (rule SEC-1: each code is good once). The test clock
 * stands still, so a second sign-in in the same 30 s step uses the next step's code (accepted for
 * clock drift), and moves the clock on when even that was used.
 */
export function freshCode(t: TestApp, user: TestUser, secret: string): string {
  const step = Math.floor(t.clock.now().getTime() / PERIOD_MS);
  const last = lastStepUsed.get(user.id) ?? Number.NEGATIVE_INFINITY;
  let target = step;
  if (step <= last) {
    target = last + 1;
    if (target > step + 1) t.clock.advance((target - step - 1) * PERIOD_MS);
  }
  lastStepUsed.set(user.id, target);
  return totpCode(secret, target * PERIOD_MS);
}

/**
 * Sign a user in through the API: password, then their TOTP code (factories' `enrolled` users), or
 * enrolment of a new authenticator (non-enrolled users: their `totpSecret` is filled in and the
 * recovery codes kept on the agent). Demo users without a second factor stop after the password.
 */
export async function signIn(t: TestApp, user: TestUser, opts: { ip?: string } = {}): Promise<Agent> {
  const ip = opts.ip ?? randomIp();
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { email: user.email, password: user.password },
  });
  if (login.statusCode !== 200) fail('POST /api/auth/login', login);
  const body = login.json() as {
    csrfToken: string;
    mfaRequired?: boolean;
    mfaEnrollmentRequired?: boolean;
    otpauthUrl?: string;
  };
  const agent = agentFor(t, user, {
    cookie: sessionCookie(login) ?? fail('login cookie', login),
    csrfToken: body.csrfToken,
    ip,
  });
  if (body.mfaRequired) {
    if (!user.totpSecret)
      throw new Error(`signIn: ${user.email} must pass a second factor but has no totpSecret`);
    const res = await agent.post('/api/auth/mfa', {
      code: freshCode(t, user, user.totpSecret),
    });
    if (res.statusCode !== 200) fail('POST /api/auth/mfa', res);
    agent.cookie = sessionCookie(res) ?? fail('mfa cookie', res);
    agent.csrfToken = (res.json() as { csrfToken: string }).csrfToken;
  } else if (body.mfaEnrollmentRequired) {
    const secret = new URL(body.otpauthUrl ?? '').searchParams.get('secret') ?? '';
    const res = await agent.post('/api/auth/mfa/enroll', { code: freshCode(t, user, secret) });
    if (res.statusCode !== 200) fail('POST /api/auth/mfa/enroll', res);
    const done = res.json() as { csrfToken: string; recoveryCodes: string[] };
    agent.cookie = sessionCookie(res) ?? fail('enrol cookie', res);
    agent.csrfToken = done.csrfToken;
    agent.recoveryCodes = done.recoveryCodes;
    user.totpSecret = secret;
  }
  return agent;
}

// Reading the audit log in tests (what a sign-in or an admin action left behind).
export interface AuditRow {
  id: number;
  practiceId: string | null;
  type: string;
  actorId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
}

export async function auditRows(t: TestApp, type?: string): Promise<AuditRow[]> {
  const { rows } = await t.running.services.database.pool.query<AuditRow>(
    `select id::int as id, practice_id as "practiceId", type, actor_id as "actorId", ip, data
       from audit_events where ($1::text is null or type = $1) order by id`,
    [type ?? null],
  );
  return rows;
}

/** Every audit row as text, to prove that no secret reached the log (SEC-5). */
export async function auditText(t: TestApp): Promise<string> {
  const { rows } = await t.running.services.database.pool.query<{ all: string | null }>(
    `select string_agg(concat_ws('|', type, actor_name, actor_role, ip, user_agent, data::text), E'\\n') as all
       from audit_events`,
  );
  return rows[0]?.all ?? '';
}
