// The data the details route is measured on: a practice, a support user, a therapist and their
// supervisor, a client, and one request driven through intake, client discussion and supervisor
// review over the real HTTP API (second factor included), with its thread jobs drained.
import { randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { hashPassword } from '../src/server/auth/passwords.js';
import { newTotpSecret, sealUserSecret } from '../src/server/auth/totp.js';
import type { Services } from '../src/server/context.js';
import { clients, practices, supervisionLinks, users } from '../src/server/db/schema.js';
import { JOB_HANDLERS } from '../src/server/handlers.js';
import { drainJobs } from '../src/server/jobs/worker.js';
import type { Role } from '../src/shared/roles.js';

const PASSWORD = 'bench password, not a secret';

export interface Staff {
  id: string;
  email: string;
  totpSecret: string;
}

/** A signed-in staff member talking to the app over HTTP. */
export interface Session {
  cookie: string;
  csrfToken: string;
}

export interface Seeded {
  practiceId: string;
  requestId: string;
  /** The support user's session: the one the details route is measured with. */
  support: Session;
  /** The support user, to sign in again (a session ends after 15 minutes without activity). */
  supportStaff: Staff;
  tasks: number;
  threadMessages: number;
  historyEvents: number;
}

interface Details {
  id: string;
  stage: string;
  tasks: unknown[];
  thread: unknown[];
  history: unknown[];
}

/** A staff member with the bench password and an enrolled second factor (pass a hash to reuse one). */
export async function createStaff(
  services: Services,
  practiceId: string,
  roles: Role[],
  name: string,
  passwordHash?: string,
) {
  const id = randomUUID();
  const totpSecret = newTotpSecret();
  const email = `${roles[0]}-${id.slice(0, 8)}@bench.test`;
  await services.database.db.insert(users).values({
    id,
    practiceId,
    email,
    name,
    roles,
    passwordHash: passwordHash ?? (await hashPassword(PASSWORD)),
    mfaSecretEnc: sealUserSecret(services.config.masterKey, id, totpSecret),
    mfaEnrolledAt: new Date(),
  });
  return { id, email, totpSecret } satisfies Staff;
}

const PERIOD_S = 30;
/** The TOTP step each staff member last signed in with: a code is good once (the server refuses a replay). */
const lastStep = new Map<string, number>();

/** The code of a step not used yet by this staff member (waiting for the next step if need be). */
async function freshTotpCode(staff: Staff): Promise<string> {
  const used = lastStep.get(staff.id) ?? -1;
  const step = () => Math.floor(Date.now() / 1000 / PERIOD_S);
  if (step() <= used)
    await new Promise((r) => setTimeout(r, ((used + 1) * PERIOD_S + 0.5) * 1000 - Date.now()));
  lastStep.set(staff.id, step());
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(staff.totpSecret),
    digits: 6,
    period: PERIOD_S,
  }).generate();
}

function cookieOf(res: Response): string {
  for (const c of res.headers.getSetCookie()) {
    const m = /^rd_session=([^;]*)/.exec(c);
    if (m?.[1]) return m[1];
  }
  throw new Error(`no rd_session cookie in the answer to ${res.url}`);
}

