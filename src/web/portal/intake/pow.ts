// The form's proof of work, solved in the background with Web Crypto: the first nonce such that
// SHA-256(challenge + ":" + nonce) starts with `difficulty` zero bits. Digests are asked for in
// batches, so the browser's crypto threads work in parallel (a few thousand hashes per batch).
import type { PowChallenge, PowSolution } from '../../../shared/schemas/portal-intake';

const BATCH = 1024;

function zeroBits(digest: ArrayBuffer): number {
  const bytes = new Uint8Array(digest);
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export async function solvePow(c: PowChallenge): Promise<PowSolution> {
  const encoder = new TextEncoder();
  for (let start = 0; ; start += BATCH) {
    const digests = await Promise.all(
      Array.from({ length: BATCH }, (_, i) =>
        crypto.subtle.digest('SHA-256', encoder.encode(`${c.challenge}:${start + i}`)),
      ),
    );
    const found = digests.findIndex((d) => zeroBits(d) >= c.difficulty);
    if (found !== -1) return { challenge: c.challenge, nonce: String(start + found) };
  }
}
