// Sessions live in PostgreSQL so they can be revoked (issue 2 "Accounts and access", rule SEC-4).
// The cookie carries a random token; the table keeps only its SHA-256. A session is 'mfa' or
// 'enroll' while the second factor is pending (short-lived) and 'full' once signed in; moving to
// 'full' rotates the token, so a token seen before the second factor is worthless after it.
import { and, eq, isNull } from 'drizzle-orm';
import { isRole } from '../../shared/roles.js';
import type { Actor, RequestMeta } from '../context.js';
import type { Db } from '../db/connect.js';
import { sessions, users } from '../db/schema.js';
import { newToken, sha256Hex } from './tokens.js';

export const SESSION_COOKIE = 'rd_session';
/** Absolute lifetime of a signed-in session. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** How long the second-factor step may take. */
export const PENDING_LIFETIME_MS = 10 * 60 * 1000;
/** last_seen_at is written at most this often (the idle timeout is minutes). */
export const TOUCH_INTERVAL_MS = 30 * 1000;

export type SessionStage = 'mfa' | 'enroll' | 'full';

export interface IssuedSession {
  token: string;
  tokenHash: string;
  csrfToken: string;
}

export function hashSessionToken(token: string): string {
  return sha256Hex(token);
}

export async function createSession(
  tx: Db,
  input: {
    userId: string;
    practiceId: string;
    stage: SessionStage;
    now: Date;
    meta: RequestMeta;
    pendingMfaSecretEnc?: Buffer | null;
  },
): Promise<IssuedSession> {
  const token = newToken();
  const csrfToken = newToken();
  const tokenHash = hashSessionToken(token);
  const lifetime = input.stage === 'full' ? SESSION_LIFETIME_MS : PENDING_LIFETIME_MS;
  await tx.insert(sessions).values({
    tokenHash,
    userId: input.userId,
    practiceId: input.practiceId,
    stage: input.stage,
    csrfToken,
    pendingMfaSecretEnc: input.pendingMfaSecretEnc ?? null,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + lifetime),
  });
  return { token, tokenHash, csrfToken };
}

/** Promote a pending session to 'full' under a new token and CSRF token (the old token dies). */
export async function rotateToFull(tx: Db, tokenHash: string, now: Date): Promise<IssuedSession> {
  const token = newToken();
  const csrfToken = newToken();
  const next = hashSessionToken(token);
  const rows = await tx
    .update(sessions)
    .set({
      tokenHash: next,
      stage: 'full',
      csrfToken,
      pendingMfaSecretEnc: null,
      mfaFailures: 0,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
    })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  if (rows.length !== 1) throw new Error('session to rotate is gone');
  return { token, tokenHash: next, csrfToken };
}

/** Returns true when this call ended the session (false: it was already over). */
export async function revokeSession(tx: Db, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now, pendingMfaSecretEnc: null })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  return rows.length === 1;
}

export async function revokeUserSessions(tx: Db, userId: string, now: Date): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now, pendingMfaSecretEnc: null })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  return rows.length;
}

export interface FoundSession {
  tokenHash: string;
  userId: string;
  practiceId: string;
  stage: SessionStage;
  csrfToken: string;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  user: Actor;
}

/** One query per request: the session and its user. */
export async function findSession(db: Db, tokenHash: string): Promise<FoundSession | null> {
  const [row] = await db
    .select({
      tokenHash: sessions.tokenHash,
      userId: sessions.userId,
      practiceId: sessions.practiceId,
      stage: sessions.stage,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      name: users.name,
      email: users.email,
      roles: users.roles,
      active: users.active,
      isDemo: users.isDemo,
      userPractice: users.practiceId,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  if (!row) return null;
  return {
    tokenHash: row.tokenHash,
    userId: row.userId,
    practiceId: row.practiceId,
    stage: row.stage as SessionStage,
    csrfToken: row.csrfToken,
    lastSeenAt: row.lastSeenAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    user: {
      id: row.userId,
      practiceId: row.userPractice,
      name: row.name,
      email: row.email,
      roles: row.roles.filter(isRole),
      active: row.active,
      isDemo: row.isDemo,
    },
  };
}

export async function touchSession(db: Db, tokenHash: string, now: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
}