async function call<T>(
  base: string,
  method: string,
  url: string,
  session: Session | null,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  const headers: Record<string, string> = { ...extra };
  if (session) headers.cookie = `rd_session=${session.cookie}`;
  if (session && method !== 'GET') headers['x-csrf-token'] = session.csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${url}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${await res.text()}`);
  return { res, json: (await res.json()) as T };
}

/** Password, then the TOTP code: a 'full' session like any staff member's. */
export async function signIn(
  base: string,
  staff: Staff,
  headers: Record<string, string> = {},
): Promise<Session> {
  const login = await call<{ csrfToken: string; mfaRequired?: boolean }>(
    base,
    'POST',
    '/api/auth/login',
    null,
    {
      email: staff.email,
      password: PASSWORD,
    },
    headers,
  );
  if (!login.json.mfaRequired) throw new Error(`expected a second-factor step for ${staff.email}`);
  const pending: Session = { cookie: cookieOf(login.res), csrfToken: login.json.csrfToken };
  const mfa = await call<{ csrfToken: string }>(
    base,
    'POST',
    '/api/auth/mfa',
    pending,
    { code: await freshTotpCode(staff) },
    headers,
  );
  return { cookie: cookieOf(mfa.res), csrfToken: mfa.json.csrfToken };
}

/** `count` staff of one role sharing one password hash (one argon2 hash, not `count`). */
export async function createStaffMany(
  services: Services,
  practiceId: string,
  role: Role,
  count: number,
): Promise<Staff[]> {
  const hash = await hashPassword(PASSWORD);
  const out: Staff[] = [];
  for (let i = 1; i <= count; i++)
    out.push(await createStaff(services, practiceId, [role], `${role} ${i}`, hash));
  return out;
}

export async function seed(services: Services, base: string, log: (m: string) => void): Promise<Seeded> {
  const { db } = services.database;
  const [practice] = await db
    .insert(practices)
    .values({ name: 'Bench Practice', state: 'CA', timeZone: 'America/Los_Angeles' })
    .returning();
  const practiceId = practice!.id;
  const support = await createStaff(services, practiceId, ['support'], 'Sam Support');
  const therapist = await createStaff(services, practiceId, ['therapist'], 'Dr. Rivera');
  const supervisor = await createStaff(services, practiceId, ['supervisor'], 'Dr. Chen');
  await db
    .insert(supervisionLinks)
    .values({ practiceId, superviseeId: therapist.id, supervisorId: supervisor.id });
  const [client] = await db
    .insert(clients)
    .values({
      practiceId,
      firstName: 'Maria',
      lastName: 'Lopez',
      dateOfBirth: '1990-04-12',
      therapistId: therapist.id,
      email: 'maria@example.test',
    })
    .returning();
  log('  practice, support, therapist, supervisor (linked) and client inserted');

  const as = {
    support: await signIn(base, support),
    therapist: await signIn(base, therapist),
    supervisor: await signIn(base, supervisor),
  };
  log('  three staff signed in over HTTP (password + TOTP)');

  const created = await call<Details>(base, 'POST', '/api/requests', as.support, {
    kind: 'client_access',
    clientId: client!.id,
    requester: { name: 'Maria Lopez', email: 'maria@example.test' },
    documentClasses: ['progress_notes', 'treatment_plans'],
    dateFrom: '2025-01-01',
    dateTo: '2026-06-30',
    purpose: 'Personal use',
    deliverable: 'copy',
    deliveryFormat: 'secure_download',
    receivedAt: new Date().toISOString(),
    channel: 'email',
  });
  const id = created.json.id;
  const drain = () => drainJobs(services, JOB_HANDLERS);
  let jobs = await drain();
  const step = async (path: string, who: Session, body: unknown) => {
    await call<Details>(base, 'POST', `/api/requests/${id}/${path}`, who, body);
    jobs += await drain();
  };
  await step('intake', as.support, {
    verification: { method: 'Called the client back at the number on file' },
  });
  await step('client-discussion', as.therapist, {
    outcome: 'go_ahead',
    need: 'A copy for a new therapist after a move',
    when: 'Before 1 December',
    concerns: 'None',
  });
  await step('messages', as.therapist, { thread: 'internal', body: 'Client is fine with a full copy.' });
  await step('supervisor-review', as.supervisor, {
    decision: 'release',
    redFlags: ['Custody dispute mentioned'],
    consequences: 'Low risk; the therapist will offer to go through the records with the client.',
  });
  const shown = await call<Details>(base, 'GET', `/api/requests/${id}`, as.support);
  const d = shown.json;
  log(
    `  request ${id}: stage ${d.stage}, ${d.tasks.length} tasks, ${d.thread.length} thread messages ` +
      `(${jobs} jobs drained), ${d.history.length} history events`,
  );
  if (d.tasks.length === 0 || d.thread.length === 0 || d.history.length === 0) {
    throw new Error('the seeded request lacks tasks, thread messages or audit history');
  }
  return {
    practiceId,
    requestId: id,
    support: as.support,
    supportStaff: support,
    tasks: d.tasks.length,
    threadMessages: d.thread.length,
    historyEvents: d.history.length,
  };
}
