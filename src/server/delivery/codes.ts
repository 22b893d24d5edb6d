// The secrets of a secure link (rule REL-2): a random token of 256 bits in the link (only its
// SHA-256 is stored), a 6-digit confirmation code sent to the recipient's address, a 6-digit code
// read out by phone for a third party, and a short-lived download grant once the codes are right.
// Codes are short, so they are stored as an HMAC under a key derived from the master key: a copy
// of the database alone cannot try the million codes offline.
import { createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../auth/tokens.js';
import { masterKeyRing } from '../crypto/seal.js';

export const TOKEN_BYTES = 32;
export const CODE_DIGITS = 6;
/** Wrong codes in a row before the link locks (support can send a new one). */
export const MAX_CODE_ATTEMPTS = 5;
/** How long a confirmed recipient has to start the download. */
export const GRANT_MINUTES = 15;
export const DEFAULT_EXPIRY_DAYS = 30;
export const DEFAULT_MAX_DOWNLOADS = 5;

export const newLinkToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');
export const newGrant = (): string => randomBytes(TOKEN_BYTES).toString('base64url');
export const tokenHash = (token: string): string => sha256Hex(token);

export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

function codeKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'release-desk link-code v1', 32));
}

/** The stored form of a code, bound to its link and its use ('email', 'phone', 'dob'). */
export function codeHash(masterKey: Buffer, linkId: string, use: string, code: string): string {
  return createHmac('sha256', codeKey(masterKey)).update(`${linkId}:${use}:${code.trim()}`).digest('hex');
}

export function codeMatches(
  masterKey: Buffer,
  linkId: string,
  use: string,
  code: string,
  stored: string,
): boolean {
  const b = Buffer.from(stored, 'hex');
  // A code sent before a key rotation was hashed with the previous master key (keys rotate).
  return masterKeyRing(masterKey).some((key) => {
    const a = Buffer.from(codeHash(key, linkId, use, code), 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

/** A token as it may appear in a URL: base64url of 32 bytes. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
