// The real app as its own process (`node --import tsx src/server/main.ts`, what `npm start` runs,
// without the web build), so a fault test can SIGKILL it and start it again on the same data
// directory, database, keys and port. Without `databaseUrl` the app starts its embedded PostgreSQL
// in `dataDir` (a SIGKILL leaves that server running: the next start stops it, the stale-server case).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { placeCluster } from '../../../src/server/db/embedded-runtime.js';
import { freePort } from '../../support/dovecot.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface LaunchOptions {
  dataDir: string;
  /** An external PostgreSQL (DATABASE_URL); unset: the embedded one in dataDir. */
  databaseUrl?: string;
  /** Fixed keys (base64 of 32 bytes); generated when unset. Every start of this app uses the same ones. */
  masterKey?: string;
  auditKey?: string;
  port?: number;
  /** Extra environment (SMTP_URL, MAIL_FROM, …). */
  env?: Record<string, string>;
}

export interface AppProcess {
  port: number;
  baseUrl: string;
  masterKey: string;
  auditKey: string;
  /** The environment every start gets (DATABASE_URL, keys, port…): for an in-process boot of the same app. */
  env: Record<string, string>;
  /** Start (or start again) and wait until it listens; resolves with the milliseconds it took. */
  start(): Promise<number>;
  /** Send a signal and wait for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, the clean stop (also stops the embedded PostgreSQL). */
  stop(): Promise<void>;
  isRunning(): boolean;
  pid(): number | undefined;
  /** Everything the current (or last) process printed. */
  output(): string;
  /** How many times it was started. */
  starts: number;
}

export async function launchApp(opts: LaunchOptions): Promise<AppProcess> {
  const port = opts.port ?? (await freePort());
  const masterKey = opts.masterKey ?? randomBytes(32).toString('base64');
  const auditKey = opts.auditKey ?? randomBytes(32).toString('base64');
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env: Record<string, string> = {
    RELEASE_DESK_DATA_DIR: opts.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    RELEASE_DESK_MASTER_KEY: masterKey,
    RELEASE_DESK_AUDIT_KEY: auditKey,
    LOG_LEVEL: 'warn',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...(opts.env ?? {}),
  };
  let child: ChildProcess | null = null;
  let out = '';
  const app: AppProcess = {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    masterKey,
    auditKey,
    env,
    starts: 0,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) throw new Error('already running');
      const started = Date.now();
      out = '';
      app.starts++;
      const c = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        cwd: ROOT,
        env: { ...inherited, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      await new Promise<void>((resolve, reject) => {
        const onData = (b: Buffer) => {
          out += b.toString();
          if (out.includes('Release Desk is running')) resolve();
        };
        c.stdout?.on('data', onData);
        c.stderr?.on('data', onData);
        c.once('exit', (code, signal) =>
          reject(new Error(`the app exited (${code ?? signal}) before it was ready:\n${out.slice(-4000)}`)),
        );
      });
      return Date.now() - started;
    },
    async kill(signal = 'SIGKILL') {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill(signal);
      await exited;
    },
    stop: () => app.kill('SIGTERM'),
    isRunning: () => child !== null && child.exitCode === null && child.signalCode === null,
    pid: () => child?.pid,
    output: () => out,
  };
  return app;
}

/**
 * After a SIGKILL the app's embedded PostgreSQL is still running: stop it and remove its cluster (a
 * relocated one too, under /var/lib/release-desk when root's `postgres` could not reach dataDir).
 */
export function removeEmbedded(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const { clusterDir, runtime, osUser } = placeCluster(dataDir);
  if (existsSync(path.join(clusterDir, 'postmaster.pid'))) {
    spawnSync(
      path.join(runtime.nativeDir, 'bin', 'pg_ctl'),
      ['stop', '-D', clusterDir, '-m', 'immediate', '-w'],
      {
        ...(osUser ? { uid: osUser.uid, gid: osUser.gid } : {}),
      },
    );
  }
  rmSync(clusterDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
