// rule SEC-1: passwords hashed with argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane).
import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id; the package's const enum cannot be imported under verbatimModuleSyntax.
const ARGON2ID = 2;

const PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Spend the same time as a real check when the account does not exist (no user enumeration). */
const DUMMY = hash('release-desk-dummy-password', PARAMS);
export async function burnPasswordCheck(password: string): Promise<void> {
  await verifyPassword(await DUMMY, password);
}

export const MIN_PASSWORD_LENGTH = 12;
