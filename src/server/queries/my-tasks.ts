// "My tasks": the open tasks the caller holds (assigned to them) or may take (open in the queue of
// one of their roles), with what a card on the home page shows. Every request is loaded through
// the scoped loader (rule SEC-2), so a task on a request the caller may not see never appears.
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { ACTIVE_TASK_STATES } from '../../shared/workflow-tasks.js';
import type { Ctx } from '../context.js';
import { tasks, users } from '../db/schema.js';
import { presentRequestBasics, presentTask, type RequestContext } from '../presenters/request.js';
import { type ReviewCard, requestsAwaitingReview, reviewCards } from './draft-review-cards.js';
import { listContexts } from './request-details.js';
import { findVisibleRequests } from './request-facts-batch.js';
import { superviseesOf, supervisorChain } from './supervision.js';

type TaskRow = typeof tasks.$inferSelect;

/** More than a person could work through; the card list stops here. */
export const MY_TASKS_LIMIT = 200;

export interface MyTask {
  taskId: string;
  type: string;
  label: string;
  state: string;
  /** 'me' when the task is assigned to the caller; 'queue' when it waits in one of their roles' queues. */
  holder: 'me' | 'queue';
  queueRole: string | null;
  /** A letter to review has the preparation clock's due date, or none (null) without one. */
  dueAt: string | null;
  due: string | null;
  daysLeft: number | null;
  overdue: boolean;
  /** Waiting on the requester: the step clock is stopped (TIME-1). */
  paused: boolean;
  request: {
    id: string;
    number: string;
    kindLabel: string;
    stageLabel: string;
    status: string;
    /** `unmatched`: a provisional client from the public form, not matched yet (issue 7). */
    client: { name: string; isMinor: boolean; unmatched: boolean };
    requester: { name: string; organization: string | null };
    legal: { label: string; dueAt: string; due: string; daysLeft: number | null; overdue: boolean };
  };
}

/** Ids of requests with an active task the caller holds or may take (visibility is checked after). */
async function candidateRequestIds(ctx: Ctx): Promise<string[]> {
  const actor = ctx.actor!;
  const queueRoles = actor.roles.filter((r) => r !== 'admin');
  const rows = await ctx.tx
    .selectDistinct({ requestId: tasks.requestId, dueAt: tasks.dueAt })
    .from(tasks)
    .where(
      and(
        eq(tasks.practiceId, actor.practiceId),
        inArray(tasks.state, [...ACTIVE_TASK_STATES]),
        or(
          eq(tasks.assigneeId, actor.id),
          queueRoles.length > 0
            ? and(isNull(tasks.assigneeId), inArray(tasks.assigneeRole, queueRoles))
            : sql`false`,
        ),
      ),
    )
    .orderBy(tasks.dueAt)
    .limit(MY_TASKS_LIMIT);
  return [...new Set(rows.map((r) => r.requestId))];
}

/** Overdue first, then the soonest step due date (none last); ties by request number. */
export function byUrgency(a: MyTask, b: MyTask): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if ((a.dueAt === null) !== (b.dueAt === null)) return a.dueAt === null ? 1 : -1;
  const due = (a.dueAt ?? '').localeCompare(b.dueAt ?? '');
  return due !== 0 ? due : a.request.number.localeCompare(b.request.number);
}

/**
 * What every card says of its request: the fields of presentRequestSummary a card keeps, built
 * without the summary's abilities (issue 8: up to 200 cards a call, and the card shows none).
 */
function requestOfCard(ctx: Ctx, context: RequestContext): MyTask['request'] {
  const basics = presentRequestBasics(context, ctx.now);
  const { legal } = basics.clocks;
  return {
    id: basics.id,
    number: basics.number,
    kindLabel: basics.kindLabel,
    stageLabel: basics.stageLabel,
    status: basics.status,
    client: { name: basics.client.name, isMinor: basics.client.isMinor, unmatched: basics.client.unmatched },
    requester: basics.requester,
    legal: {
      label: legal.label,
      dueAt: legal.dueAt,
      due: legal.due,
      daysLeft: legal.daysLeft,
      overdue: legal.overdue,
    },
  };
}

/** A version waiting for review as a card (its author as the "holder" the supervisor's board names). */
function reviewCard(
  card: ReviewCard,
  contexts: RequestContext[],
  ctx: Ctx,
): MyTask & { assigneeId: string | null } {
  const { requestId, authorId, ...rest } = card;
  const context = contexts.find((c) => c.row.id === requestId)!;
  return { ...rest, assigneeId: authorId, request: requestOfCard(ctx, context) };
}

