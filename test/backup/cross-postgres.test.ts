// A backup moves a practice between the embedded PostgreSQL and the machine's PostgreSQL 15, in both
// directions, with the backup file and the master key alone: the same rows in every table, every
// file decrypting to its SHA-256, a verifying audit chain. The run's own server is one side (the
// embedded one by default, PostgreSQL 15 in CI's TEST_DATABASE_URL leg); the other is started here:
// a fresh database on 127.0.0.1:5432 named with the run's prefix (dropped after), or an embedded
// cluster in a temporary data directory.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * A data directory PostgreSQL's OS user can reach (0755 before secrets/ is made 0700 inside it):
 * otherwise, as root, the cluster is relocated under /var/lib/release-desk and outlives the test.
 */
function reachableDir(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  return dir;
}

async function pg15Database(): Promise<string> {
  const name = `${inject('runPrefix')}_pg15_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG15_ADMIN });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: PG15_ADMIN });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`).finally(() => c.end());
  });
  const u = new URL(PG15_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

interface Source {
  app: TestApp;
  /** The CLI's arguments and environment to back this side up while its app runs. */
  backup: { args: string[]; env: NodeJS.ProcessEnv };
}

async function source(kind: 'run' | 'pg15' | 'embedded'): Promise<Source> {
  const keys = { masterKey: randomBytes(32), auditKey: randomBytes(32) };
  const keyEnv = {
    RELEASE_DESK_MASTER_KEY: keys.masterKey.toString('base64'),
    RELEASE_DESK_AUDIT_KEY: keys.auditKey.toString('base64'),
  };
  let app: TestApp;
  if (kind === 'embedded') {
    // Keys generated in the data directory, as a first start does; the CLI finds them there and
    // uses the running server.
    const dataDir = reachableDir(`src-${randomBytes(3).toString('hex')}`);
    app = await startApp({ dataDir });
    cleanups.push(() => app.close());
    return { app, backup: { args: ['--data-dir', dataDir], env: {} } };
  }
  app =
    kind === 'run'
      ? await createTestApp(keys)
      : await startApp({
          ...keys,
          databaseUrl: await pg15Database(),
          dataDir: mkdtempSync(path.join(root, 'd-')),
        });
  cleanups.push(() => app.close());
  return { app, backup: { args: [], env: { DATABASE_URL: app.databaseUrl, ...keyEnv } } };
}

interface Target {
  url: string;
  restore: { args: string[]; env: NodeJS.ProcessEnv };
}

async function target(kind: 'run' | 'pg15' | 'embedded', masterKey: Buffer): Promise<Target> {
  if (kind === 'embedded') {
    // A new data directory holding only the master key; its server started once, here, and used
    // by the CLI (which finds it running).
    const dataDir = reachableDir(`dst-${randomBytes(3).toString('hex')}`);
    mkdirSync(path.join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(path.join(dataDir, 'secrets', 'master.key'), `${masterKey.toString('base64')}\n`, {
      mode: 0o600,
    });
    const server = await startEmbeddedPostgres(dataDir, () => {});
    cleanups.push(server.stop);
    return { url: server.url, restore: { args: ['--data-dir', dataDir], env: {} } };
  }
  // An empty database: the run's is migrated from the template, PostgreSQL 15's is not even that
  // (the restore migrates it first).
  const url = kind === 'run' ? await createTestDatabase() : await pg15Database();
  return {
    url,
    restore: {
      args: ['--audit-key-out', path.join(root, `audit-${randomBytes(3).toString('hex')}.key`)],
      env: { DATABASE_URL: url, RELEASE_DESK_MASTER_KEY: masterKey.toString('base64') },
    },
  };
}

async function moveAndCompare(from: 'run' | 'pg15' | 'embedded', to: 'run' | 'pg15' | 'embedded') {
  const src = await source(from);
  const seeded = await seedPractice(src.app);
  for (let i = 1; i <= 3; i++) await writeOnce(src.app, seeded.support, seeded.requestIds[0]!, i);
  const file = path.join(root, `${from}-to-${to}.rdb`);
  const made = await cli(['backup', file, ...src.backup.args], src.backup.env);
  expect(made.code, made.err).toBe(0);
  const before = await dump(src.app.databaseUrl);
  const { masterKey, auditKey } = src.app.config;

  const dst = await target(to, masterKey);
  const restored = await cli(['restore', file, ...dst.restore.args], dst.restore.env);
  expect(restored.code, restored.err).toBe(0);
  const after = await dump(dst.url);
  for (const name of Object.keys(before)) expect(after[name]?.length, name).toBe(before[name]!.length);
  expect(after).toEqual(before);
  expect(before.files!.length).toBeGreaterThanOrEqual(2);
  expect(await checkFileHashes(dst.url, masterKey)).toBe(before.files!.length);
  const pool = new pg.Pool({ connectionString: dst.url, max: 1 });
  try {
    const chain = await verifyChains(pool, auditKey);
    expect(chain.ok).toBe(true);
    expect(chain.rowsChecked).toBe(before.audit_events!.length);
  } finally {
    await pool.end();
  }
  // The two sides really are different PostgreSQL majors.
  const versions = [await serverVersion(src.app.databaseUrl), await serverVersion(dst.url)];
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
      await moveAndCompare('run', otherKind);
    },
    120_000,
  );

  it.runIf(canRun)(
    `from ${otherKind === 'pg15' ? 'PostgreSQL 15' : 'an embedded cluster'} to the run's server`,
    async () => {
      await moveAndCompare(otherKind, 'run');
    },
    120_000,
  );
});
