// Turning the workflow's symbolic task specs into rows: who owns each task, and by when (TIME-6).
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { RequestKind } from '../../../shared/request-kinds.js';
import { parsePracticeSettings, taskDurations } from '../../../shared/schemas/practice-settings.js';
import { stepDueAt } from '../../../shared/time.js';
import {
  ACTIVE_TASK_STATES,
  remainingPlannedBusinessDays,
  type TaskOwner,
  type TaskSpec,
  type TaskType,
} from '../../../shared/workflow-tasks.js';
import { loadHolidays } from '../../clocks/holidays.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { practices, tasks, users } from '../../db/schema.js';
import { supervisorChain } from '../../queries/supervision.js';

export interface RequestForTasks {
  id: string;
  practiceId: string;
  kind: RequestKind;
  therapistId: string;
  legalDueAt: Date;
}

export interface ResolvedOwner {
  assigneeId: string | null;
  assigneeRole: string | null;
}

export interface OwnerContext {
  /** Who held the task being escalated (for next_supervisor_up). */
  previousHolderId?: string | null;
  /** A reviewer chosen by the privacy officer (for independent_reviewer; REV-4). */
  reviewerId?: string | null;
}

const PRIVACY_OFFICER_QUEUE: ResolvedOwner = { assigneeId: null, assigneeRole: 'privacy_officer' };

/** rule TIME-6: escalation from the top of a chain goes to the privacy officer. */
async function supervisorOrPrivacyOfficer(tx: Db, userId: string): Promise<ResolvedOwner> {
  const [nearest] = await supervisorChain(tx, userId);
  if (!nearest) return PRIVACY_OFFICER_QUEUE;
  const [row] = await tx.select({ active: users.active }).from(users).where(eq(users.id, nearest));
  // An inactive supervisor's work goes one step further up.
  if (!row?.active) return supervisorOrPrivacyOfficer(tx, nearest);
  return { assigneeId: nearest, assigneeRole: null };
}

export async function resolveOwner(
  tx: Db,
  request: RequestForTasks,
  owner: TaskOwner,
  oc: OwnerContext = {},
): Promise<ResolvedOwner> {
  switch (owner.kind) {
    case 'role':
      return { assigneeId: null, assigneeRole: owner.role };
    case 'clinical_services':
      return { assigneeId: null, assigneeRole: 'clinical_services' };
    case 'request_therapist': {
      const [row] = await tx
        .select({ active: users.active })
        .from(users)
        .where(eq(users.id, request.therapistId));
      // An inactive therapist's tasks go to their supervisor.
      if (!row?.active) return supervisorOrPrivacyOfficer(tx, request.therapistId);
      return { assigneeId: request.therapistId, assigneeRole: null };
    }
    case 'therapist_supervisor':
      return supervisorOrPrivacyOfficer(tx, request.therapistId);
    case 'next_supervisor_up':
      return oc.previousHolderId
        ? supervisorOrPrivacyOfficer(tx, oc.previousHolderId)
        : PRIVACY_OFFICER_QUEUE;
    case 'independent_reviewer':
      return oc.reviewerId ? { assigneeId: oc.reviewerId, assigneeRole: null } : PRIVACY_OFFICER_QUEUE;
    case 'original_preparer': {
      const [last] = await tx
        .select({ by: tasks.completedBy, assigneeId: tasks.assigneeId, assigneeRole: tasks.assigneeRole })
        .from(tasks)
        .where(and(eq(tasks.requestId, request.id), eq(tasks.type, 'preparation'), eq(tasks.state, 'done')))
        .orderBy(desc(tasks.completedAt))
        .limit(1);
      if (last?.by) return { assigneeId: last.by, assigneeRole: null };
      return {
        assigneeId: last?.assigneeId ?? null,
        assigneeRole: last?.assigneeRole ?? 'clinical_services',
      };
    }
  }
}

export async function practiceDurations(tx: Db, practiceId: string) {
  const [p] = await tx
    .select({ settings: practices.settings, timeZone: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  const settings = parsePracticeSettings(p?.settings);
  return {
    durations: taskDurations(settings),
    settings,
    timeZone: p?.timeZone ?? 'UTC',
    // rule TIME-6: step due dates skip the practice's holidays like weekends.
    holidays: await loadHolidays(tx, practiceId),
  };
}

/** Open the tasks a transition calls for, each with its owner and a step due date never after the legal date. */
export async function openTasks(
  ctx: Ctx,
  request: RequestForTasks,
  specs: TaskSpec[],
  oc: OwnerContext = {},
): Promise<
  { id: string; type: TaskType; assigneeId: string | null; assigneeRole: string | null; dueAt: Date }[]
> {
  if (specs.length === 0) return [];
  const { durations, timeZone, holidays } = await practiceDurations(ctx.tx, request.practiceId);
  const opened = [];
  for (const spec of specs) {
    const owner = await resolveOwner(ctx.tx, request, spec.owner, oc);
    const dueAt = stepDueAt(
      ctx.now,
      durations[spec.type],
      remainingPlannedBusinessDays(request.kind, spec.type, durations),
      request.legalDueAt,
      timeZone,
      holidays,
    );
    const [row] = await ctx.tx
      .insert(tasks)
      .values({
        practiceId: request.practiceId,
        requestId: request.id,
        type: spec.type,
        assigneeId: owner.assigneeId,
        assigneeRole: owner.assigneeRole,
        state: 'open',
        dueAt,
        openedAt: ctx.now,
      })
      .returning({ id: tasks.id });
    opened.push({ id: row!.id, type: spec.type, ...owner, dueAt });
  }
  return opened;
}

/** The request reached an end: nothing is left waiting on anyone. */
export async function cancelActiveTasks(ctx: Ctx, requestId: string): Promise<void> {
  await ctx.tx
    .update(tasks)
    .set({ state: 'cancelled', completedAt: ctx.now, completedBy: ctx.actor?.id ?? null })
    .where(and(eq(tasks.requestId, requestId), inArray(tasks.state, [...ACTIVE_TASK_STATES])));
}

export async function completeTask(ctx: Ctx, taskId: string, result: Record<string, unknown>): Promise<void> {
  await ctx.tx
    .update(tasks)
    .set({
      state: 'done',
      completedAt: ctx.now,
      completedBy: ctx.actor?.id ?? null,
      result,
      pausedMs: sql`${tasks.pausedMs} + case when ${tasks.waitingSince} is null then 0
        else (extract(epoch from (${ctx.now}::timestamptz - ${tasks.waitingSince})) * 1000)::bigint end`,
      waitingSince: null,
    })
    .where(eq(tasks.id, taskId));
}
