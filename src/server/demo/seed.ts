// Seeding the demo practice: its people, clients and requests, once (when no demo practice exists).
// Everything goes through the commands, each step in the acting person's context at the moment it
// happened, so tasks, clocks, the audit chain and the thread jobs are the real ones. The whole seed
// is one transaction: a crash leaves nothing half-seeded, and each step's audit events are chained
// as it completes, in time order.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { createClientSchema } from '../../shared/schemas/clients.js';
import { createRequestSchema } from '../../shared/schemas/requests.js';
import { flushAudit, record } from '../audit/record.js';
import { toActor } from '../auth/accounts.js';
import { hashPassword } from '../auth/passwords.js';
import { createClient } from '../commands/create-client.js';
import { createPractice, practiceInputSchema } from '../commands/create-practice.js';
import { createRequest } from '../commands/create-request.js';
import { createUser } from '../commands/create-user.js';
import { linkSupervisor } from '../commands/link-supervisor.js';
import type { Actor, Ctx, RequestMeta, Services } from '../context.js';
import { practices, signInTokens, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { JOB_HANDLERS } from '../handlers.js';
import { drainJobs, type HandlerMap } from '../jobs/worker.js';
import {
  DEMO_CLIENTS,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  DEMO_PRACTICE,
  DEMO_SUPERVISION,
  type DemoClientKey,
  type DemoUserKey,
} from './accounts.js';
import type { Act, DemoRequest } from './actions.js';
import { draftRequests } from './drafts.js';
import { endedRequests } from './requests-ended.js';
import { openRequests } from './requests-open.js';
import { type Calendar, calendar, when } from './timeline.js';

export const DEMO_META: RequestMeta = { ip: null, userAgent: 'release-desk demo', requestId: 'demo-seed' };

/** One seed at a time, even if two processes share a database. */
const SEED_LOCK = 7_310_099;

/**
 * The job handlers, each run with the clock of the step that queued the job (its payload's `at`),
 * so an instruction posted for a step weeks ago reads as it did then ("due in 3 days").
 */
const AS_OF_THE_STEP = Object.fromEntries(
  Object.entries(JOB_HANDLERS).map(([name, handler]) => [
    name,
    (services: Services, data: Record<string, unknown>, signal: AbortSignal) => {
      const at = typeof data.at === 'string' ? new Date(data.at) : null;
      const clock = at && !Number.isNaN(at.getTime()) ? { ...services, now: () => at } : services;
      return handler(clock, data, signal);
    },
  ]),
) as HandlerMap;

export interface SeedResult {
  /** False when the demo practice already existed (nothing was changed). */
  seeded: boolean;
  practiceId: string;
  requests: number;
  /** Thread-instruction jobs run after seeding. */
  jobs: number;
}

/** The demo practice, if this database has one. */
export async function findDemoPractice(services: Services): Promise<string | null> {
  const [row] = await services.database.db
    .select({ id: practices.id })
    .from(practices)
    .where(eq(practices.isDemo, true))
    .limit(1);
  return row?.id ?? null;
}

export async function seedDemo(services: Services): Promise<SeedResult> {
  const existing = await findDemoPractice(services);
  if (existing) return { seeded: false, practiceId: existing, requests: 0, jobs: 0 };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const result = await inTransaction(services, DEMO_META, null, async (ctx) => {
    await ctx.client.query('select pg_advisory_xact_lock($1)', [SEED_LOCK]);
    const [again] = await ctx.tx
      .select({ id: practices.id })
      .from(practices)
      .where(eq(practices.isDemo, true));
    if (again) return { seeded: false, practiceId: again.id, requests: 0 };
    const cal = calendar(ctx.now, DEMO_PRACTICE.timeZone);
    const people = await seedPeople(ctx, cal, passwordHash);
    const requests = await seedRequests(ctx, cal, people);
    return { seeded: true, practiceId: people.practiceId, requests };
  });
  // The thread gets its instructions for every step (the server's worker would do it too).
  const jobs = result.seeded ? await drainJobs(services, AS_OF_THE_STEP) : 0;
  return { ...result, jobs };
}

/**
 * Run one step as `actor` at `at`, inside the seed's transaction: the command sees that person and
 * that moment, and its audit events are chained as the step ends (attributed to that person).
 */
async function asOf<T>(ctx: Ctx, actor: Actor | null, at: Date, fn: (step: Ctx) => Promise<T>): Promise<T> {
  const step: Ctx = {
    ...ctx,
    actor,
    practiceId: actor?.practiceId ?? ctx.practiceId,
    now: at,
    pendingAudit: [],
  };
  const out = await fn(step);
  await flushAudit(step);
  ctx.practiceId = step.practiceId;
  return out;
}

interface People {
  practiceId: string;
  actors: Record<DemoUserKey, Actor>;
  clients: Record<DemoClientKey, string>;
}

async function seedPeople(ctx: Ctx, cal: Calendar, passwordHash: string): Promise<People> {
  let minute = 0;
  const next = () => new Date(cal.at(when(20, 8)).getTime() + minute++ * 60_000);
  // The operator creates the practice and its first administrator, as at first run.
  const { practiceId } = await asOf(ctx, null, next(), (step) =>
    createPractice(
      step,
      practiceInputSchema.parse({
        ...DEMO_PRACTICE,
        privacyOfficer: { name: 'Priya Shah', email: 'privacy@demo.test', phone: '(555) 010-0199' },
      }),
    ),
  );
  const [adminLogin, ...staff] = DEMO_LOGINS;
  await asOf(ctx, null, next(), (step) =>
    createUser(step, { email: adminLogin!.email, name: adminLogin!.name, roles: adminLogin!.roles }),
  );
  // Demo accounts get the shared password and the demo flag (they alone may skip the second factor).
  const makeDemo = async (step: Ctx) => {
    const ids = (
      await step.tx
        .update(users)
        .set({ passwordHash, isDemo: true })
        .where(and(eq(users.practiceId, practiceId), eq(users.isDemo, false)))
        .returning({ id: users.id })
    ).map((r) => r.id);
    if (ids.length === 0) return;
    // The printed sign-in links are not needed: the demo password is set.
    await step.tx
      .update(signInTokens)
      .set({ usedAt: step.now })
      .where(and(inArray(signInTokens.userId, ids), isNull(signInTokens.usedAt)));
    for (const userId of ids) {
      record(step, { type: 'user.updated', data: { userId, fields: ['password', 'isDemo'], via: 'demo' } });
    }
  };
  await asOf(ctx, null, next(), async (step) => {
    await step.tx.update(practices).set({ isDemo: true }).where(eq(practices.id, practiceId));
    record(step, { type: 'practice.updated', data: { practiceId, fields: ['isDemo'], via: 'demo' } });
    await makeDemo(step);
  });
  const admin = await actorByEmail(ctx, adminLogin!.email);
  for (const login of staff) {
    await asOf(ctx, admin, next(), (step) =>
      createUser(step, { email: login.email, name: login.name, roles: login.roles }),
    );
  }
  await asOf(ctx, null, next(), makeDemo);
  const actors = {} as Record<DemoUserKey, Actor>;
  for (const login of DEMO_LOGINS) actors[login.key] = await actorByEmail(ctx, login.email);
  for (const [supervisee, supervisor] of DEMO_SUPERVISION) {
    await asOf(ctx, admin, next(), (step) =>
      linkSupervisor(step, { superviseeId: actors[supervisee].id, supervisorId: actors[supervisor].id }),
    );
  }
  const clients = {} as Record<DemoClientKey, string>;
  for (const c of DEMO_CLIENTS) {
    const input = createClientSchema.parse({
      firstName: c.firstName,
      lastName: c.lastName,
      dateOfBirth: `${cal.year - c.born.yearsAgo}-${c.born.monthDay}`,
      therapistId: actors[c.therapist].id,
      email: c.email,
      phone: c.phone,
      address: c.address,
    });
    clients[c.key] = (await asOf(ctx, actors.support, next(), (step) => createClient(step, input))).clientId;
  }
  return { practiceId, actors, clients };
}

async function actorByEmail(ctx: Ctx, email: string): Promise<Actor> {
  const [row] = await ctx.tx.select().from(users).where(eq(users.email, email));
  if (!row) throw new Error(`demo seed: no user ${email}`);
  return toActor(row);
}

interface Event {
  at: Date;
  order: number;
  request: DemoRequest;
  by: DemoUserKey;
  /** null: record the request itself. */
  act: Act | null;
}

/** Play every request's steps, all requests interleaved in time order. */
async function seedRequests(ctx: Ctx, cal: Calendar, people: People): Promise<number> {
  const scripts = [...endedRequests(cal), ...openRequests(cal), ...draftRequests(cal)];
  const events: Event[] = [];
  for (const request of scripts) {
    const received = cal.at(request.receivedAt);
    // Support records a request about twenty minutes after it arrives (one received this morning:
    // by now at the latest, so nothing is seeded in the future).
    events.push({
      at: new Date(Math.min(received.getTime() + 20 * 60_000, ctx.now.getTime())),
      order: events.length,
      request,
      by: 'support',
      act: null,
    });
    let last = received;
    for (const s of request.steps) {
      const at = cal.at(s.at);
      if (at.getTime() <= last.getTime() + 20 * 60_000) {
        throw new Error(`demo script: a step of "${request.key}" is not after the one before it`);
      }
      last = at;
      events.push({ at, order: events.length, request, by: s.by, act: s.act });
    }
  }
  events.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  const ids = new Map<string, string>();
  for (const e of events) {
    const actor = people.actors[e.by];
    if (e.act === null) {
      const input = createRequestSchema.parse({
        ...e.request.input,
        clientId: people.clients[e.request.client],
        receivedAt: cal.at(e.request.receivedAt).toISOString(),
      });
      const row = await asOf(ctx, actor, e.at, (step) => createRequest(step, input));
      ids.set(e.request.key, row.id);
    } else {
      const act = e.act;
      const id = ids.get(e.request.key)!;
      await asOf(ctx, actor, e.at, (step) => act(step, id));
    }
  }
  return scripts.length;
}
