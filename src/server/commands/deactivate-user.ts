// An administrator deactivates a staff member: they cannot sign in, every session of theirs ends at
// once (the next request answers 401), and their open tasks go to their supervisor (issue 2 "The
// workflow": an inactive therapist's tasks go to their supervisor), or else a privacy officer.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { record } from '../audit/record.js';
import { revokeUserSessions } from '../auth/sessions.js';
import type { Ctx } from '../context.js';
import { tasks, users } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import { assertAnotherAdmin } from './update-user.js';
import { authorize, lockPracticeUser, practiceOf } from './user-records.js';

const OPEN_STATES = ['open', 'waiting_on_requester'];

export async function deactivateUser(
  ctx: Ctx,
  userId: string,
): Promise<{ sessionsEnded: number; tasksReassigned: number }> {
  authorize(ctx, 'manage_users');
  const user = await lockPracticeUser(ctx, userId);
  if (!user.active) throw new ConflictError('This account is already deactivated.', { userId });
  if (ctx.actor?.id === userId) throw new ConflictError('You cannot deactivate your own account.');
  if (user.roles.includes('admin')) await assertAnotherAdmin(ctx, userId, 'Cannot deactivate');
  await ctx.tx.update(users).set({ active: false, deactivatedAt: ctx.now }).where(eq(users.id, userId));
  const sessionsEnded = await revokeUserSessions(ctx.tx, userId, ctx.now);
  record(ctx, { type: 'user.deactivated', data: { userId, sessionsEnded } });
  const tasksReassigned = await reassignOpenTasksOfInactiveUser(ctx, userId);
  return { sessionsEnded, tasksReassigned };
}

/**
 * Who takes over an inactive user's work: the nearest active supervisor up their chain, else an
 * active privacy officer of the practice, else nobody (the task stays unassigned for support).
 */
export async function successorOf(ctx: Ctx, userId: string): Promise<string | null> {
  const { rows } = await ctx.client.query<{ id: string }>(
    `with recursive up(id, depth) as (
       select supervisor_id, 1 from supervision_links where supervisee_id = $1
       union all
       select s.supervisor_id, up.depth + 1 from supervision_links s join up on s.supervisee_id = up.id
        where up.depth < 50
     )
     select u.id from up join users u on u.id = up.id
      where u.active and u.id <> $1 and u.practice_id = $2 order by up.depth limit 1`,
    [userId, practiceOf(ctx)],
  );
  if (rows[0]) return rows[0].id;
  const [officer] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.practiceId, practiceOf(ctx)),
        eq(users.active, true),
        ne(users.id, userId),
        sql`'privacy_officer' = any(${users.roles})`,
      ),
    )
    .orderBy(asc(users.createdAt))
    .limit(1);
  return officer?.id ?? null;
}

/** Move every open task of an inactive user to their successor, one 'task.reassigned' event each. */
export async function reassignOpenTasksOfInactiveUser(ctx: Ctx, userId: string): Promise<number> {
  const open = await ctx.tx
    .select({ id: tasks.id, requestId: tasks.requestId, type: tasks.type })
    .from(tasks)
    .where(
      and(
        eq(tasks.practiceId, practiceOf(ctx)),
        eq(tasks.assigneeId, userId),
        inArray(tasks.state, OPEN_STATES),
      ),
    )
    .orderBy(asc(tasks.dueAt))
    .for('update');
  if (open.length === 0) return 0;
  const to = await successorOf(ctx, userId);
  for (const task of open) {
    await ctx.tx.update(tasks).set({ assigneeId: to }).where(eq(tasks.id, task.id));
    record(ctx, {
      type: 'task.reassigned',
      requestId: task.requestId,
      data: {
        taskId: task.id,
        taskType: task.type,
        fromUserId: userId,
        toUserId: to,
        reason: 'assignee_deactivated',
      },
    });
  }
  return open.length;
}
