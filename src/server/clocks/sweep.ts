// The clocks sweep (rule TIME-6: a request never sits silent), a pg-boss job every few minutes in
// the server and a plain function for tests: overdue steps climb the escalation ladder, and the
// privacy officer hears of a legal date approaching or passed. Each rung and each notice happens
// once (a unique key in the database), so two instances, a retry or a second run change nothing.
import { and, asc, eq, inArray, like, lt, notExists, sql } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import { KIND_LABELS, type RequestKind } from '../../shared/request-kinds.js';
import { ROLE_LABELS, type Role } from '../../shared/roles.js';
import { type PracticeSettings, parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import { daysLeft, formatDue, formatLocalDate, type Holidays, localDate } from '../../shared/time.js';
import { OPEN_STAGES } from '../../shared/workflow-stages.js';
import { TASK_LABELS, type TaskType } from '../../shared/workflow-tasks.js';
import { record } from '../audit/record.js';
import { type Ctx, type Services, SYSTEM_META } from '../context.js';
import type { Db } from '../db/connect.js';
import { practices, requests, tasks, threadMessages, users } from '../db/schema.js';
import { taskEscalations } from '../db/schema-rules.js';
import { inTransaction } from '../db/tx.js';
import { JOB_EXPIRY_SECONDS } from '../jobs/send.js';
import { supervisorChain } from '../queries/supervision.js';
import { isExtendable } from './extension.js';
import { loadHolidays } from './holidays.js';
import {
  businessDaysOverdue,
  type LadderLevel,
  ladderThresholds,
  legalNoticeDue,
  type Notify,
  rungsDue,
} from './ladder.js';
import { ladderMessage, legalNoticeMessage } from './messages.js';

export const CLOCKS_SWEEP = 'clocks.sweep';

export interface SweepReport {
  escalations: number;
  legalNotices: number;
}

interface PracticeClock {
  timeZone: string;
  settings: PracticeSettings;
  holidays: Holidays;
  privacyOfficer: string;
  people: Map<string, { name: string; active: boolean }>;
}

async function practiceClock(db: Db, practiceId: string): Promise<PracticeClock> {
  const [p] = await db.select().from(practices).where(eq(practices.id, practiceId));
  const staff = await db
    .select({ id: users.id, name: users.name, active: users.active })
    .from(users)
    .where(eq(users.practiceId, practiceId));
  return {
    timeZone: p?.timeZone ?? 'UTC',
    settings: parsePracticeSettings(p?.settings),
    holidays: await loadHolidays(db, practiceId),
    privacyOfficer: p?.privacyOfficerName ? `${p.privacyOfficerName} (privacy officer)` : 'Privacy officer',
    people: new Map(staff.map((u) => [u.id, { name: u.name, active: u.active }])),
  };
}

export async function sweepClocks(services: Services): Promise<SweepReport> {
  const db = services.database.db;
  const now = services.now();
  const clocks = new Map<string, Promise<PracticeClock>>();
  const clockOf = (practiceId: string) => {
    const cached = clocks.get(practiceId);
    if (cached) return cached;
    const loaded = practiceClock(db, practiceId);
    clocks.set(practiceId, loaded);
    return loaded;
  };
  // rule TIME-1: only open steps are late; a step waiting on the requester has its clock stopped.
  const late = await db
    .select({ id: tasks.id, practiceId: tasks.practiceId })
    .from(tasks)
    .innerJoin(requests, eq(requests.id, tasks.requestId))
    .where(
      and(
        eq(tasks.state, 'open'),
        lt(tasks.dueAt, now),
        inArray(requests.stage, [...OPEN_STAGES]),
        notExists(
          db
            .select({ one: sql`1` })
            .from(taskEscalations)
            .where(and(eq(taskEscalations.taskId, tasks.id), eq(taskEscalations.level, 4))),
        ),
      ),
    )
    .orderBy(asc(tasks.dueAt));
  const failures: unknown[] = [];
  // One transaction per task: a failure leaves the others done, and the job's retry finishes it.
  const each = async (practiceId: string, fn: (ctx: Ctx, clock: PracticeClock) => Promise<number>) => {
    try {
      const clock = await clockOf(practiceId);
      return await inTransaction(services, SYSTEM_META, null, (ctx) => fn(ctx, clock), { practiceId });
    } catch (err) {
      failures.push(err);
      return 0;
    }
  };
  let escalations = 0;
  for (const t of late)
    escalations += await each(t.practiceId, (ctx, clock) => escalateTask(ctx, t.id, clock));

  // Notices come at most 60 days ahead (practice-settings.ts): look no further than that.
  const horizon = new Date(now.getTime() + 61 * 86_400_000);
  const due = await db
    .select({ id: requests.id, practiceId: requests.practiceId })
    .from(requests)
    .where(and(inArray(requests.stage, [...OPEN_STAGES]), lt(requests.legalDueAt, horizon)))
    .orderBy(asc(requests.legalDueAt));
  let legalNotices = 0;
  for (const r of due)
    legalNotices += await each(r.practiceId, (ctx, clock) => noticeLegalDate(ctx, r.id, clock));
  if (failures.length > 0)
    throw new AggregateError(failures, `clocks sweep: ${failures.length} item(s) failed`);
  return { escalations, legalNotices };
}

/** Held for the length of a sweep, so that two sweeps never run at once across instances. */
const SWEEP_LOCK = "hashtext('release-desk:clocks-sweep')";

/**
 * The pg-boss handler of 'clocks.sweep'. pg-boss queues one job per tick however many instances run
 * (its cron is guarded in the database, and the tick's job is a singleton); a sweep still running
 * from an earlier tick, or a tick sent twice by hand, finds the lock held and leaves the work to the
 * sweep holding it (issue 8: a sweep acts once per tick). The per-item keys stay the real guarantee.
 */
export async function clocksSweepJob(services: Services): Promise<SweepReport | null> {
  const client = await services.database.pool.connect();
  let broken = false;
  try {
    const { rows } = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(${SWEEP_LOCK}) as ok`);
    if (!rows[0]?.ok) return null;
    try {
      return await sweepClocks(services);
    } finally {
      await client.query(`select pg_advisory_unlock(${SWEEP_LOCK})`).catch(() => {
        broken = true; // The session is gone, and its lock with it: drop the connection.
      });
    }
  } finally {
    client.release(broken);
  }
}

/** pg-boss's cron for the sweep: every `minutes` minutes (5 in the server unless configured). */
export function sweepCron(minutes: number): string {
  return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
}

/**
 * In the server only (not the CLI): pg-boss's scheduler queues one sweep every few minutes
 * (`config.clocksSweepMinutes`, CLOCKS_SWEEP_MINUTES, validated with the rest of the configuration).
 */
export async function scheduleClocksSweep(boss: PgBoss, minutes: number): Promise<void> {
  // The cron's jobs carry the sweep's own expiry (pg-boss's default is 15 minutes), which is also
  // where the worker's time limit for them comes from (jobs/worker.ts timeLimitMs).
  await boss.schedule(
    CLOCKS_SWEEP,
    sweepCron(minutes),
    {},
    { retryLimit: 2, expireInSeconds: JOB_EXPIRY_SECONDS['clocks.sweep'] },
  );
}

/** The assignee's supervisors who are still active, nearest first. */
async function activeChain(tx: Db, userId: string, clock: PracticeClock): Promise<string[]> {
  return (await supervisorChain(tx, userId)).filter((id) => clock.people.get(id)?.active);
}

/** One task, in one transaction: every rung now due and not yet climbed (rule TIME-6). */
async function escalateTask(ctx: Ctx, taskId: string, clock: PracticeClock): Promise<number> {
  const [task] = await ctx.tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.state, 'open')))
    .for('update', { skipLocked: true });
  if (!task) return 0;
  const overdue = businessDaysOverdue(task.dueAt, ctx.now, clock.timeZone, clock.holidays);
  if (overdue === null) return 0;
  const [request] = await ctx.tx.select().from(requests).where(eq(requests.id, task.requestId));
  if (!request) return 0;
  const chain = task.assigneeId ? await activeChain(ctx.tx, task.assigneeId, clock) : [];
  const rungs = rungsDue(task, chain, overdue, ladderThresholds(clock.settings));
  const nameOf = (id: string) => clock.people.get(id)?.name ?? 'a former staff member';
  const notifyName = (n: Notify) =>
    'userId' in n
      ? nameOf(n.userId)
      : n.role === 'privacy_officer'
        ? clock.privacyOfficer
        : `${ROLE_LABELS[n.role as Role] ?? n.role} (anyone on the team)`;
  const holderName = task.assigneeId
    ? nameOf(task.assigneeId)
    : `the ${(ROLE_LABELS[task.assigneeRole as Role] ?? 'team').toLowerCase()}`;
  const taskLabel = TASK_LABELS[task.type as TaskType];
  let climbed = 0;
  for (const rung of rungs) {
    const inserted = await ctx.tx
      .insert(taskEscalations)
      .values({
        practiceId: task.practiceId,
        requestId: task.requestId,
        taskId: task.id,
        level: rung.level,
        notifiedUserId: 'userId' in rung.notify ? rung.notify.userId : null,
        notifiedRole: 'role' in rung.notify ? rung.notify.role : null,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: taskEscalations.id });
    if (inserted.length === 0) continue; // rule TIME-6: each rung once per task.
    const text = ladderMessage({
      number: request.number,
      taskLabel,
      due: formatLocalDate(
        localDate(task.dueAt, clock.timeZone),
        Number(localDate(ctx.now, clock.timeZone).slice(0, 4)),
      ),
      level: rung.level,
      notifyName: notifyName(rung.notify),
      holderName,
      supervisedName: supervisedBy(rung.level, task.assigneeId, chain, nameOf),
    });
    const [message] = await ctx.tx
      .insert(threadMessages)
      .values({
        practiceId: task.practiceId,
        requestId: task.requestId,
        thread: 'internal',
        authorId: null,
        kind: 'escalation',
        subject: text.subject,
        body: text.body,
        idempotencyKey: `ladder:${task.id}:${rung.level}`,
        createdAt: ctx.now,
      })
      .onConflictDoNothing()
      .returning({ id: threadMessages.id });
    record(ctx, {
      type: 'task.escalated',
      requestId: task.requestId,
      clientId: request.clientId,
      data: {
        rule: 'TIME-6',
        taskId: task.id,
        taskType: task.type,
        level: rung.level,
        businessDaysOverdue: overdue,
        threshold: rung.threshold,
        notifiedUserId: 'userId' in rung.notify ? rung.notify.userId : null,
        notifiedRole: 'role' in rung.notify ? rung.notify.role : null,
        dueAt: task.dueAt.toISOString(),
        messageId: message?.id ?? null,
      },
    });
    climbed += 1;
  }
  return climbed;
}

function supervisedBy(
  level: LadderLevel,
  assigneeId: string | null,
  chain: readonly string[],
  nameOf: (id: string) => string,
): string | null {
  if (level === 2 && assigneeId) return nameOf(assigneeId);
  if (level === 3 && chain[0]) return nameOf(chain[0]);
  return null;
}

/** One request, in one transaction: the privacy officer hears of its legal date once per threshold. */
async function noticeLegalDate(ctx: Ctx, requestId: string, clock: PracticeClock): Promise<number> {
  const [request] = await ctx.tx
    .select()
    .from(requests)
    .where(and(eq(requests.id, requestId), inArray(requests.stage, [...OPEN_STAGES])))
    .for('update', { skipLocked: true });
  if (!request) return 0;
  const dueDate = localDate(request.legalDueAt, clock.timeZone);
  const prefix = `legal:${request.id}:${dueDate}:`;
  const posted = await ctx.tx
    .select({ key: threadMessages.idempotencyKey })
    .from(threadMessages)
    .where(
      and(
        eq(threadMessages.practiceId, request.practiceId),
        like(threadMessages.idempotencyKey, `${prefix}%`),
      ),
    );
  const passed = ctx.now.getTime() > request.legalDueAt.getTime();
  const left = daysLeft(ctx.now, request.legalDueAt, clock.timeZone);
  const notice = legalNoticeDue(
    left,
    passed,
    [...new Set(clock.settings.legalNoticeDays)],
    new Set(posted.map((p) => (p.key ?? '').slice(prefix.length))),
  );
  if (notice === null) return 0;
  const basis = request.legalDueBasis;
  const text = legalNoticeMessage({
    number: request.number,
    kindLabel: KIND_LABELS[request.kind as RequestKind],
    dateLabel:
      basis === 'target' ? 'Practice target' : basis === 'document' ? 'Return date' : 'Legal due date',
    due: formatDue(ctx.now, request.legalDueAt, clock.timeZone),
    passed,
    privacyOfficer: clock.privacyOfficer,
    canExtend: isExtendable(request.kind as RequestKind) && !request.extendedAt,
  });
  const [message] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: request.practiceId,
      requestId: request.id,
      thread: 'internal',
      authorId: null,
      kind: 'legal_due_notice',
      subject: text.subject,
      body: text.body,
      idempotencyKey: `${prefix}${notice}`,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: threadMessages.id });
  if (!message) return 0;
  record(ctx, {
    type: 'request.legal_due_notice',
    requestId: request.id,
    clientId: request.clientId,
    data: {
      rule: basis === 'law' ? 'TIME-2' : 'TIME-5',
      notice,
      daysLeft: left,
      legalDueAt: request.legalDueAt.toISOString(),
      notifiedRole: 'privacy_officer',
      messageId: message.id,
    },
  });
  return 1;
}
