// rule SEC-4: encryption at rest with AES-256-GCM. Small secrets (TOTP seeds) are sealed directly
// with a key derived from the master key; files get their own random key, wrapped the same way.
// The associated data binds a ciphertext to its row, so a sealed value copied to another row fails.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type Purpose =
  | 'mfa-secret'
  | 'file-key'
  | 'inbound-mail'
  | 'outbound-mail'
  | 'link-code'
  | 'draft-content';

export function deriveKey(masterKey: Buffer, purpose: Purpose): Buffer {
  return Buffer.from(
    hkdfSync('sha256', masterKey, Buffer.alloc(0), `release-desk ${purpose} v${VERSION}`, 32),
  );
}

/** [version(1) | iv(12) | tag(16) | ciphertext] */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function unseal(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION)
    throw new Error('not a sealed value');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
}

// Key rotation (`release-desk keys rotate`): while a rotation runs, rows are wrapped by either the
// old or the new master key. An instance is given the new key as its master key (every write uses
// it) and the old one as a previous key; readers try the master key first, then the previous ones.
// AES-GCM authenticates the key too, so a wrong key fails like a tampered ciphertext: trying the
// next key is safe, and a tampered value is refused by every key.
const previousKeys = new Map<string, Buffer[]>();
const keyId = (key: Buffer) => key.toString('hex');

/** Register the keys that still open values written before a rotation, for this master key. */
export function registerPreviousMasterKeys(masterKey: Buffer, previous: readonly Buffer[]): void {
  const others = previous.filter((k) => !k.equals(masterKey));
  if (others.length === 0) previousKeys.delete(keyId(masterKey));
  else previousKeys.set(keyId(masterKey), others);
}

/** The master key, then the previous keys registered for it. */
export function masterKeyRing(masterKey: Buffer): Buffer[] {
  return [masterKey, ...(previousKeys.get(keyId(masterKey)) ?? [])];
}

/** unseal with the first key that authenticates; throws when none does. */
export function unsealAny(keys: readonly Buffer[], sealed: Buffer, aad: string): Buffer {
  let last: unknown = new Error('no key');
  for (const key of keys) {
    try {
      return unseal(key, sealed, aad);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/** unseal a value sealed with a key derived from any key of the master key's ring. */
export function unsealWithRing(masterKey: Buffer, purpose: Purpose, sealed: Buffer, aad: string): Buffer {
  return unsealAny(
    masterKeyRing(masterKey).map((k) => deriveKey(k, purpose)),
    sealed,
    aad,
  );
}
