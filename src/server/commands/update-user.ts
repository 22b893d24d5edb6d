// An administrator renames a staff member or changes their roles. Roles take effect on the user's
// next request (the session hook reads them fresh). A practice always keeps an active admin.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Role } from '../../shared/roles.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { ConflictError } from '../errors.js';
import { authorize, lockPracticeUser, practiceOf } from './user-records.js';

export interface UpdateUserInput {
  name?: string | undefined;
  roles?: Role[] | undefined;
}

/** Refuse to leave the practice without an active administrator. */
export async function assertAnotherAdmin(ctx: Ctx, userId: string, what: string): Promise<void> {
  const [other] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.practiceId, practiceOf(ctx)),
        ne(users.id, userId),
        eq(users.active, true),
        sql`'admin' = any(${users.roles})`,
      ),
    )
    .limit(1);
  if (!other) {
    throw new ConflictError(
      `${what}: this is the practice's last active administrator. Make someone else an administrator first.`,
    );
  }
}

export async function updateUser(ctx: Ctx, userId: string, input: UpdateUserInput): Promise<void> {
  authorize(ctx, 'manage_users');
  const user = await lockPracticeUser(ctx, userId);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (input.name !== undefined && input.name !== user.name)
    changes.name = { from: user.name, to: input.name };
  if (input.roles !== undefined) {
    const before = [...user.roles].sort();
    const after = [...new Set(input.roles)].sort();
    if (before.join() !== after.join()) changes.roles = { from: user.roles, to: input.roles };
    if (user.active && user.roles.includes('admin') && !input.roles.includes('admin')) {
      await assertAnotherAdmin(ctx, userId, 'Cannot remove the admin role');
    }
  }
  if (Object.keys(changes).length === 0) return;
  await ctx.tx
    .update(users)
    .set({
      ...(changes.name ? { name: input.name } : {}),
      ...(changes.roles ? { roles: input.roles } : {}),
    })
    .where(eq(users.id, userId));
  record(ctx, { type: 'user.updated', data: { userId, changes } });
}
