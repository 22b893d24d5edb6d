// Step two of signing in (rule SEC-1): a TOTP code or an unused recovery code for an enrolled
// account, or confirming a new authenticator at first sign-in. Success rotates the session token.
// Failures are audited and committed before the refusal (SEC-3); five wrong codes end the pending
// session, and they count towards the account's lockout like wrong passwords.
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { RequestMeta, Services } from '../context.js';
import { sessions, users } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { ConflictError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { SessionInfo } from '../http/auth-context.js';
import { lockUser, toActor, type UserRow } from './accounts.js';
import { lockedForSeconds, MAX_FAILURES, recordCountedFailure } from './lockout.js';
import { consumeRecoveryCode, replaceRecoveryCodes } from './recovery-codes.js';
import { type IssuedSession, revokeSession, rotateToFull } from './sessions.js';
import { looksLikeTotp, openPendingSecret, openUserSecret, sealUserSecret, verifyTotp } from './totp.js';

type Outcome<T> = { ok: true; value: T } | { ok: false; lockedUntil: Date | null; ended: boolean };

function expectStage(session: SessionInfo | null, stage: 'mfa' | 'enroll'): SessionInfo {
  if (!session) throw new UnauthorizedError('Sign in with your email and password first.');
  if (session.stage !== stage) {
    throw new ConflictError(
      session.stage === 'full'
        ? 'You are already signed in.'
        : stage === 'mfa'
          ? 'This account has no second factor yet: confirm the new one at POST /api/auth/mfa/enroll.'
          : 'This account already has a second factor: send a code to POST /api/auth/mfa.',
      { stage: session.stage, allowedActions: [session.stage === 'mfa' ? 'mfa' : 'enroll'] },
    );
  }
  return session;
}

function refuse(outcome: { lockedUntil: Date | null; ended: boolean }, now: Date): never {
  if (outcome.lockedUntil) {
    const seconds = lockedForSeconds({ lockedUntil: outcome.lockedUntil }, now);
    throw new TooManyRequestsError(
      `Too many failed attempts: this account is locked. Try again in ${Math.ceil(seconds / 60)} minutes.`,
      seconds,
    );
  }
  if (outcome.ended) throw new UnauthorizedError('Too many wrong codes. Sign in again.');
  throw new UnauthorizedError('That code is not right. Check the time on your phone and try again.');
}

/** A wrong code: count it on the session and the account; end the session at the fifth. */
async function wrongCode(
  services: Services,
  meta: RequestMeta,
  user: UserRow,
  session: SessionInfo,
  kind: 'totp' | 'totp_replayed' | 'recovery_code' | 'enrolment',
): Promise<never> {
  const outcome = await inTransaction(
    services,
    meta,
    toActor(user),
    async (ctx) => {
      const [row] = await ctx.tx
        .update(sessions)
        .set({ mfaFailures: sql`${sessions.mfaFailures} + 1` })
        .where(eq(sessions.tokenHash, session.tokenHash))
        .returning({ failures: sessions.mfaFailures });
      const lockedUntil = await recordCountedFailure(ctx, user.id, {
        type: 'auth.mfa_failed',
        data: { reason: 'bad_code', userId: user.id, kind },
      });
      const ended = lockedUntil !== null || (row?.failures ?? MAX_FAILURES) >= MAX_FAILURES;
      if (ended) await revokeSession(ctx.tx, session.tokenHash, ctx.now);
      return { lockedUntil, ended };
    },
    { practiceId: user.practiceId },
  );
  refuse(outcome, services.now());
}

async function loadActiveUser(services: Services, session: SessionInfo): Promise<UserRow> {
  const [user] = await services.database.db.select().from(users).where(eq(users.id, session.userId));
  if (!user?.active) throw new UnauthorizedError('Sign in with your email and password first.');
  return user;
}

export async function verifySecondFactor(
  services: Services,
  meta: RequestMeta,
  current: SessionInfo | null,
  code: string,
): Promise<IssuedSession> {
  const session = expectStage(current, 'mfa');
  const user = await loadActiveUser(services, session);
  const now = services.now();
  if (lockedForSeconds(user, now) > 0) refuse({ lockedUntil: user.lockedUntil, ended: true }, now);
  if (!user.mfaSecretEnc) throw new ConflictError('This account has no second factor yet. Sign in again.');
  const secret = openUserSecret(services.config.masterKey, user.id, user.mfaSecretEnc);
  const totp = looksLikeTotp(code);
  const step = totp ? verifyTotp(secret, code, now) : null;
  if (totp && step === null) return wrongCode(services, meta, user, session, 'totp');
  const outcome: Outcome<IssuedSession> = await inTransaction(services, meta, toActor(user), async (ctx) => {
    let remaining: number | null = null;
    if (step !== null) {
      // A code is good once: the same (or an older) time step is a replay.
      const fresh = await ctx.tx
        .update(users)
        .set({ mfaLastStep: step })
        .where(and(eq(users.id, user.id), or(isNull(users.mfaLastStep), lt(users.mfaLastStep, step))))
        .returning({ id: users.id });
      if (fresh.length === 0) return { ok: false, lockedUntil: null, ended: false };
    }
    if (!totp) {
      remaining = await consumeRecoveryCode(ctx.tx, user.id, code, ctx.now);
      if (remaining === null) return { ok: false, lockedUntil: null, ended: false };
    }
    const issued = await rotateToFull(ctx.tx, session.tokenHash, ctx.now);
    await ctx.tx.update(users).set({ lastLoginAt: ctx.now, failedLogins: 0 }).where(eq(users.id, user.id));
    record(ctx, { type: 'auth.mfa_succeeded', data: { method: totp ? 'totp' : 'recovery_code' } });
    if (!totp) record(ctx, { type: 'auth.recovery_code_used', data: { remaining } });
    return { ok: true, value: issued };
  });
  if (!outcome.ok) return wrongCode(services, meta, user, session, totp ? 'totp_replayed' : 'recovery_code');
  return outcome.value;
}

export async function confirmEnrolment(
  services: Services,
  meta: RequestMeta,
  current: SessionInfo | null,
  code: string,
): Promise<IssuedSession & { recoveryCodes: string[] }> {
  const session = expectStage(current, 'enroll');
  const user = await loadActiveUser(services, session);
  const [row] = await services.database.db
    .select({ sealed: sessions.pendingMfaSecretEnc })
    .from(sessions)
    .where(eq(sessions.tokenHash, session.tokenHash));
  if (!row?.sealed) throw new UnauthorizedError('Sign in with your email and password first.');
  const secret = openPendingSecret(services.config.masterKey, user.id, row.sealed);
  const step = verifyTotp(secret, code, services.now());
  if (step === null) return wrongCode(services, meta, user, session, 'enrolment');
  return inTransaction(services, meta, toActor(user), async (ctx) => {
    const locked = await lockUser(ctx.tx, user.id);
    if (!locked || locked.mfaSecretEnc) {
      throw new ConflictError('A second factor was set up for this account meanwhile. Sign in again.');
    }
    await ctx.tx
      .update(users)
      .set({
        mfaSecretEnc: sealUserSecret(services.config.masterKey, user.id, secret),
        mfaEnrolledAt: ctx.now,
        // The enrolment code is spent too: it cannot be replayed for the next sign-in.
        mfaLastStep: step,
        lastLoginAt: ctx.now,
        failedLogins: 0,
      })
      .where(eq(users.id, user.id));
    const recoveryCodes = await replaceRecoveryCodes(ctx.tx, user.id, ctx.now);
    const issued = await rotateToFull(ctx.tx, session.tokenHash, ctx.now);
    record(ctx, { type: 'auth.mfa_enrolled', data: { recoveryCodes: recoveryCodes.length } });
    return { ...issued, recoveryCodes };
  });
}
