import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Role } from '../../shared/roles.js';
import type { reassignTaskSchema, waitOnRequesterSchema } from '../../shared/schemas/request-actions.js';
import type { TaskType } from '../../shared/workflow-tasks.js';
import type { Ctx } from '../context.js';
import { tasks, users } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { runTransition } from './support/transition.js';

/** rule TIME-1: the task waits on the requester; its step clock pauses, the legal clock does not. */
export async function waitOnRequester(
  ctx: Ctx,
  requestId: string,
  taskId: string,
  input: z.infer<typeof waitOnRequesterSchema>,
) {
  return runTransition(ctx, requestId, {
    action: 'wait_on_requester',
    taskId,
    input: { reason: input.reason },
    auditData: { taskId, reason: input.reason },
  });
}

export async function resumeTask(ctx: Ctx, requestId: string, taskId: string) {
  return runTransition(ctx, requestId, { action: 'resume', taskId, auditData: { taskId } });
}

/** Who may hold each kind of task. */
const HOLDERS: Record<TaskType, Role[]> = {
  intake_check: ['support'],
  client_discussion: ['therapist'],
  supervisor_review: ['supervisor', 'privacy_officer'],
  invoice: ['support'],
  preparation: ['clinical_services', 'therapist'],
  prepared_review: ['supervisor', 'privacy_officer'],
  release: ['support'],
};

/** Support or the therapist's supervisor hands a task to someone else (audited with both names). */
export async function reassignTask(
  ctx: Ctx,
  requestId: string,
  taskId: string,
  input: z.infer<typeof reassignTaskSchema>,
) {
  const result = await runTransition(ctx, requestId, {
    action: 'reassign_task',
    taskId,
    check: async (loaded, target) => {
      const [person] = await ctx.tx
        .select()
        .from(users)
        .where(and(eq(users.id, input.assigneeId), eq(users.practiceId, loaded.row.practiceId)));
      const allowed = HOLDERS[target!.type as TaskType];
      if (!person?.active || !person.roles.some((r) => allowed.includes(r as Role))) {
        throw new BadRequestError(`This task can go to: ${allowed.join(' or ')}.`, [
          { path: 'body.assigneeId', message: 'Must be an active staff member who can hold this task.' },
        ]);
      }
    },
    auditData: (_loaded, target) => ({
      taskId,
      from: target?.assigneeId ?? target?.assigneeRole ?? null,
      to: input.assigneeId,
      reason: input.reason ?? null,
    }),
  });
  await ctx.tx
    .update(tasks)
    .set({ assigneeId: input.assigneeId, assigneeRole: null })
    .where(eq(tasks.id, taskId));
  return result;
}
