import { createHash } from 'node:crypto';
import type pg from 'pg';

export class KeyMismatchError extends Error {}

export function fingerprint(key: Buffer): string {
  return createHash('sha256').update('release-desk key fingerprint\0').update(key).digest('hex').slice(0, 32);
}

/**
 * The database remembers the fingerprint of each key kept outside it; a different key (a wrong
 * file, a second instance configured differently) is refused at boot instead of corrupting data.
 */
export async function checkKeyFingerprints(pool: pg.Pool, keys: Record<string, Buffer>): Promise<void> {
  for (const [purpose, key] of Object.entries(keys)) {
    const fp = fingerprint(key);
    await pool.query(
      'insert into instance_keys (purpose, fingerprint) values ($1, $2) on conflict (purpose) do nothing',
      [purpose, fp],
    );
    const { rows } = await pool.query<{ purpose: string; fingerprint: string }>(
      'select purpose, fingerprint from instance_keys where purpose = $1 or purpose = $2',
      [purpose, `${purpose}:next`],
    );
    const current = rows.find((r) => r.purpose === purpose);
    // `keys rotate` in progress: the key being rotated to is accepted too (the instance keeps the
    // old one as its previous key for reading); once the rotation ends only the new one is.
    const next = rows.find((r) => r.purpose === `${purpose}:next`);
    if (current?.fingerprint !== fp && next?.fingerprint !== fp) {
      throw new KeyMismatchError(
        `The ${purpose} key given to this instance is not the one this database was set up with ` +
          `(expected fingerprint ${current?.fingerprint}, got ${fp}). Use the same key on every instance.`,
      );
    }
  }
}
