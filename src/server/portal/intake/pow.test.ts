// The form's proof of work: zero bits counted exactly, a solution checked for signature, expiry and
// work, and the difficulty bound inside the signed challenge (lowering it breaks the signature).
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSolution, issueChallenge, leadingZeroBits, POW_TTL_MS, solveChallenge } from './pow.js';

const key = randomBytes(32);
const now = new Date('2026-11-28T12:00:00Z');

describe('proof of work', () => {
  it.each([
    ['00ff', 8],
    ['0000', 16],
    ['80', 0],
    ['40', 1],
    ['01', 7],
    ['0001', 15],
  ])('%s starts with %i zero bits', (hex, bits) => {
    expect(leadingZeroBits(Buffer.from(hex, 'hex'))).toBe(bits);
  });

  it('a solved challenge passes; forged, lowered, unsolved and expired ones do not', () => {
    const c = issueChallenge(key, now, 8);
    const nonce = solveChallenge(c.challenge, c.difficulty);
    const digest = createHash('sha256').update(`${c.challenge}:${nonce}`).digest();
    expect(leadingZeroBits(digest)).toBeGreaterThanOrEqual(8);
    expect(checkSolution(key, { challenge: c.challenge, nonce }, now)).toMatchObject({ ok: true });
    expect(checkSolution(randomBytes(32), { challenge: c.challenge, nonce }, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const [id, exp, , mac] = c.challenge.split('.');
    expect(checkSolution(key, { challenge: `${id}.${exp}.0.${mac}`, nonce: '0' }, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(`${c.challenge}:${wrong}`).digest()) >= 8) wrong++;
    expect(checkSolution(key, { challenge: c.challenge, nonce: String(wrong) }, now)).toEqual({
      ok: false,
      reason: 'unsolved',
    });
    const later = new Date(now.getTime() + POW_TTL_MS);
    expect(checkSolution(key, { challenge: c.challenge, nonce }, later)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(checkSolution(key, { challenge: 'not.a.challenge', nonce }, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});
