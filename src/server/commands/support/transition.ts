// The one path every workflow command takes (architecture.md, convention 1): load and lock ->
// authorize (policies: 404/403) -> check the transition (workflow table: 409/400) -> change ->
// audit -> side-effect job. Commands add what is particular to them around it.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Deliverable, RequestKind } from '../../../shared/request-kinds.js';
import { resumedStepDueAt } from '../../../shared/time.js';
import type { Action, Stage, TransitionInput, TransitionPlan } from '../../../shared/workflow.js';
import { planTransition, TRANSITIONS } from '../../../shared/workflow.js';
import { isActiveTaskState, type TaskState, type TaskType } from '../../../shared/workflow-tasks.js';
import { record } from '../../audit/record.js';
import type { Ctx } from '../../context.js';
import { requests, tasks } from '../../db/schema.js';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { send } from '../../jobs/send.js';
import { decideAction } from '../../policies/request.js';
import { findVisibleRequest, type LoadedRequest, type TaskRow } from '../../queries/visible-requests.js';
import { cancelActiveTasks, completeTask, type OwnerContext, openTasks, practiceDurations } from './tasks.js';

export interface TransitionArgs {
  action: Action;
  /** The action's input; a function when it depends on the locked request (e.g. its client discussion). */
  input?: TransitionInput | ((loaded: LoadedRequest) => TransitionInput);
  /** The task acted on (task-level actions), or a particular task to complete. */
  taskId?: string;
  /** The structured outcome stored on the completed task. */
  taskResult?: Record<string, unknown>;
  ownerContext?: OwnerContext;
  /** Columns of the request that change with this step (end letters, approved scope…). */
  requestChanges?: RequestChanges | ((loaded: LoadedRequest) => RequestChanges);
  auditData?:
    | Record<string, unknown>
    | ((loaded: LoadedRequest, target: TaskRow | null) => Record<string, unknown>);
  /** Checks particular to the command, run after authorization and the stage check. */
  check?: (loaded: LoadedRequest, target: TaskRow | null) => void | Promise<void>;
  /**
   * Work particular to the command once the request has changed, in the same transaction (a letter
   * to store, a message to post); what it returns is added to the transition's audit data.
   */
  after?: (loaded: LoadedRequest, plan: TransitionPlan) => Promise<Record<string, unknown> | undefined>;
}

type RequestChanges = Partial<typeof requests.$inferInsert>;

export interface TransitionResult {
  loaded: LoadedRequest;
  plan: TransitionPlan;
  target: TaskRow | null;
  opened: {
    id: string;
    type: TaskType;
    assigneeId: string | null;
    assigneeRole: string | null;
    dueAt: Date;
  }[];
}

