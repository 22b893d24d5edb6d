// Helpers shared by the user, practice and supervision commands: who may run them, loading a user
// of the caller's practice (404 otherwise, rule SEC-2), and reading PostgreSQL error codes.
import { and, eq } from 'drizzle-orm';
import { type Ability, hasAbility } from '../auth/abilities.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { ForbiddenError, NotFoundError } from '../errors.js';

export type UserRow = typeof users.$inferSelect;

const REASONS: Partial<Record<Ability, string>> = {
  manage_users: 'Only an administrator can manage staff accounts.',
  manage_settings: 'Only an administrator can change the practice settings.',
};

/**
 * The caller must hold the ability. A context without an actor is the operator at the command line
 * (`release-desk`), who has the server's own access; HTTP routes always run with an actor.
 */
export function authorize(ctx: Ctx, ability: Ability): void {
  if (ctx.actor === null) return;
  if (!hasAbility(ctx.actor, ability)) {
    throw new ForbiddenError(REASONS[ability] ?? 'This action is not yours to take.', { ability });
  }
}

export function practiceOf(ctx: Ctx): string {
  if (!ctx.practiceId) throw new Error('this command needs a practice');
  return ctx.practiceId;
}

/** A user of the caller's practice, locked for the transaction; any other id is not found. */
export async function lockPracticeUser(ctx: Ctx, userId: string): Promise<UserRow> {
  const [row] = await ctx.tx
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.practiceId, practiceOf(ctx))))
    .for('update');
  if (!row) throw new NotFoundError('user', { userId });
  return row;
}

/** The SQLSTATE of a database error, looking through the ORM's wrapping. */
export function pgCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function pgMessage(err: unknown): string {
  let e: unknown = err;
  let text = '';
  for (let depth = 0; e && depth < 4; depth += 1) {
    text += ` ${String((e as { message?: unknown }).message ?? '')} ${String((e as { constraint?: unknown }).constraint ?? '')}`;
    e = (e as { cause?: unknown }).cause;
  }
  return text;
}
