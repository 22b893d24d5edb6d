// `backup <file>`: one consistent snapshot (a repeatable-read, read-only transaction) of every
// application table, encrypted with a key derived from the master key (sealed-stream.ts: it holds
// health information), written to FILE.tmp (mode 0600) and renamed to FILE once complete. The app
// keeps running: its writes after the snapshot are simply not in the backup. Values are rendered by
// PostgreSQL (row_to_json) so they round-trip exactly: timestamps to the microsecond, jsonb as
// stored, bigint and numeric without float rounding.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, rename, rm } from 'node:fs/promises';
import type pg from 'pg';
import { fingerprint } from '../db/keys.js';
import { ident, qualified, readCatalog, type Table } from './catalog.js';
import {
  BackupError,
  type BackupHeader,
  type BackupTrailer,
  FORMAT,
  FORMAT_VERSION,
  rowLine,
} from './format.js';
import { SealedWriter } from './sealed-stream.js';

export interface CreateResult {
  file: string;
  bytes: number;
  sha256: string;
  header: BackupHeader;
  /** pg-boss jobs not yet done (created, retry, active): they are not in the backup. */
  unfinishedJobs: number;
}

/** Aim for about this much row data per fetch; one row per fetch for very large rows (files). */
const FETCH_BYTES = 8 * 1024 * 1024;
const MAX_FETCH = 1000;
const FLUSH_BYTES = 1024 * 1024;

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

export interface CreateOptions {
  masterKey: Buffer;
  auditKey: Buffer;
  now: Date;
  /**
   * Called with the snapshot's id (pg_export_snapshot) before any row is written out, while the
   * snapshot is held: another session can `set transaction snapshot` to it and see exactly what
   * the backup holds (the consistency test does).
   */
  onSnapshot?: (snapshotId: string) => Promise<void>;
}