export async function runTransition(
  ctx: Ctx,
  requestId: string,
  args: TransitionArgs,
): Promise<TransitionResult> {
  const actor = ctx.actor!;
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  const decision = decideAction(actor, loaded.facts, args.action, ctx.now, args.taskId);
  if (!decision.allowed) {
    if (decision.status === 404) throw new NotFoundError(args.taskId ? 'task' : 'request', { requestId });
    throw new ForbiddenError(decision.reason, { requestId, action: args.action });
  }
  const target = pickTarget(loaded, args, actor.id, decision.viaBreakGlass);
  const plan = planTransition(
    {
      stage: row.stage as Stage,
      kind: row.kind as RequestKind,
      deliverable: row.deliverable as Deliverable,
      activeTaskTypes: loaded.tasks
        .filter((t) => isActiveTaskState(t.state as TaskState))
        .map((t) => t.type as TaskType),
      ...(target && TRANSITIONS[args.action].task
        ? { targetTask: { type: target.type as TaskType, state: target.state as TaskState } }
        : {}),
    },
    args.action,
    typeof args.input === 'function' ? args.input(loaded) : (args.input ?? {}),
  );
  if (!plan.ok) {
    if (plan.status === 409) {
      throw new ConflictError(plan.message, {
        stage: row.stage,
        allowedActions: plan.allowedActions,
        requestId,
      });
    }
    throw new BadRequestError(
      plan.message,
      plan.errors.map((e) => ({
        path: `body.${e.field}`,
        message: e.rule ? `${e.message} (${e.rule})` : e.message,
      })),
    );
  }
  await args.check?.(loaded, target);

  if (plan.completes && target) await completeTask(ctx, target.id, args.taskResult ?? {});
  else if (TRANSITIONS[args.action].completes && target && args.taskResult) {
    // The task stays open (a recorded attempt): keep what was learned on it.
    await ctx.tx.update(tasks).set({ result: args.taskResult }).where(eq(tasks.id, target.id));
  }
  if (plan.taskState && plan.taskState !== 'same' && target)
    await moveTaskState(ctx, row, target, plan.taskState);
  if (plan.closesOpenTasks) await cancelActiveTasks(ctx, row.id);
  const ended = plan.to !== plan.from && plan.closesOpenTasks;
  await ctx.tx
    .update(requests)
    .set({
      ...(typeof args.requestChanges === 'function' ? args.requestChanges(loaded) : args.requestChanges),
      stage: plan.to,
      updatedAt: ctx.now,
      ...(ended ? { endedAt: ctx.now } : {}),
    })
    .where(eq(requests.id, row.id));
  const opened =
    plan.to === plan.from || !plan.closesOpenTasks
      ? await openTasks(ctx, { ...row, kind: row.kind as RequestKind }, plan.opens, {
          previousHolderId: target?.assigneeId ?? actor.id,
          ...args.ownerContext,
        })
      : [];

  const afterData = (await args.after?.(loaded, plan)) ?? {};

  record(ctx, {
    type: plan.auditType,
    requestId: row.id,
    clientId: row.clientId,
    data: {
      action: args.action,
      from: plan.from,
      to: plan.to,
      taskId: target?.id ?? null,
      opened: opened.map((t) => ({
        id: t.id,
        type: t.type,
        assigneeId: t.assigneeId,
        assigneeRole: t.assigneeRole,
      })),
      ...(decision.viaBreakGlass ? { viaBreakGlass: true } : {}),
      ...(typeof args.auditData === 'function' ? args.auditData(loaded, target) : args.auditData),
      ...afterData,
    },
  });
  if (plan.to !== plan.from || opened.length > 0) {
    await send(ctx, 'thread.post-instructions', {
      requestId: row.id,
      practiceId: row.practiceId,
      action: args.action,
      stage: plan.to,
      at: ctx.now.toISOString(),
      taskIds: opened.map((t) => t.id),
      key: randomUUID(),
    });
  }
  return { loaded, plan, target, opened };
}

/**
 * rule TIME-1: waiting on the requester pauses the task's step clock (never the legal clock); on
 * resuming, its due date moves by the business days spent waiting, still never past the legal date.
 */
async function moveTaskState(
  ctx: Ctx,
  row: { practiceId: string; legalDueAt: Date },
  task: TaskRow,
  to: TaskState,
): Promise<void> {
  if (to === 'waiting_on_requester') {
    await ctx.tx.update(tasks).set({ state: to, waitingSince: ctx.now }).where(eq(tasks.id, task.id));
    return;
  }
  if (to === 'open' && task.waitingSince) {
    const { timeZone, holidays } = await practiceDurations(ctx.tx, row.practiceId);
    await ctx.tx
      .update(tasks)
      .set({
        state: 'open',
        waitingSince: null,
        pausedMs: task.pausedMs + (ctx.now.getTime() - task.waitingSince.getTime()),
        dueAt: resumedStepDueAt(task.dueAt, task.waitingSince, ctx.now, row.legalDueAt, timeZone, holidays),
      })
      .where(eq(tasks.id, task.id));
    return;
  }
  await ctx.tx.update(tasks).set({ state: to }).where(eq(tasks.id, task.id));
}

/** The task an action is about: the named one, or the active task of the completed type this actor holds. */
function pickTarget(
  loaded: LoadedRequest,
  args: TransitionArgs,
  actorId: string,
  viaBreakGlass: boolean,
): TaskRow | null {
  const t = TRANSITIONS[args.action];
  if (args.taskId) {
    const task = loaded.tasks.find((x) => x.id === args.taskId);
    if (!task) throw new NotFoundError('task', { requestId: loaded.row.id });
    return task;
  }
  if (!t.completes) return null;
  const active = loaded.tasks.filter(
    (x) => x.type === t.completes && isActiveTaskState(x.state as TaskState),
  );
  // Mine first, then a queue task (support, clinical services); under break-glass, any active one.
  return (
    active.find((x) => x.assigneeId === actorId) ??
    active.find((x) => x.assigneeId === null) ??
    (viaBreakGlass ? active[0] : undefined) ??
    active[0] ??
    null
  );
}
