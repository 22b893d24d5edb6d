// Proof of work for the public form (issue 7, abuse without third parties): the server issues a
// challenge (a random id, an expiry and a difficulty, HMAC-signed, so the server keeps nothing until
// it is spent); the browser finds a nonce such that SHA-256(challenge + ":" + nonce) starts with
// `difficulty` zero bits (~16k hashes on average: well under a second with Web Crypto). A challenge
// is good once: spending it inserts its id, and a second insert finds it there.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { lt } from 'drizzle-orm';
import type { PowChallenge, PowSolution } from '../../../shared/schemas/portal-intake.js';
import type { Db } from '../../db/connect.js';
import { portalIntakeSpentChallenges } from '../../db/schema-portal-intake.js';

export const POW_DIFFICULTY = 14;
export const POW_TTL_MS = 10 * 60_000;

function powKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'release-desk portal-pow v1', 32));
}

const sign = (masterKey: Buffer, payload: string): string =>
  createHmac('sha256', powKey(masterKey)).update(payload).digest('base64url');

export function issueChallenge(masterKey: Buffer, now: Date, difficulty = POW_DIFFICULTY): PowChallenge {
  const expiresAt = new Date(now.getTime() + POW_TTL_MS);
  const payload = `${randomBytes(16).toString('base64url')}.${expiresAt.getTime()}.${difficulty}`;
  return {
    challenge: `${payload}.${sign(masterKey, payload)}`,
    difficulty,
    expiresAt: expiresAt.toISOString(),
  };
}

/** Leading zero bits of a digest. */
export function leadingZeroBits(digest: Buffer): number {
  let bits = 0;
  for (const byte of digest) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** For tests and tools: the first nonce that solves a challenge. */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let n = 0; ; n++) {
    const d = createHash('sha256').update(`${challenge}:${n}`).digest();
    if (leadingZeroBits(d) >= difficulty) return String(n);
  }
}

export type PowCheck =
  | { ok: true; id: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'unsolved' };

/** Stateless part: signed by us, not expired, solved. (Single use is `spendChallenge`, in the transaction.) */
export function checkSolution(masterKey: Buffer, solution: PowSolution, now: Date): PowCheck {
  const parts = solution.challenge.split('.');
  if (parts.length !== 4) return { ok: false, reason: 'malformed' };
  const [id, exp, diff, mac] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(masterKey, `${id}.${exp}.${diff}`));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'forged' };
  const expiresAt = new Date(Number(exp));
  if (!(expiresAt.getTime() > now.getTime())) return { ok: false, reason: 'expired' };
  const digest = createHash('sha256').update(`${solution.challenge}:${solution.nonce}`).digest();
  if (leadingZeroBits(digest) < Number(diff)) return { ok: false, reason: 'unsolved' };
  return { ok: true, id, expiresAt };
}

/** Mark the challenge spent; false when it already was (a replay). Old rows are pruned on the way. */
export async function spendChallenge(tx: Db, id: string, expiresAt: Date, now: Date): Promise<boolean> {
  await tx.delete(portalIntakeSpentChallenges).where(lt(portalIntakeSpentChallenges.expiresAt, now));
  const rows = await tx
    .insert(portalIntakeSpentChallenges)
    .values({ id, spentAt: now, expiresAt })
    .onConflictDoNothing()
    .returning({ id: portalIntakeSpentChallenges.id });
  return rows.length === 1;
}
