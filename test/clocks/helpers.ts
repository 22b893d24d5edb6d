// Shared steps of the clocks tests: a practice with a supervision chain A → S → D, signed-in
// agents (signed in again after the clock moves: sessions end after 15 idle minutes), the sweep,
// and reads of what it left behind.
import { eq } from 'drizzle-orm';
import { type SweepReport, sweepClocks } from '../../src/server/clocks/sweep.js';
import { practices } from '../../src/server/db/schema.js';
import type { TestApp } from '../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../support/factories.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';

export type Who = 'admin' | 'support' | 'A' | 'S' | 'D' | 'B' | 'C' | 'privacy';

export interface Clinic {
  practice: TestPractice;
  u: Record<Who, TestUser>;
  as: Record<Who, Agent>;
  clientA: string;
  clientB: string;
  signInAll(): Promise<void>;
  moveClockTo(iso: string): Promise<void>;
}

/**
 * A practice on Pacific time in a state without a state rule pack (Washington), so the federal
 * baseline's 30 days apply (TIME-2): therapist A → supervisor S → supervisor D; B has no supervisor.
 */
export async function clinic(t: TestApp, settings: Record<string, unknown> = {}): Promise<Clinic> {
  const practice = await createPractice(t, {
    state: 'WA',
    timeZone: 'America/Los_Angeles',
    privacyOfficerName: 'Pat Privacy',
    privacyOfficerPhone: '555-0100',
    settings,
  });
  const u = {
    admin: await createUser(t, practice, ['admin'], { name: 'Ada Admin' }),
    support: await createUser(t, practice, ['support'], { name: 'Sam Support' }),
    A: await createUser(t, practice, ['therapist'], { name: 'Dr. A' }),
    S: await createUser(t, practice, ['supervisor', 'therapist'], { name: 'Dr. S' }),
    D: await createUser(t, practice, ['supervisor'], { name: 'Dr. D' }),
    B: await createUser(t, practice, ['therapist'], { name: 'Dr. B' }),
    C: await createUser(t, practice, ['clinical_services'], { name: 'Cy Clinical' }),
    privacy: await createUser(t, practice, ['privacy_officer'], { name: 'Pat Privacy' }),
  } satisfies Record<Who, TestUser>;
  await linkSupervisor(t, u.A, u.S);
  await linkSupervisor(t, u.S, u.D);
  const clientA = (await createClient(t, practice, u.A)).id;
  const clientB = (await createClient(t, practice, u.B)).id;
  const c: Clinic = {
    practice,
    u,
    as: {} as Record<Who, Agent>,
    clientA,
    clientB,
    async signInAll() {
      for (const k of Object.keys(u) as Who[]) c.as[k] = await signIn(t, u[k]);
    },
    async moveClockTo(iso: string) {
      t.clock.set(iso);
      await c.signInAll();
    },
  };
  await c.signInAll();
  return c;
}

export async function setSettings(t: TestApp, practiceId: string, settings: Record<string, unknown>) {
  await t.running.services.database.db
    .update(practices)
    .set({ settings })
    .where(eq(practices.id, practiceId));
}

export interface Clocks {
  legal: {
    dueAt: string;
    daysLeft: number | null;
    overdue: boolean;
    extended: { from: string; fromDue: string; reason: string; at: string } | null;
  };
  step: { taskId: string; dueAt: string; paused: boolean; overdue: boolean } | null;
  neededBy: { date: string; missed: boolean; warning: string | null; daysLeft: number | null } | null;
  ladder: {
    rungs: { taskId: string; level: number; label: string; notified: string }[];
    reached: string | null;
  };
}

export interface Req {
  id: string;
  number: string;
  stage: string;
  clocks: Clocks;
  tasks: { id: string; type: string; state: string; dueAt: string; assignee: { id: string } | null }[];
  thread: { thread: string; kind: string; subject: string; body: string }[];
  history: { type: string; data: Record<string, unknown> }[];
}

export async function newRequest(
  c: Clinic,
  t: TestApp,
  clientId: string,
  overrides: Record<string, unknown> = {},
) {
  return (await createRequestAs(c.as.support, clientId, {
    receivedAt: t.clock.now().toISOString(),
    ...overrides,
  })) as unknown as Req;
}

export async function act(
  c: Clinic,
  who: Who,
  r: { id: string },
  path: string,
  body: unknown = {},
): Promise<Req> {
  const res = await c.as[who].post(`/api/requests/${r.id}/${path}`, body);
  if (res.statusCode !== 200) throw new Error(`${who} ${path}: ${res.statusCode} ${res.body}`);
  return res.json() as Req;
}

export async function show(c: Clinic, who: Who, r: { id: string }): Promise<Req> {
  const res = await c.as[who].get(`/api/requests/${r.id}`);
  if (res.statusCode !== 200) throw new Error(`GET request: ${res.statusCode} ${res.body}`);
  return res.json() as Req;
}

export const sweep = (t: TestApp): Promise<SweepReport> => sweepClocks(t.running.services);

export interface EscalationRecord {
  taskId: string;
  level: number;
  notifiedUserId: string | null;
  notifiedRole: string | null;
}

export async function escalations(t: TestApp, requestId: string): Promise<EscalationRecord[]> {
  const { rows } = await t.running.services.database.pool.query<EscalationRecord>(
    `select task_id as "taskId", level, notified_user_id as "notifiedUserId", notified_role as "notifiedRole"
       from task_escalations where request_id = $1 order by created_at, level`,
    [requestId],
  );
  return rows;
}

export interface MessageRecord {
  thread: string;
  kind: string;
  subject: string;
  body: string;
  idempotencyKey: string | null;
}

export async function messages(t: TestApp, requestId: string, kind?: string): Promise<MessageRecord[]> {
  const { rows } = await t.running.services.database.pool.query<MessageRecord>(
    `select thread, kind, subject, body, idempotency_key as "idempotencyKey" from thread_messages
      where request_id = $1 and ($2::text is null or kind = $2) order by created_at, id`,
    [requestId, kind ?? null],
  );
  return rows;
}

export interface EventRecord {
  type: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

export async function events(t: TestApp, requestId: string, type: string): Promise<EventRecord[]> {
  const { rows } = await t.running.services.database.pool.query<EventRecord>(
    `select type, actor_id as "actorId", data from audit_events where request_id = $1 and type = $2 order by seq`,
    [requestId, type],
  );
  return rows;
}
