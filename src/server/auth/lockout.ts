// Temporary lockout (issue 2 "Accounts and access"): five failed attempts on one account within
// fifteen minutes (wrong passwords and wrong second-factor codes alike) lock it for fifteen
// minutes. The failures are the audit log's own 'auth.login_failed' / 'auth.mfa_failed' rows, so
// the count cannot drift from what the log shows; the user row is locked while counting, so
// concurrent attempts are serialised. (The per-IP limit is @fastify/rate-limit on the routes.)
import { eq, sql } from 'drizzle-orm';
import type { AuditEvent } from '../../shared/audit-events.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { lockUser } from './accounts.js';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;
/** The failure reasons that count towards a lockout. */
export const COUNTED_REASONS = ['bad_password', 'bad_code'] as const;

/** Seconds until the account unlocks, or 0 when it is not locked. */
export function lockedForSeconds(user: { lockedUntil: Date | null }, now: Date): number {
  if (!user.lockedUntil || user.lockedUntil <= now) return 0;
  return Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000);
}

/**
 * Record a counted failure for a known account in ctx's transaction and lock the account when it
 * is the fifth in the window. Returns the lock's end, or null. The caller commits, then refuses.
 */
export async function recordCountedFailure(
  ctx: Ctx,
  userId: string,
  event: AuditEvent & { type: 'auth.login_failed' | 'auth.mfa_failed' },
): Promise<Date | null> {
  const user = await lockUser(ctx.tx, userId);
  if (!user) return null;
  record(ctx, event);
  // Count from the latest of: the window's start, the last full sign-in, the end of the last lock.
  const bounds = [ctx.now.getTime() - FAILURE_WINDOW_MS, user.lastLoginAt?.getTime() ?? 0];
  if (user.lockedUntil && user.lockedUntil <= ctx.now) bounds.push(user.lockedUntil.getTime());
  const since = new Date(Math.max(...bounds));
  const { rows } = await ctx.client.query<{ n: number }>(
    `select count(*)::int as n from audit_events
      where practice_id = $1 and type in ('auth.login_failed', 'auth.mfa_failed') and at > $2
        and data->>'userId' = $3 and data->>'reason' = any($4::text[])`,
    [user.practiceId, since, user.id, [...COUNTED_REASONS]],
  );
  const failures = (rows[0]?.n ?? 0) + 1; // this one is not written until commit
  const lockedUntil = failures >= MAX_FAILURES ? new Date(ctx.now.getTime() + LOCK_MS) : null;
  await ctx.tx
    .update(users)
    .set({ failedLogins: sql`${users.failedLogins} + 1`, ...(lockedUntil ? { lockedUntil } : {}) })
    .where(eq(users.id, user.id));
  if (lockedUntil) {
    record(ctx, {
      type: 'auth.locked_out',
      data: { userId: user.id, failures, lockedUntil: lockedUntil.toISOString() },
    });
  }
  return lockedUntil;
}
