// One PostgreSQL for the whole run: the embedded server in a temporary data directory, or the server
// named by TEST_DATABASE_URL (never DATABASE_URL: that may be a practice's real data). Migrations are
// applied once to a template database; each test file clones it (CREATE DATABASE … TEMPLATE), and
// every database of this run is dropped at the end (stale ones from crashed runs at the start).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/server/db/embedded.js';
import { applyMigrations } from '../../src/server/db/migrate.js';
import { QUEUES } from '../../src/server/jobs/send.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    runPrefix: string;
  }
}

const STALE_AFTER_SECONDS = 2 * 60 * 60;

export default async function setup(project: TestProject) {
  const started = Date.now();
  const run = `rd_test_${Math.floor(Date.now() / 1000).toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  let adminUrl: string;
  let stopEmbedded: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;
  if (process.env.TEST_DATABASE_URL) {
    adminUrl = process.env.TEST_DATABASE_URL;
  } else {
    if (process.env.CI === 'true' && process.env.RELEASE_DESK_TEST_REQUIRE_EXTERNAL === 'true') {
      throw new Error('TEST_DATABASE_URL must be set for this leg of CI.');
    }
    dataDir = mkdtempSync(path.join(tmpdir(), 'release-desk-test-'));
    // mkdtemp makes the folder mode 700; as root PostgreSQL (run as `postgres`) could not reach it and
    // the cluster would be relocated under /var/lib/release-desk, outliving the test. Keep it reachable.
    chmodSync(dataDir, 0o755);
    const server = await startEmbeddedPostgres(dataDir, () => {}, { database: 'postgres' });
    adminUrl = server.adminUrl;
    stopEmbedded = server.stop;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect().catch((err: Error) => {
    throw new Error(`Cannot reach the test PostgreSQL (${redact(adminUrl)}): ${err.message}`);
  });
  await dropStale(admin);
  const templateDb = `${run}_template`;
  await ensureDatabase(adminUrl, templateDb);
  const templateUrl = withDatabase(adminUrl, templateDb);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  await applyMigrations(pool);
  await pool.end();
  const boss = new PgBoss({
    connectionString: templateUrl,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  await boss.start();
  for (const name of QUEUES) await boss.createQueue(name);
  await boss.stop({ graceful: false, wait: true });
  console.log(
    `[test db] ${process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL'}: template ${templateDb} ready in ${Date.now() - started} ms`,
  );
  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);
  project.provide('runPrefix', run);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      'select datname from pg_database where datname like $1',
      [`${run}_%`],
    );
    for (const { datname } of rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
    await stopEmbedded?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

async function dropStale(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "select datname from pg_database where datname like 'rd\\_test\\_%'",
  );
  const now = Date.now() / 1000;
  for (const { datname } of rows) {
    const ts = Number.parseInt(datname.split('_')[2] ?? '', 36);
    if (Number.isFinite(ts) && now - ts > STALE_AFTER_SECONDS) {
      await admin.query(`drop database if exists "${datname}" with (force)`);
    }
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function redact(url: string): string {
  return url.replace(/:[^:@/]+@/, ':***@');
}
