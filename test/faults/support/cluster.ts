// A PostgreSQL cluster of the fault tests' own, from the embedded package's binaries (initdb, pg_ctl,
// postgres): never the shared server at 127.0.0.1:5432, which fault tests must not restart or fill.
// It keeps its port across restarts, so an app pointed at it by DATABASE_URL can reconnect.
// As root, PostgreSQL runs as the `postgres` OS user (as the app's embedded server does).
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { APP_ROLE } from '../../../src/server/db/embedded.js';
import { type OsUser, placeCluster } from '../../../src/server/db/embedded-runtime.js';
import { freePort } from '../../support/dovecot.js';

export interface Cluster {
  port: number;
  /** The cluster's own directory (PGDATA). */
  dataDir: string;
  /** Superuser connection to the `postgres` database. */
  adminUrl: string;
  /** Creates a database owned by the app's non-superuser role (as the embedded server does); its URL. */
  createAppDatabase(name?: string): Promise<string>;
  start(): void;
  /** pg_ctl stop: 'fast' (clients disconnected: 57P01) or 'immediate' (no checkpoint, crash recovery next start). */
  stop(mode?: 'fast' | 'immediate'): void;
  /** SIGKILL the postmaster (its backends then exit on their own). */
  kill(): void;
  restart(mode?: 'fast' | 'immediate'): void;
  running(): boolean;
  /** The last lines of the server's log. */
  logTail(lines?: number): string;
  /** Stop and delete everything (the data directory too, unless it is a mount the test owns). */
  destroy(): void;
}

export interface ClusterOptions {
  /** Where PGDATA goes (e.g. a tmpfs mount); default a new temp folder. It must exist or be creatable. */
  dataDir?: string;
  /** initdb --wal-segsize in MB (1 keeps a small disk's WAL small). */
  walSegmentMb?: number;
  /** initdb --waldir: the WAL on another disk than the data files (made and owned like PGDATA). */
  walDir?: string;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

const APP_PASSWORD = 'fault-tests';

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'rd-faults-pg-'));
  // mkdtemp is mode 700; PostgreSQL (the `postgres` OS user under root) must reach what is inside.
  chmodSync(scratch, 0o755);
  const dataDir = opts.dataDir ?? path.join(scratch, 'pgdata');
  const ownsDataDir = !opts.dataDir;
  // Only the runtime and the OS user matter here: placeCluster copies the binaries somewhere the
  // `postgres` user can reach when it cannot reach node_modules.
  const { runtime, osUser } = placeCluster(scratch);
  const bin = (name: string) => path.join(runtime.nativeDir, 'bin', name);
  const as = asUser(osUser);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  if (osUser) chownSync(dataDir, osUser.uid, osUser.gid);
  if (opts.walDir) {
    mkdirSync(opts.walDir, { recursive: true, mode: 0o700 });
    if (osUser) chownSync(opts.walDir, osUser.uid, osUser.gid);
  }
  const init = spawnSync(
    bin('initdb'),
    [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-instructions',
      ...(opts.walSegmentMb ? [`--wal-segsize=${opts.walSegmentMb}`] : []),
      ...(opts.walDir ? [`--waldir=${opts.walDir}`] : []),
    ],
    { encoding: 'utf8', ...as },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const logFile = path.join(scratch, 'server.log');
  if (osUser) chownSync(scratch, osUser.uid, osUser.gid);
  const settings = Object.entries(opts.settings ?? {})
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const pgCtl = (args: string[]) => spawnSync(bin('pg_ctl'), args, { encoding: 'utf8', ...as });
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const startOnce = () =>
    pgCtl([
      'start',
      '-D',
      dataDir,
      '-w',
      '-t',
      '120',
      '-l',
      logFile,
      '-o',
      `-p ${port} -h 127.0.0.1 -k '' ${settings}`,
    ]);

  const cluster: Cluster = {
    port,
    dataDir,
    adminUrl,
    async createAppDatabase(name = `rd_faults_${Math.random().toString(36).slice(2, 8)}`) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        const role = await admin.query('select 1 from pg_roles where rolname = $1', [APP_ROLE]);
        if (role.rowCount === 0) {
          await admin.query(
            `create role ${APP_ROLE} with login nosuperuser nocreaterole nocreatedb password '${APP_PASSWORD}'`,
          );
        }
        await admin.query(`create database "${name}" owner ${APP_ROLE}`);
      } finally {
        await admin.end();
      }
      return `postgres://${APP_ROLE}:${APP_PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    start() {
      // After a SIGKILL the orphaned backends take a moment to notice and leave the shared memory
      // (PostgreSQL refuses to start while it is attached): try a few times.
      let res = startOnce();
      for (let i = 0; i < 10 && res.status !== 0; i++) {
        spawnSync('sleep', ['1']);
        res = startOnce();
      }
      if (res.status !== 0) throw new Error(`PostgreSQL did not start: ${res.stderr}\n${cluster.logTail()}`);
    },
    stop(mode = 'fast') {
      if (!cluster.running()) return;
      pgCtl(['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60']);
    },
    kill() {
      const pid = postmasterPid(dataDir);
      if (pid) process.kill(pid, 'SIGKILL');
      const until = Date.now() + 30_000;
      while (pid && Date.now() < until && isAlive(pid)) spawnSync('sleep', ['0.1']);
    },
    restart(mode = 'fast') {
      cluster.stop(mode);
      cluster.start();
    },
    running() {
      return pgCtl(['status', '-D', dataDir]).status === 0;
    },
    logTail(lines = 20) {
      try {
        return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    destroy() {
      cluster.stop('immediate');
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  cluster.start();
  return cluster;
}

function asUser(user: OsUser | undefined): { uid?: number; gid?: number } {
  return user ? { uid: user.uid, gid: user.gid } : {};
}

function postmasterPid(dataDir: string): number | null {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