/** The cards for the active tasks on these requests that `keep` selects. */
function taskCards(
  ctx: Ctx,
  contexts: RequestContext[],
  keep: (row: TaskRow, isMine: boolean) => boolean,
): Array<MyTask & { assigneeId: string | null }> {
  const actor = ctx.actor!;
  const out: Array<MyTask & { assigneeId: string | null }> = [];
  for (const context of contexts) {
    for (const row of context.tasks) {
      if (!(ACTIVE_TASK_STATES as readonly string[]).includes(row.state)) continue;
      const task = presentTask(actor, context, row, ctx.now);
      if (!keep(row, task.isMine)) continue;
      out.push({
        taskId: task.id,
        type: task.type,
        label: task.label,
        state: task.state,
        holder: row.assigneeId === actor.id ? 'me' : 'queue',
        queueRole: row.assigneeId === null ? row.assigneeRole : null,
        dueAt: task.dueAt,
        due: task.due,
        daysLeft: task.daysLeft,
        overdue: task.overdue,
        paused: task.state === 'waiting_on_requester',
        assigneeId: row.assigneeId,
        request: requestOfCard(ctx, context),
      });
    }
  }
  return out;
}

/**
 * The caller's task cards, and a "Letter to review" card for each version of a letter, report or
 * notes waiting for the caller's review (procedure step 4, Task #2), most urgent first.
 */
export async function listMyTasks(ctx: Ctx): Promise<MyTask[]> {
  const ids = [...(await candidateRequestIds(ctx)), ...(await requestsAwaitingReview(ctx, MY_TASKS_LIMIT))];
  const contexts = await listContexts(ctx, await findVisibleRequests(ctx, [...new Set(ids)]));
  const cards = [
    ...taskCards(ctx, contexts, (_row, isMine) => isMine),
    ...(await reviewCards(ctx, contexts)).map((c) => reviewCard(c, contexts, ctx)),
  ].sort(byUrgency);
  return cards.map(({ assigneeId: _, ...card }) => card);
}

export type SuperviseeTask = Omit<MyTask, 'holder' | 'queueRole'> & {
  /** The supervisee holding the task. */
  assignee: { id: string; name: string };
};

/**
 * The supervisor's board (the procedure: the supervisor "watches that the supervisee is on time"):
 * the open tasks held by everyone below the caller in the supervision chains, overdue first. Each
 * request goes through the scoped loader, so the board shows only what the caller may open.
 */
export async function listSuperviseeTasks(ctx: Ctx): Promise<SuperviseeTask[]> {
  const actor = ctx.actor!;
  const below = await superviseesOf(ctx.tx, actor.id);
  if (below.length === 0) return [];
  const people = await ctx.tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.practiceId, actor.practiceId), inArray(users.id, below)));
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const held = await ctx.tx
    .selectDistinct({ requestId: tasks.requestId })
    .from(tasks)
    .where(
      and(
        eq(tasks.practiceId, actor.practiceId),
        inArray(tasks.state, [...ACTIVE_TASK_STATES]),
        inArray(tasks.assigneeId, [...nameOf.keys()]),
      ),
    )
    .limit(MY_TASKS_LIMIT);
  const ids = [...held.map((h) => h.requestId), ...(await requestsAwaitingReview(ctx, MY_TASKS_LIMIT))];
  const contexts = await listContexts(ctx, await findVisibleRequests(ctx, [...new Set(ids)]));
  // The versions a supervisee sent for the caller's review show on the board under their name too.
  const cards = [
    ...taskCards(ctx, contexts, (row) => row.assigneeId !== null && nameOf.has(row.assigneeId)),
    ...(await reviewCards(ctx, contexts))
      .filter((c) => nameOf.has(c.authorId))
      .map((c) => reviewCard(c, contexts, ctx)),
  ].sort(byUrgency);
  return cards.map(({ assigneeId, holder: _h, queueRole: _q, ...card }) => ({
    ...card,
    assignee: { id: assigneeId!, name: nameOf.get(assigneeId!) ?? '' },
  }));
}

/**
 * Whom "Ask my supervisor" reaches: the caller's nearest supervisor, or null at the top of the
 * chain (escalation then goes to the privacy officer; REV-2, TIME-6).
 */
export async function mySupervisor(ctx: Ctx): Promise<{ id: string; name: string } | null> {
  const [nearest] = await supervisorChain(ctx.tx, ctx.actor!.id);
  if (!nearest) return null;
  const [row] = await ctx.tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, nearest), eq(users.practiceId, ctx.actor!.practiceId)));
  return row ?? null;
}
