// What "nothing changed" means for the hostile-input tests: a fingerprint of every table but the
// audit log (row count and an order-free sum of row hashes), and the audit rows written since a
// mark, so a refused request can be shown to have left only its refusal behind (rule SEC-3).
import type { TestApp } from '../../support/app.js';

export interface Fingerprint {
  /** table → "count:hashsum" */
  tables: Record<string, string>;
  auditMaxId: number;
}

/**
 * Tables whose rows a refused request may touch by design, left out of the content comparison
 * (their row counts still count): a staff session's last-seen time moves on any request.
 */
const CONTENT_VOLATILE = new Set(['sessions']);

/**
 * Columns a refused request changes by design, left out of their table's content: a wrong
 * password (sign-in, password change) counts towards the account's lockout (SEC-1).
 */
const VOLATILE_COLUMNS: Record<string, string[]> = { users: ['failed_logins', 'locked_until'] };

/**
 * Tables left out altogether: the rate limits' counts (http/rate-limit-store.ts) move on every
 * request to a limited route, refused or not, and hold nothing but keyed hashes and counts.
 */
const IGNORED = ['rate_limit_counters'];

let cachedTables: string[] | null = null;

async function tableNames(t: TestApp): Promise<string[]> {
  if (cachedTables) return cachedTables;
  const { rows } = await t.running.services.database.pool.query<{ name: string }>(
    `select quote_ident(schemaname) || '.' || quote_ident(tablename) as name from pg_tables
      where schemaname in ('public', 'pgboss') and tablename not in ('audit_events', 'version', 'archive')
        and not (schemaname = 'public' and tablename = any($1::text[]))
      order by 1`,
    [IGNORED],
  );
  cachedTables = rows.map((r) => r.name);
  return cachedTables;
}

export async function fingerprint(t: TestApp): Promise<Fingerprint> {
  const names = await tableNames(t);
  const parts = names.map((n) => {
    const plain = n.replace(/^public\./, '').replaceAll('"', '');
    const drop = (VOLATILE_COLUMNS[plain] ?? []).map((c) => ` - '${c}'`).join('');
    const content = CONTENT_VOLATILE.has(plain)
      ? '0'
      : `coalesce(sum(hashtext((to_jsonb(x)${drop})::text)::bigint), 0)`;
    return `select '${n.replaceAll("'", "''")}' as t, count(*)::text || ':' || ${content}::text as f from ${n} x`;
  });
  const { rows } = await t.running.services.database.pool.query<{ t: string; f: string }>(
    parts.join(' union all '),
  );
  const audit = await t.running.services.database.pool.query<{ m: number }>(
    'select coalesce(max(id), 0)::int as m from audit_events',
  );
  return { tables: Object.fromEntries(rows.map((r) => [r.t, r.f])), auditMaxId: audit.rows[0]?.m ?? 0 };
}

/** Tables whose fingerprint differs between two marks. */
export function changedTables(a: Fingerprint, b: Fingerprint): string[] {
  return Object.keys({ ...a.tables, ...b.tables }).filter((k) => a.tables[k] !== b.tables[k]);
}

/** The audit rows written after a mark: their types (with counts). */
export async function auditSince(
  t: TestApp,
  mark: Fingerprint,
): Promise<{ id: number; type: string; actorId: string | null; data: Record<string, unknown> }[]> {
  const { rows } = await t.running.services.database.pool.query<{
    id: number;
    type: string;
    actorId: string | null;
    data: Record<string, unknown>;
  }>(`select id::int as id, type, actor_id as "actorId", data from audit_events where id > $1 order by id`, [
    mark.auditMaxId,
  ]);
  return rows;
}
