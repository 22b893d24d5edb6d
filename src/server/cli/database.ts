// The CLI opens the same database the server uses: DATABASE_URL, or the embedded PostgreSQL of a
// data directory (--data-dir, else RELEASE_DESK_DATA_DIR, else ./data). When the server (or the
// demo) is already running on that directory, the CLI connects to its PostgreSQL instead of
// starting a second one, which would stop the running server's.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { boot, type Running } from '../boot.js';
import { type Config, loadConfig } from '../config.js';
import { embeddedAppUrl } from '../db/embedded.js';
import { placeCluster } from '../db/embedded-runtime.js';

export interface Opened {
  running: Running;
  config: Config;
  /** Where the data lives, for messages. */
  where: string;
}

export async function openDatabase(
  env: NodeJS.ProcessEnv,
  dataDir: string | undefined,
  log: (msg: string) => void,
  /** Settings a command found before opening (restore: the audit key its backup carries). */
  overrides: Partial<Config> = {},
): Promise<Opened> {
  // An explicit --data-dir means that directory's embedded server, even when DATABASE_URL is set.
  const withoutUrl = { ...env, DATABASE_URL: undefined };
  let config = dataDir ? loadConfig(withoutUrl, { ...overrides, dataDir }) : loadConfig(env, overrides);
  let where = config.databaseUrl ? 'the PostgreSQL of DATABASE_URL' : `the data directory ${config.dataDir}`;
  if (!config.databaseUrl) {
    const live = await runningServerUrl(config.dataDir);
    if (live) {
      config = { ...config, databaseUrl: live };
      where = `the data directory ${config.dataDir} (its running server)`;
    }
  }
  const running = await boot(config, { jobMaintenance: false, log });
  return { running, config, where };
}

/** The URL of the embedded PostgreSQL already serving this data directory, if one answers. */
export async function runningServerUrl(dataDir: string): Promise<string | null> {
  const passwordFile = path.join(dataDir, 'secrets', 'pg-app-password');
  if (!existsSync(passwordFile)) return null;
  const pidFile = path.join(placeCluster(dataDir).clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0 || !isAlive(pid))
    return null;
  const url = embeddedAppUrl(dataDir, port);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch {
    return null; // not answering: boot treats it as a stale server
  } finally {
    await client.end().catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
