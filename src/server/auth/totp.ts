// rule SEC-1: the second factor is a TOTP code (RFC 6238: 6 digits, 30 s, SHA-1, as every
// authenticator app expects). Seeds are sealed with a key derived from the master key, bound to
// the user (enrolled) or to the enrolment in progress (pending), never stored in clear.
import * as OTPAuth from 'otpauth';
import { deriveKey, seal, unsealWithRing } from '../crypto/seal.js';

const ISSUER = 'Release Desk';
const PERIOD = 30;
const DIGITS = 6;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function otpauthUrl(secretBase32: string, email: string, practiceName: string): string {
  return new OTPAuth.TOTP({
    issuer: `${ISSUER} (${practiceName})`,
    label: email,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    digits: DIGITS,
    period: PERIOD,
  }).toString();
}

export function looksLikeTotp(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}

/**
 * Accepts the current code and its neighbours (±30 s of clock drift). Returns the time step the
 * code belongs to (so the caller can refuse a replay of the same code), or null.
 */
export function verifyTotp(secretBase32: string, code: string, now: Date): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secretBase32),
    digits: DIGITS,
    period: PERIOD,
  });
  const delta = totp.validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

const userAad = (userId: string) => `user:${userId}`;
const pendingAad = (userId: string) => `enrol:${userId}`;

export function sealUserSecret(masterKey: Buffer, userId: string, secretBase32: string): Buffer {
  return seal(deriveKey(masterKey, 'mfa-secret'), Buffer.from(secretBase32), userAad(userId));
}

export function openUserSecret(masterKey: Buffer, userId: string, sealed: Buffer): string {
  return unsealWithRing(masterKey, 'mfa-secret', sealed, userAad(userId)).toString();
}

export function sealPendingSecret(masterKey: Buffer, userId: string, secretBase32: string): Buffer {
  return seal(deriveKey(masterKey, 'mfa-secret'), Buffer.from(secretBase32), pendingAad(userId));
}

export function openPendingSecret(masterKey: Buffer, userId: string, sealed: Buffer): string {
  return unsealWithRing(masterKey, 'mfa-secret', sealed, pendingAad(userId)).toString();
}
