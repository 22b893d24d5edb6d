// Step one of signing in: the password (or a one-time sign-in link that sets it). Rule SEC-1: staff
// then pass a second factor (or enrol one); only demo accounts may skip it. Rule SEC-3: every
// failure is audited in its own transaction, which commits before the refusal is sent.
import { and, eq, gt, isNull } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { RequestMeta, Services } from '../context.js';
import { signInTokens, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { TooManyRequestsError, UnauthorizedError } from '../errors.js';
import { findUserByEmail, practiceName, toActor, type UserRow } from './accounts.js';
import { lockedForSeconds, recordCountedFailure } from './lockout.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords.js';
import { createSession, revokeSession, revokeUserSessions, type SessionStage } from './sessions.js';
import { sha256Hex } from './tokens.js';
import { newTotpSecret, otpauthUrl, sealPendingSecret } from './totp.js';

export const WRONG_CREDENTIALS = 'The email or password is not right.';
const BAD_LINK = 'This sign-in link is not valid any more. Ask your administrator for a new one.';

export interface SignInStarted {
  token: string;
  csrfToken: string;
  stage: SessionStage;
  /** Only for stage 'enroll': the authenticator-app URL of the secret being offered. */
  otpauthUrl?: string;
}

function lockedError(seconds: number): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new TooManyRequestsError(
    `Too many failed attempts: this account is locked. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    seconds,
  );
}

/** The data an audit row may hold about a typed email: never something that could be a password. */
function typedEmail(email: string): string | null {
  return /^[^@\s]{1,64}@[^@\s]{1,190}$/.test(email) ? email : null;
}

export async function signInWithPassword(
  services: Services,
  meta: RequestMeta,
  input: { email: string; password: string; replacing: string | null },
): Promise<SignInStarted> {
  const user = await findUserByEmail(services.database.db, input.email);
  if (!user) {
    await burnPasswordCheck(input.password);
    await inTransaction(services, meta, null, async (ctx) => {
      record(ctx, {
        type: 'auth.login_failed',
        data: { reason: 'unknown_email', email: typedEmail(input.email) },
      });
    });
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }
  const now = services.now();
  const wait = lockedForSeconds(user, now);
  if (wait > 0) {
    await failWithoutCounting(services, meta, user, 'locked');
    throw lockedError(wait);
  }
  let ok = false;
  if (user.passwordHash) ok = await verifyPassword(user.passwordHash, input.password);
  else await burnPasswordCheck(input.password); // no password set yet: same time, same answer
  if (!ok) {
    const lockedUntil = await inTransaction(
      services,
      meta,
      null,
      (ctx) =>
        recordCountedFailure(ctx, user.id, {
          type: 'auth.login_failed',
          data: { reason: 'bad_password', userId: user.id, email: user.email },
        }),
      { practiceId: user.practiceId },
    );
    if (lockedUntil) throw lockedError(lockedForSeconds({ lockedUntil }, services.now()));
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }
  if (!user.active) {
    await failWithoutCounting(services, meta, user, 'inactive');
    throw new UnauthorizedError(WRONG_CREDENTIALS);
  }
  return startSession(services, meta, user, input.replacing, 'password');
}

async function failWithoutCounting(
  services: Services,
  meta: RequestMeta,
  user: UserRow,
  reason: 'locked' | 'inactive' | 'bad_link',
): Promise<void> {
  await inTransaction(
    services,
    meta,
    null,
    async (ctx) => {
      record(ctx, { type: 'auth.login_failed', data: { reason, userId: user.id, email: user.email } });
    },
    { practiceId: user.practiceId },
  );
}

/**
 * The password (or link) is accepted: open a session at the right stage. A session cookie the
 * browser still carried is revoked, so a planted token never becomes a signed-in one.
 */
async function startSession(
  services: Services,
  meta: RequestMeta,
  user: UserRow,
  replacing: string | null,
  method: 'password' | 'sign_in_link',
): Promise<SignInStarted> {
  const stage: SessionStage = user.mfaSecretEnc ? 'mfa' : user.isDemo ? 'full' : 'enroll';
  const secret = stage === 'enroll' ? newTotpSecret() : null;
  const practice = secret ? await practiceName(services.database.db, user.practiceId) : '';
  return inTransaction(services, meta, toActor(user), async (ctx) => {
    if (replacing) await revokeSession(ctx.tx, replacing, ctx.now);
    const issued = await createSession(ctx.tx, {
      userId: user.id,
      practiceId: user.practiceId,
      stage,
      now: ctx.now,
      meta,
      pendingMfaSecretEnc: secret ? sealPendingSecret(services.config.masterKey, user.id, secret) : null,
    });
    if (stage === 'full') {
      await ctx.tx.update(users).set({ lastLoginAt: ctx.now, failedLogins: 0 }).where(eq(users.id, user.id));
    }
    record(ctx, {
      type: 'auth.login_succeeded',
      data: {
        method,
        secondFactor: stage === 'mfa' ? 'required' : stage === 'enroll' ? 'enrolment' : 'not_required_demo',
      },
    });
    return {
      token: issued.token,
      csrfToken: issued.csrfToken,
      stage,
      ...(secret ? { otpauthUrl: otpauthUrl(secret, user.email, practice) } : {}),
    };
  });
}

/**
 * A one-time sign-in link (printed by `release-desk admin create` or made by an admin): it sets the
 * password once, then signing in continues with the second factor (enrolment for a new account).
 */
export async function signInWithLink(
  services: Services,
  meta: RequestMeta,
  input: { token: string; password: string; replacing: string | null },
): Promise<SignInStarted> {
  const tokenHash = sha256Hex(input.token);
  const now = services.now();
  const [link] = await services.database.db
    .select({ userId: signInTokens.userId })
    .from(signInTokens)
    .where(
      and(
        eq(signInTokens.tokenHash, tokenHash),
        isNull(signInTokens.usedAt),
        gt(signInTokens.expiresAt, now),
      ),
    );
  const [user] = link ? await services.database.db.select().from(users).where(eq(users.id, link.userId)) : [];
  if (!user?.active) {
    if (user) await failWithoutCounting(services, meta, user, 'bad_link');
    else
      await inTransaction(services, meta, null, async (ctx) => {
        record(ctx, { type: 'auth.login_failed', data: { reason: 'bad_link' } });
      });
    throw new UnauthorizedError(BAD_LINK);
  }
  const passwordHash = await hashPassword(input.password);
  const updated = await inTransaction(services, meta, toActor(user), async (ctx) => {
    const spent = await ctx.tx
      .update(signInTokens)
      .set({ usedAt: ctx.now })
      .where(and(eq(signInTokens.tokenHash, tokenHash), isNull(signInTokens.usedAt)))
      .returning({ userId: signInTokens.userId });
    if (spent.length === 0) return null; // used by a concurrent request a moment ago
    // Any other link still open for this account dies with this one.
    await ctx.tx
      .update(signInTokens)
      .set({ usedAt: ctx.now })
      .where(and(eq(signInTokens.userId, user.id), isNull(signInTokens.usedAt)));
    const [row] = await ctx.tx
      .update(users)
      .set({ passwordHash, lockedUntil: null })
      .where(eq(users.id, user.id))
      .returning();
    // A new password ends every session of the account (SEC-4): whoever held one under the old
    // password (a stolen cookie, a forgotten browser) is signed out; this browser signs in afresh.
    const sessionsEnded = await revokeUserSessions(ctx.tx, user.id, ctx.now);
    record(ctx, {
      type: 'user.updated',
      data: { userId: user.id, fields: ['password'], via: 'sign_in_link', sessionsEnded },
    });
    return row ?? null;
  });
  if (!updated) throw new UnauthorizedError(BAD_LINK);
  return startSession(services, meta, updated, input.replacing, 'sign_in_link');
}
