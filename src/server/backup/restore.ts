// `restore <file>`: load a checked backup into a new, empty database (migrated by boot) in one
// transaction: never into live data, only with the keys the backed-up database was set up with.
// Rows go in file order (parents before children) as batched inserts typed by the catalog, so every
// value is read by PostgreSQL itself; then sequences are moved past the restored ids and the audit
// chains are verified with the audit key.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { type VerifyResult, verifyChains } from '../audit/chain.js';
import type { Services } from '../context.js';
import { fingerprint } from '../db/keys.js';
import { ident, qualified, readCatalog, type Table } from './catalog.js';
import {
  BackupError,
  type BackupHeader,
  isTrailerLine,
  parseRowLine,
  type VerifiedBackup,
} from './format.js';
import { sealedLines } from './sealed-stream.js';

export interface RestoreResult {
  tables: Record<string, number>;
  chain: VerifyResult;
}

const BATCH_ROWS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;
const KEYS_HELP =
  'Restore with the master key of the installation the backup came from (the audit key comes from the backup): ' +
  'copy its secrets/master.key into the new data directory before its first start, or set RELEASE_DESK_MASTER_KEY(_FILE); ' +
  "leave RELEASE_DESK_AUDIT_KEY unset or set it to that installation's audit key.";

export async function restoreBackup(services: Services, backup: VerifiedBackup): Promise<RestoreResult> {
  const { header } = backup;
  const configured = { master: services.config.masterKey, audit: services.config.auditKey };
  const pool = services.database.pool;
  const client = await pool.connect();
  let restored: Record<string, number>;
  try {
    await client.query('begin');
    await client.query("set local lock_timeout = '15s'");
    const tables = await readCatalog(client);
    const byName = new Map(tables.map((t) => [t.name, t]));
    await checkMigration(client, header);
    checkShape(header, byName);
    // Nobody writes while we check that the database is empty and fill it.
    await client.query(`lock table ${tables.map((t) => qualified(t.name)).join(', ')} in exclusive mode`);
    await checkEmpty(client, tables);
    checkKeys(header.keys, configured, 'the backup');
    // Boot recorded this instance's key fingerprints in the fresh database; the backup's rows replace them.
    await client.query('delete from public.instance_keys');
    restored = await insertRows(client, backup, byName, services.config.masterKey);
    const { rows } = await client.query<{ purpose: string; fingerprint: string }>(
      'select purpose, fingerprint from public.instance_keys',
    );
    checkKeys(Object.fromEntries(rows.map((r) => [r.purpose, r.fingerprint])), configured, 'the backup');
    await resetSequences(client, tables);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const chain = await verifyChains(pool, services.config.auditKey);
  return { tables: restored, chain };
}

async function checkMigration(client: pg.PoolClient, header: BackupHeader): Promise<void> {
  if (!header.migration) return;
  const { rows } = await client.query<{ n: number }>(
    'select count(*)::int as n from drizzle.__drizzle_migrations where hash = $1',
    [header.migration.hash],
  );
  if (rows[0]!.n === 0) {
    throw new BackupError(
      `The backup was made by a newer Release Desk (${header.appVersion}, migration of ${header.migration.createdAt}) ` +
        'than this one knows. Restore it with that version or a later one.',
    );
  }
}

/** Every table and column of the backup exists here, and the file's order puts parents first. */
function checkShape(header: BackupHeader, byName: Map<string, Table>): void {
  const seen = new Set<string>();
  for (const [name, count] of Object.entries(header.tables)) {
    const table = byName.get(name);
    if (!table) throw new BackupError(`The backup has a table "${name}" that this database does not have.`);
    const known = new Set(table.columns.map((c) => c.name));
    const unknown = (header.columns[name] ?? []).filter((c) => !known.has(c));
    if (unknown.length > 0) {
      throw new BackupError(
        `The backup has columns this database does not have: ${name}.${unknown.join(', ')}.`,
      );
    }
    const late = table.parents.filter((p) => !seen.has(p) && (header.tables[p] ?? 0) > 0);
    if (count > 0 && late.length > 0) {
      throw new BackupError(`The backup lists ${name} before ${late.join(', ')}, which it references.`);
    }
    seen.add(name);
  }
}

async function checkEmpty(client: pg.PoolClient, tables: Table[]): Promise<void> {
  if (tables.some((t) => t.name === 'practices')) {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from public.practices');
    if (rows[0]!.n > 0) {
      throw new BackupError(
        `This database already holds ${rows[0]!.n} practice(s). A backup is restored only into a new, empty ` +
          'database, never merged into live data. Nothing was changed.',
      );
    }
  }
  const busy: string[] = [];
  for (const t of tables) {
    if (t.name === 'instance_keys') continue;
    const { rows } = await client.query<{ any: boolean }>(
      `select exists (select 1 from ${qualified(t.name)}) as any`,
    );
    if (rows[0]!.any) busy.push(t.name);
  }
  if (busy.length > 0) {
    throw new BackupError(
      `This database is not empty (rows in ${busy.join(', ')}). Restore into a new, empty database. Nothing was changed.`,
    );
  }
}

function checkKeys(
  recorded: Record<string, string>,
  configured: Record<string, Buffer>,
  where: string,
): void {
  for (const [purpose, key] of Object.entries(configured)) {
    const fp = fingerprint(key);
    if (recorded[purpose] === undefined) {
      throw new BackupError(`${where} records no fingerprint for the ${purpose} key. Nothing was changed.`);
    }
    if (recorded[purpose] !== fp) {
      throw new BackupError(
        `The ${purpose} key given to this instance is not the one the backed-up database was set up with ` +
          `(backup: ${recorded[purpose]}, configured: ${fp}); its data could not be read. ${KEYS_HELP} Nothing was changed.`,
      );
    }
  }
}

/** One multi-row insert per batch; PostgreSQL reads each value with the column's own type. */
function insertSql(table: Table, columns: string[]): string {
  const cols = table.columns.filter((c) => columns.includes(c.name) && !c.generated);
  const values = cols.map((c) =>
    c.bytea ? `decode(x.${ident(c.name)}->>'$b64', 'base64')` : `x.${ident(c.name)}`,
  );
  const defs = cols.map((c) => `${ident(c.name)} ${c.bytea ? 'json' : c.type}`);
  return (
    `insert into ${qualified(table.name)} (${cols.map((c) => ident(c.name)).join(', ')}) overriding system value ` +
    `select ${values.join(', ')} from json_to_recordset($1::json) as x(${defs.join(', ')})`
  );
}

async function insertRows(
  client: pg.PoolClient,
  backup: VerifiedBackup,
  byName: Map<string, Table>,
  masterKey: Buffer,
): Promise<Record<string, number>> {
  const { header, trailer } = backup;
  const order = Object.keys(header.tables);
  const counts: Record<string, number> = Object.fromEntries(order.map((t) => [t, 0]));
  const hash = createHash('sha256');
  let current = -1;
  let sql = '';
  let batch: string[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const name = order[current]!;
    await client.query(sql, [`[${batch.join(',')}]`]);
    counts[name] = (counts[name] ?? 0) + batch.length;
    batch = [];
    batchBytes = 0;
  };
  let lineNo = 0;
  let sawTrailer = false;
  for await (const buf of sealedLines(backup.file, masterKey)) {
    lineNo += 1;
    if (isTrailerLine(buf)) {
      sawTrailer = lineNo === trailer.lines + 1;
      break;
    }
    hash.update(buf);
    if (lineNo === 1) continue; // the header, already read
    const { table, row } = parseRowLine(buf.toString('utf8', 0, buf.length - 1), lineNo);
    if (table !== order[current]) {
      await flush();
      const next = order.indexOf(table, current + 1);
      if (next < 0) throw new BackupError(`Line ${lineNo} of the backup is out of order (table ${table}).`);
      current = next;
      sql = insertSql(byName.get(table)!, header.columns[table] ?? []);
    }
    batch.push(row);
    batchBytes += row.length;
    if (batch.length >= BATCH_ROWS || batchBytes >= BATCH_BYTES) await flush();
  }
  await flush();
  if (!sawTrailer || hash.digest('hex') !== trailer.sha256) {
    throw new BackupError(`${backup.file} changed while it was being restored. Nothing was changed.`);
  }
  for (const name of order) {
    if (counts[name] !== header.tables[name]) {
      throw new BackupError(
        `The backup's header promises ${header.tables[name]} rows of ${name}, but it holds ${counts[name]}. Nothing was changed.`,
      );
    }
  }
  return counts;
}

/** Serial and identity columns continue after the restored ids (e.g. audit_events.id). */
async function resetSequences(client: pg.PoolClient, tables: Table[]): Promise<void> {
  for (const t of tables) {
    for (const c of t.columns) {
      if (!c.sequence) continue;
      await client.query(
        `select setval($1::regclass, (select max(${ident(c.name)}) from ${qualified(t.name)}))`,
        [c.sequence],
      );
    }
  }
}
