// Seeding the shipped packs (rule TIME-3): insert … on conflict do nothing, so several instances
// booting at once, or a retry, never duplicate a version, and a published version is never
// overwritten (the table's trigger rejects UPDATE and DELETE anyway).
import type pg from 'pg';
import { rulePackDataSchema } from '../../../shared/rule-packs.js';
import { SHIPPED_PACKS } from './index.js';

/** Databases known to hold every shipped version (rows can never be deleted, so this stays true). */
const seeded = new WeakSet<pg.Pool>();

export interface SeedOptions {
  /**
   * At boot: seed only a database already in use (one with a practice). A new, empty database stays
   * empty, so a backup can still be restored into it; the packs are then seeded when first needed.
   */
  onlyIfInUse?: boolean;
}

/** Insert the shipped versions that are absent; returns how many were inserted. */
export async function seedShippedRulePacks(pool: pg.Pool, opts: SeedOptions = {}): Promise<number> {
  if (seeded.has(pool)) return 0;
  if (opts.onlyIfInUse) {
    const { rows } = await pool.query<{ used: boolean }>('select exists (select 1 from practices) as used');
    if (!rows[0]?.used) return 0;
  }
  let inserted = 0;
  for (const pack of SHIPPED_PACKS) {
    // Shipped data satisfies the same contract as a version a privacy officer adds.
    const data = rulePackDataSchema.parse(pack.data);
    const res = await pool.query(
      `insert into rule_packs (practice_id, jurisdiction, version, effective_from, data, notes)
       values (null, $1, $2, $3, $4, $5)
       on conflict do nothing`,
      [pack.jurisdiction, pack.version, pack.effectiveFrom, JSON.stringify(data), pack.notes],
    );
    inserted += res.rowCount ?? 0;
  }
  seeded.add(pool);
  return inserted;
}
