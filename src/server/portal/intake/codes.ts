// The emailed 6-digit code that proves the requester reads the address they gave (issue 7). Stored
// as an HMAC bound to its row (never the code), good for CODE_TTL_MINUTES, rate-limited by address
// and by IP (counted from the rows themselves, so every instance agrees), locked after
// MAX_CODE_ATTEMPTS wrong tries. A wrong code is counted in the transaction that answers it.
import { createHmac, hkdfSync, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, count, desc, eq, gt } from 'drizzle-orm';
import { masterKeyRing } from '../../crypto/seal.js';
import type { Db } from '../../db/connect.js';
import { portalIntakeCodes } from '../../db/schema-portal-intake.js';

export const CODE_TTL_MINUTES = 15;
export const MAX_CODE_ATTEMPTS = 5;
/** Codes one address may be sent per hour, and one IP may ask for per hour. */
export const CODES_PER_ADDRESS_PER_HOUR = 3;
export const CODES_PER_IP_PER_HOUR = 10;
const HOUR_MS = 3_600_000;

function key(masterKey: Buffer, use: string): Buffer {
  return Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), `release-desk portal-intake ${use} v1`, 32),
  );
}

/** The address as stored: an HMAC, enough to count and find its codes, never to read it back. */
export function emailHash(masterKey: Buffer, email: string): string {
  return createHmac('sha256', key(masterKey, 'email')).update(email.trim().toLowerCase()).digest('hex');
}

function codeHash(masterKey: Buffer, rowId: string, code: string): string {
  return createHmac('sha256', key(masterKey, 'code')).update(`${rowId}:${code}`).digest('hex');
}

function codeMatches(masterKey: Buffer, rowId: string, code: string, stored: string): boolean {
  const b = Buffer.from(stored, 'hex');
  return masterKeyRing(masterKey).some((k) => {
    const a = Buffer.from(codeHash(k, rowId, code), 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

export type RateCheck = { ok: true } | { ok: false; limit: 'address' | 'ip' };

export async function codeRateCheck(
  tx: Db,
  input: { practiceId: string; emailHash: string; ip: string | null; now: Date },
): Promise<RateCheck> {
  const since = new Date(input.now.getTime() - HOUR_MS);
  const [byAddress] = await tx
    .select({ n: count() })
    .from(portalIntakeCodes)
    .where(
      and(
        eq(portalIntakeCodes.practiceId, input.practiceId),
        eq(portalIntakeCodes.emailHash, input.emailHash),
        gt(portalIntakeCodes.createdAt, since),
      ),
    );
  if ((byAddress?.n ?? 0) >= CODES_PER_ADDRESS_PER_HOUR) return { ok: false, limit: 'address' };
  if (input.ip) {
    const [byIp] = await tx
      .select({ n: count() })
      .from(portalIntakeCodes)
      .where(and(eq(portalIntakeCodes.ip, input.ip), gt(portalIntakeCodes.createdAt, since)));
    if ((byIp?.n ?? 0) >= CODES_PER_IP_PER_HOUR) return { ok: false, limit: 'ip' };
  }
  return { ok: true };
}

/** A new code row; the code itself is returned once, for the email, and kept nowhere. */
export async function issueCode(
  tx: Db,
  masterKey: Buffer,
  input: { practiceId: string; emailHash: string; ip: string | null; now: Date },
): Promise<{ id: string; code: string; expiresAt: Date }> {
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const expiresAt = new Date(input.now.getTime() + CODE_TTL_MINUTES * 60_000);
  await tx.insert(portalIntakeCodes).values({
    id,
    practiceId: input.practiceId,
    emailHash: input.emailHash,
    codeHash: codeHash(masterKey, id, code),
    ip: input.ip,
    createdAt: input.now,
    expiresAt,
  });
  return { id, code, expiresAt };
}

export type CodeCheck =
  | { ok: true; id: string }
  | { ok: false; reason: 'none' | 'expired' | 'used' | 'locked' | 'wrong'; locked?: boolean };

/**
 * Check a code against the address's latest code, its row locked. A wrong code is counted (and the
 * code locked at the limit) here; the caller commits that even though it refuses the submission.
 */
export async function checkCode(
  tx: Db,
  masterKey: Buffer,
  input: { practiceId: string; emailHash: string; code: string; now: Date },
): Promise<CodeCheck> {
  const [row] = await tx
    .select()
    .from(portalIntakeCodes)
    .where(
      and(
        eq(portalIntakeCodes.practiceId, input.practiceId),
        eq(portalIntakeCodes.emailHash, input.emailHash),
      ),
    )
    .orderBy(desc(portalIntakeCodes.createdAt))
    .limit(1)
    .for('update');
  if (!row) return { ok: false, reason: 'none' };
  if (row.usedAt) return { ok: false, reason: 'used' };
  if (row.lockedAt) return { ok: false, reason: 'locked' };
  if (row.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: 'expired' };
  if (!codeMatches(masterKey, row.id, input.code, row.codeHash)) {
    const locked = await countFailure(tx, row.id, row.attempts, input.now);
    return { ok: false, reason: 'wrong', locked };
  }
  return { ok: true, id: row.id };
}

/** One more failed try on a code; true when that locked it. */
export async function countFailure(tx: Db, id: string, attempts: number, now: Date): Promise<boolean> {
  const next = attempts + 1;
  const locked = next >= MAX_CODE_ATTEMPTS;
  await tx
    .update(portalIntakeCodes)
    .set({ attempts: next, lockedAt: locked ? now : null })
    .where(eq(portalIntakeCodes.id, id));
  return locked;
}

export async function spendCode(tx: Db, id: string, requestId: string, now: Date): Promise<void> {
  await tx.update(portalIntakeCodes).set({ usedAt: now, requestId }).where(eq(portalIntakeCodes.id, id));
}

export async function attemptsOf(tx: Db, id: string): Promise<number> {
  const [row] = await tx
    .select({ attempts: portalIntakeCodes.attempts })
    .from(portalIntakeCodes)
    .where(eq(portalIntakeCodes.id, id));
  return row?.attempts ?? 0;
}
