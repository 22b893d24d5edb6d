// A signed-in staff member changes their own password (rules SEC-1, SEC-4): the current password is
// checked (a wrong one counts towards the account's lockout like a failed sign-in, and is audited in
// its own transaction before the refusal, SEC-3); the new one ends EVERY session of the account,
// this one included, and any open sign-in link, and the caller continues under a new session token
// and CSRF token. So a password changed because a device was lost or a session stolen takes effect
// everywhere at once.
import { and, eq, isNull } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { RequestMeta, Services } from '../context.js';
import { signInTokens, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { BadRequestError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { SessionInfo } from '../http/auth-context.js';
import { lockUser, toActor } from './accounts.js';
import { lockedForSeconds, recordCountedFailure } from './lockout.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { createSession, type IssuedSession, revokeSession, revokeUserSessions } from './sessions.js';

export const WRONG_CURRENT_PASSWORD = 'Your current password is not right.';

function locked(seconds: number): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new TooManyRequestsError(
    `Too many failed attempts: this account is locked. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    seconds,
  );
}

export async function changePassword(
  services: Services,
  meta: RequestMeta,
  session: SessionInfo | null,
  input: { currentPassword: string; newPassword: string },
): Promise<IssuedSession & { sessionsEnded: number }> {
  if (session?.stage !== 'full') throw new UnauthorizedError();
  const [user] = await services.database.db.select().from(users).where(eq(users.id, session.userId));
  if (!user?.active) throw new UnauthorizedError();
  const wait = lockedForSeconds(user, services.now());
  if (wait > 0) throw locked(wait);
  if (input.newPassword === input.currentPassword) {
    throw new BadRequestError('The new password must differ from the current one.', [
      { path: 'newPassword', message: 'must differ from the current password' },
    ]);
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    const lockedUntil = await inTransaction(
      services,
      meta,
      toActor(user),
      async (ctx) => {
        const until = await recordCountedFailure(ctx, user.id, {
          type: 'auth.login_failed',
          data: { reason: 'bad_password', userId: user.id, email: user.email, via: 'password_change' },
        });
        // Five wrong current passwords from inside a session: that session is not its owner's.
        if (until) await revokeSession(ctx.tx, session.tokenHash, ctx.now);
        return until;
      },
      { practiceId: user.practiceId },
    );
    if (lockedUntil) throw locked(lockedForSeconds({ lockedUntil }, services.now()));
    throw new UnauthorizedError(WRONG_CURRENT_PASSWORD);
  }
  const passwordHash = await hashPassword(input.newPassword);
  return inTransaction(
    services,
    meta,
    toActor(user),
    async (ctx) => {
      const row = await lockUser(ctx.tx, user.id);
      if (!row?.active) throw new UnauthorizedError();
      await ctx.tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
      // Every session ends, this one too (its token was seen under the old password).
      const ended = await revokeUserSessions(ctx.tx, user.id, ctx.now);
      await ctx.tx
        .update(signInTokens)
        .set({ usedAt: ctx.now })
        .where(and(eq(signInTokens.userId, user.id), isNull(signInTokens.usedAt)));
      const issued = await createSession(ctx.tx, {
        userId: user.id,
        practiceId: user.practiceId,
        stage: 'full',
        now: ctx.now,
        meta,
      });
      const sessionsEnded = Math.max(0, ended - 1); // the caller's own continues under a new token
      record(ctx, {
        type: 'user.updated',
        data: { userId: user.id, fields: ['password'], via: 'self', sessionsEnded },
      });
      return { ...issued, sessionsEnded };
    },
    { practiceId: user.practiceId },
  );
}