export async function createBackup(pool: pg.Pool, file: string, opts: CreateOptions): Promise<CreateResult> {
  const tmp = `${file}.tmp`;
  const client = await pool.connect();
  let out: HashedWriter | null = null;
  try {
    await client.query('begin isolation level repeatable read read only');
    // The snapshot is taken by the first statement: export it before reading anything.
    const snapshot = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    // Timestamps come out as ISO 8601 in UTC, whatever the server's time zone.
    await client.query("set local timezone to 'UTC'");
    const tables = await readCatalog(client);
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${qualified(t.name)}`);
      counts[t.name] = Number(rows[0]!.n);
    }
    const header: BackupHeader = {
      format: FORMAT,
      version: FORMAT_VERSION,
      createdAt: opts.now.toISOString(),
      appVersion: appVersion(),
      postgresVersion: (await client.query<{ v: string }>("select current_setting('server_version') as v"))
        .rows[0]!.v,
      migration: await latestMigration(client),
      tables: counts,
      columns: Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name)])),
      keys: await keyFingerprints(client, tables),
      auditKey: opts.auditKey.toString('base64'),
    };
    const rotating = header.keys['master:next'] !== undefined;
    if (
      rotating ||
      (header.keys.master !== undefined && header.keys.master !== fingerprint(opts.masterKey))
    ) {
      // keys rotate has not finished: rows are wrapped by two keys, and a restore takes one.
      throw new BackupError(
        'A master key rotation is in progress (keys rotate): finish it, then back up. Nothing was written.',
      );
    }
    const unfinishedJobs = await countUnfinishedJobs(client);

    await opts.onSnapshot?.(snapshot);
    await rm(tmp, { force: true });
    out = new HashedWriter(await SealedWriter.create(tmp, opts.masterKey));
    await out.line(JSON.stringify(header));
    for (const t of tables) await dumpTable(client, t, out);
    const lines = out.lines;
    const sha256 = out.digest();
    const trailer: BackupTrailer = { trailer: FORMAT, lines, sha256 };
    await out.line(JSON.stringify(trailer), false);
    await client.query('commit');
    const bytes = await out.close();
    out = null;
    await chmod(tmp, 0o600);
    await rename(tmp, file);
    return { file, bytes, sha256, header, unfinishedJobs };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    await out?.abandon().catch(() => {});
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

async function dumpTable(client: pg.PoolClient, table: Table, out: HashedWriter): Promise<void> {
  const select = table.columns
    .map((c) =>
      c.bytea
        ? `case when t.${ident(c.name)} is null then null else json_build_object('$b64', ` +
          `translate(encode(t.${ident(c.name)}, 'base64'), E'\\n', '')) end as ${ident(c.name)}`
        : `t.${ident(c.name)}`,
    )
    .join(', ');
  const order = table.primaryKey.length
    ? ` order by ${table.primaryKey.map((c) => `t.${ident(c)}`).join(', ')}`
    : '';
  await client.query(
    `declare rd_backup no scroll cursor for
       select row_to_json(x)::text as j from (select ${select} from ${qualified(table.name)} t${order}) x`,
  );
  let fetch = table.columns.some((c) => c.bytea) ? 1 : 100;
  for (;;) {
    const { rows } = await client.query<{ j: string }>(`fetch ${fetch} from rd_backup`);
    if (rows.length === 0) break;
    let bytes = 0;
    for (const { j } of rows) {
      bytes += j.length;
      await out.line(rowLine(table.name, j));
    }
    fetch = Math.max(1, Math.min(MAX_FETCH, Math.floor(FETCH_BYTES / Math.max(1, bytes / rows.length))));
  }
  await client.query('close rd_backup');
}

async function latestMigration(client: pg.PoolClient): Promise<BackupHeader['migration']> {
  const { rows: exists } = await client.query<{ t: string | null }>(
    "select to_regclass('drizzle.__drizzle_migrations')::text as t",
  );
  if (!exists[0]?.t) return null;
  const { rows } = await client.query<{ id: number; hash: string; created_at: string }>(
    'select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc, id desc limit 1',
  );
  const m = rows[0];
  return m ? { id: m.id, hash: m.hash, createdAt: new Date(Number(m.created_at)).toISOString() } : null;
}

async function keyFingerprints(client: pg.PoolClient, tables: Table[]): Promise<Record<string, string>> {
  if (!tables.some((t) => t.name === 'instance_keys')) return {};
  const { rows } = await client.query<{ purpose: string; fingerprint: string }>(
    'select purpose, fingerprint from public.instance_keys order by purpose',
  );
  return Object.fromEntries(rows.map((r) => [r.purpose, r.fingerprint]));
}

async function countUnfinishedJobs(client: pg.PoolClient): Promise<number> {
  const { rows: exists } = await client.query<{ t: string | null }>(
    "select to_regclass('pgboss.job')::text as t",
  );
  if (!exists[0]?.t) return 0;
  const { rows } = await client.query<{ n: string }>(
    "select count(*) as n from pgboss.job where state::text in ('created', 'retry', 'active')",
  );
  return Number(rows[0]!.n);
}

/** Writes lines into the sealed file, hashing every byte, in batches of about a megabyte. */
class HashedWriter {
  private readonly hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  lines = 0;

  constructor(private readonly sealed: SealedWriter) {}

  /** A line; `hashed: false` for the trailer, written after the digest. */
  async line(text: string, hashed = true): Promise<void> {
    const buf = Buffer.from(`${text}\n`, 'utf8');
    if (hashed) {
      this.hash.update(buf);
      this.lines += 1;
    }
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= FLUSH_BYTES) await this.flush();
  }

  /** The SHA-256 of every line so far (call once, before the trailer). */
  digest(): string {
    return this.hash.digest('hex');
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await this.sealed.write(buf);
  }

  /** Seals the last chunk, fsyncs and closes; returns the file's size. */
  async close(): Promise<number> {
    await this.flush();
    return this.sealed.close();
  }

  abandon(): Promise<void> {
    return this.sealed.abandon();
  }
}
