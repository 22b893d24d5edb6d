// Start-up: from spawning `npm start` on an existing data directory to the first 200 from
// /api/health, beside the time to start the embedded PostgreSQL alone on the same directory.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { boot } from '../src/server/boot.js';
import { loadConfig } from '../src/server/config.js';
import { type EmbeddedServer, startEmbeddedPostgres } from '../src/server/db/embedded.js';
import type { Placement } from '../src/server/db/embedded-runtime.js';

const POLL_MS = 50;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export interface StartupFigures {
  /** Milliseconds from spawn to the first 200 from /api/health, per run. */
  npmStart: number[];
  /** The same with `node --import tsx src/server/main.ts` (no npm, no tsx CLI process). */
  nodeDirect: number[];
  /** The server's own "Ready in" line (boot to listening, no Node/tsx start-up), per npm start run. */
  readyIn: number[];
  /** Milliseconds for startEmbeddedPostgres alone (until it accepts queries), per run. */
  postgresAlone: number[];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Start once (cluster, migrations, keys, job-queue schema) and stop: an existing data directory. */
export async function prepareDataDir(dataDir: string): Promise<Placement> {
  const config = loadConfig({}, { dataDir, logLevel: 'silent' });
  const running = await boot(config, { log: () => {}, jobMaintenance: false });
  const placement = running.embedded!.placement;
  await running.close();
  return placement;
}

/** Make sure no PostgreSQL is left running on the cluster (a server killed hard leaves it behind). */
export function ensurePostgresStopped(placement: Placement): void {
  if (!existsSync(path.join(placement.clusterDir, 'postmaster.pid'))) return;
  const user = placement.osUser ? { uid: placement.osUser.uid, gid: placement.osUser.gid } : {};
  spawnSync(
    path.join(placement.runtime.nativeDir, 'bin', 'pg_ctl'),
    ['stop', '-D', placement.clusterDir, '-m', 'fast', '-w', '-t', '30'],
    { stdio: 'ignore', ...user },
  );
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGTERM to the process group we spawned (npm, tsx, node), then SIGKILL if it hangs. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const group = -child.pid;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(group, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
}

/** Children still running, so a failure or Ctrl+C can stop them. */
export const liveChildren = new Set<ChildProcess>();

async function timeStart(
  command: string[],
  repo: string,
  dataDir: string,
  placement: Placement,
): Promise<{ ms: number; readyIn: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RELEASE_DESK_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  delete env.DATABASE_URL;
  const t0 = performance.now();
  const child = spawn('npm', ['start'], {
    cwd: repo,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    const url = `http://127.0.0.1:${port}/api/health`;
    for (;;) {
      if (await healthy(url)) break;
      if (child.exitCode !== null)
        throw new Error(`${command.join(' ')} exited with ${child.exitCode}:\n${output}`);
      if (performance.now() - t0 > START_TIMEOUT_MS) throw new Error(`no healthy /api/health:\n${output}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const ms = performance.now() - t0;
    // The banner is printed right after listen(); give it a moment to arrive.
    for (let i = 0; i < 40 && !/Ready in/.test(output); i++) await new Promise((r) => setTimeout(r, 25));
    const ready = /Ready in ([\d.]+) s/.exec(output);
    return { ms, readyIn: ready ? Number(ready[1]) * 1000 : Number.NaN };
  } finally {
    await stopChild(child);
    liveChildren.delete(child);
    ensurePostgresStopped(placement);
  }
}

export const NPM_START = ['npm', 'start'];
export const NODE_DIRECT = [process.execPath, '--import', 'tsx', 'src/server/main.ts'];

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Runs are interleaved (PostgreSQL alone, npm start, node direct) so drift hits all three alike. */
export async function measureStartup(
  repo: string,
  dataDir: string,
  placement: Placement,
  runs: number,
  log: (m: string) => void,
): Promise<StartupFigures> {
  const figures: StartupFigures = { npmStart: [], nodeDirect: [], readyIn: [], postgresAlone: [] };
  for (let i = 1; i <= runs; i++) {
    const t0 = performance.now();
    const pg: EmbeddedServer = await startEmbeddedPostgres(dataDir, () => {});
    const alone = performance.now() - t0;
    await pg.stop();
    figures.postgresAlone.push(alone);
    const npm = await timeStart(NPM_START, repo, dataDir, placement);
    figures.npmStart.push(npm.ms);
    figures.readyIn.push(npm.readyIn);
    const direct = await timeStart(NODE_DIRECT, repo, dataDir, placement);
    figures.nodeDirect.push(direct.ms);
    log(
      `  run ${i}: PostgreSQL alone ${secs(alone)}; npm start -> 200 ${secs(npm.ms)} ` +
        `(server says Ready in ${(npm.readyIn / 1000).toFixed(1)} s); node --import tsx -> 200 ${secs(direct.ms)}`,
    );
  }
  return figures;
}
