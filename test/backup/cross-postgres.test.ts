// A backup moves a practice between the embedded PostgreSQL and the machine's PostgreSQL 15, in both
// directions, with the backup file and the master key alone: the same rows in every table, every
// file decrypting to its SHA-256, a verifying audit chain. The run's own server is one side (the
// embedded one by default, PostgreSQL 15 in CI's TEST_DATABASE_URL leg); the other is a fresh
// database named with the run's prefix (dropped after) on 127.0.0.1:5432, or on an embedded cluster
// started here. (Restoring into a new data directory is test/backup/data-directories.test.ts.)
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { startEmbeddedPostgres } from '../../src/server/db/embedded.js';
import { createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import { checkFileHashes, cli, dump, seedPractice, startApp, writeOnce } from './support.js';

/** The machine's PostgreSQL 15, as CI's second leg reaches it. */
const PG15_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

let unreachable = '';

async function serverVersion(url: string): Promise<number | null> {
  // Generous: the machine may be busy (the connection is refused at once when nothing listens).
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await c.connect();
    return Number(
      (await c.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v,
    );
  } catch (err) {
    unreachable = (err as Error).message;
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}

const runVersion = (await serverVersion(inject('adminUrl')))!;
const runIsPg15 = Math.floor(runVersion / 10000) === 15;
// With the run on PostgreSQL 15 the other side is an embedded cluster (always available);
// otherwise it is the machine's PostgreSQL 15, which may be absent outside CI.
const pg15Version = runIsPg15 ? runVersion : await serverVersion(PG15_ADMIN);
const pg15Reachable = pg15Version !== null && Math.floor(pg15Version / 10000) === 15;
const otherKind: 'pg15' | 'embedded' = runIsPg15 ? 'embedded' : 'pg15';
const canRun = otherKind === 'embedded' || pg15Reachable;

const root = mkdtempSync(path.join(tmpdir(), 'rd-backup-cross-'));
chmodSync(root, 0o755); // reachable by PostgreSQL's OS user
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn().catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

let embeddedAdmin: string | null = null;

/** The other side's server: PostgreSQL 15, or one embedded cluster started here for the file. */
async function otherAdmin(): Promise<string> {
  if (otherKind === 'pg15') return PG15_ADMIN;
  if (!embeddedAdmin) {
    // Reachable by PostgreSQL's OS user, or (as root) the cluster is relocated and outlives us.
    const dir = path.join(root, 'cluster');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres(dir, () => {}, { database: 'postgres' });
    cleanups.push(server.stop);
    embeddedAdmin = server.adminUrl;
  }
  return embeddedAdmin;
}

/** A new, empty database on the other side (not even migrated), named with the run's prefix. */
async function otherDatabase(): Promise<string> {
  const adminUrl = await otherAdmin();
  const name = `${inject('runPrefix')}_other_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`).finally(() => c.end());
  });
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

type Side = 'run' | 'other';

async function source(side: Side): Promise<TestApp> {
  const keys = { masterKey: randomBytes(32), auditKey: randomBytes(32) };
  const app =
    side === 'run'
      ? await createTestApp(keys)
      : await startApp({
          ...keys,
          databaseUrl: await otherDatabase(),
          dataDir: mkdtempSync(path.join(root, 'd-')),
        });
  cleanups.push(() => app.close());
  return app;
}

async function moveAndCompare(from: Side, to: Side) {
  const app = await source(from);
  const seeded = await seedPractice(app);
  for (let i = 1; i <= 3; i++) await writeOnce(app, seeded.support, seeded.requestIds[0]!, i);
  const { masterKey, auditKey } = app.config;
  const file = path.join(root, `${from}-to-${to}.rdb`);
  const made = await cli(['backup', file], {
    DATABASE_URL: app.databaseUrl,
    RELEASE_DESK_MASTER_KEY: masterKey.toString('base64'),
    RELEASE_DESK_AUDIT_KEY: auditKey.toString('base64'),
  });
  expect(made.code, made.err).toBe(0);
  const before = await dump(app.databaseUrl);

  // An empty database: the run's is migrated from the template, the other side's is not even that
  // (the restore migrates it first). The restore is given the master key alone.
  const url = to === 'run' ? await createTestDatabase() : await otherDatabase();
  const restored = await cli(
    ['restore', file, '--audit-key-out', path.join(root, `audit-${randomBytes(3).toString('hex')}.key`)],
    { DATABASE_URL: url, RELEASE_DESK_MASTER_KEY: masterKey.toString('base64') },
  );
  expect(restored.code, restored.err).toBe(0);
  const after = await dump(url);
  for (const name of Object.keys(before)) expect(after[name]?.length, name).toBe(before[name]!.length);
  expect(after).toEqual(before);
  expect(before.files!.length).toBeGreaterThanOrEqual(2);
  expect(await checkFileHashes(url, masterKey)).toBe(before.files!.length);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const chain = await verifyChains(pool, auditKey);
    expect(chain.ok).toBe(true);
    expect(chain.rowsChecked).toBe(before.audit_events!.length);
  } finally {
    await pool.end();
  }
  // The two sides really are different PostgreSQL majors.
  const versions = [await serverVersion(app.databaseUrl), await serverVersion(url)];
  expect(Math.floor(versions[0]! / 10000)).not.toBe(Math.floor(versions[1]! / 10000));
}

describe(`backup and restore between the embedded PostgreSQL and PostgreSQL 15 (this run: PostgreSQL ${Math.floor(runVersion / 10000)})`, () => {
  it.runIf(!canRun)(
    `PostgreSQL 15 at 127.0.0.1:5432 is not answering (${unreachable}): the two cases are skipped (never in CI)`,
    () => {
      // Outside CI a developer may have no system PostgreSQL; CI's second leg needs it, so CI fails.
      expect(process.env.CI, 'CI=true requires PostgreSQL 15 at 127.0.0.1:5432').not.toBe('true');
    },
  );

  it.runIf(canRun)(
    `from the run's server to ${otherKind === 'pg15' ? 'PostgreSQL 15' : 'an embedded cluster'}`,
    async () => {
      await moveAndCompare('run', 'other');
    },
    120_000,
  );

  it.runIf(canRun)(
    `from ${otherKind === 'pg15' ? 'PostgreSQL 15' : 'an embedded cluster'} to the run's server`,
    async () => {
      await moveAndCompare('other', 'run');
    },
    120_000,
  );
});
