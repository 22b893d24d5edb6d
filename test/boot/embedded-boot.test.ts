// The README's first command on a fresh machine: `npm start` boots its own PostgreSQL, even as root
// from a checkout under a mode-700 parent, survives a hard kill, and refuses a data directory made by
// another PostgreSQL major with backup-and-restore instructions.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { boot } from '../../src/server/boot.js';
import { loadConfig } from '../../src/server/config.js';
import { IncompatibleDataDirectoryError, startEmbeddedPostgres } from '../../src/server/db/embedded.js';
import { placeCluster } from '../../src/server/db/embedded-runtime.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rd-boot-'));
const clustersMade: string[] = [];
afterAll(() => {
  // Relocated clusters live outside the scratch folder; remove ours too.
  for (const dir of clustersMade) rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function startServer(
  dataDir: string,
  port: number,
): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  let out = '';
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...env, RELEASE_DESK_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      if (out.includes('Release Desk is running')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { child, output: () => out, ready };
}

async function health(port: number): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}/api/health`);
  return { status: res.status, body: await res.json() };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
}

describe('npm start on the embedded PostgreSQL', () => {
  it('boots from a data directory under a mode-700 parent, survives SIGKILL, and stops cleanly', async () => {
    const locked = path.join(scratch, 'locked');
    mkdirSync(locked, { mode: 0o700 });
    const dataDir = path.join(locked, 'data');
    mkdirSync(dataDir);
    clustersMade.push(placeCluster(dataDir).clusterDir);
    const port = await freePort();

    const first = startServer(dataDir, port);
    await first.ready;
    expect(await health(port)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });
    expect(first.output()).toContain(`http://127.0.0.1:${port}`);
    if (process.getuid?.() === 0) {
      // As root, PostgreSQL runs as `postgres`, which cannot reach a mode-700 parent: relocated.
      expect(first.output()).toContain('PostgreSQL runtime: /');
      expect(first.output()).toMatch(/PostgreSQL cluster: .*clusters\/[0-9a-f]{16}/);
    }

    // A hard kill leaves PostgreSQL running; the next start must handle it.
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = startServer(dataDir, port);
    await second.ready;
    expect(second.output()).toContain('left running by an earlier run');
    expect(await health(port)).toEqual({ status: 200, body: { status: 'ok', database: 'ok' } });

    second.child.kill('SIGTERM');
    await exited(second.child);
    const { clusterDir } = placeCluster(dataDir);
    expect(() => readFileSync(path.join(clusterDir, 'postmaster.pid'))).toThrow();
  }, 120_000);

  it('refuses a data directory made by another PostgreSQL major, with backup-and-restore steps', async () => {
    const dataDir = path.join(scratch, 'old-major');
    mkdirSync(dataDir, { recursive: true });
    const { clusterDir } = placeCluster(dataDir);
    clustersMade.push(clusterDir);
    mkdirSync(clusterDir, { recursive: true });
    writeFileSync(path.join(clusterDir, 'PG_VERSION'), '15\n');
    writeFileSync(path.join(clusterDir, 'release-desk-initialised'), 'x');
    const err = await startEmbeddedPostgres(dataDir, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompatibleDataDirectoryError);
    expect((err as Error).message).toMatch(/made by PostgreSQL 15/);
    expect((err as Error).message).toMatch(/cli -- backup release-desk-backup\.rdb/);
    expect(readFileSync(path.join(clusterDir, 'PG_VERSION'), 'utf8')).toBe('15\n');
  });
});

describe("the app's database role on the embedded PostgreSQL", () => {
  it('SEC-3: the app connects without superuser rights and may only insert into and read the audit log', async () => {
    const dataDir = path.join(scratch, 'role');
    mkdirSync(dataDir, { recursive: true });
    clustersMade.push(placeCluster(dataDir).clusterDir);
    const running = await boot(loadConfig({ RELEASE_DESK_DATA_DIR: dataDir }), {
      log: () => {},
      jobMaintenance: false,
    });
    try {
      const pool = running.services.database.pool;
      const who = await pool.query(
        'select current_user as u, (select rolsuper from pg_roles where rolname = current_user) as su',
      );
      expect(who.rows[0]).toEqual({ u: 'release_desk', su: false });
      await pool.query(
        `insert into audit_events (seq, at, type, data, prev_hmac, hmac) values (1, now(), 'auth.login_failed', '{}', 'g', 'h')`,
      );
      for (const sql of [
        'update audit_events set type = $$x$$',
        'delete from audit_events',
        'truncate audit_events',
        'delete from disclosures',
      ]) {
        await expect(pool.query(sql)).rejects.toThrow(/permission denied/);
      }
      expect((await pool.query('select count(*)::int as n from audit_events')).rows[0].n).toBe(1);
    } finally {
      await running.close();
    }
  });
});

describe('configuration', () => {
  it('stops start-up with a message naming the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY/);
  });

  it('requires the master key when DATABASE_URL is set, so every instance shares one', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' })).toThrow(
      /RELEASE_DESK_MASTER_KEY/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(() =>
      loadConfig({
        DATABASE_URL: 'postgres://x@localhost/db',
        RELEASE_DESK_MASTER_KEY: key,
        RELEASE_DESK_AUDIT_KEY: 'c2hvcnQ=',
      }),
    ).toThrow(/RELEASE_DESK_AUDIT_KEY: must be 32 bytes/);
  });

  it('reads CLOCKS_SWEEP_MINUTES with the rest: 5 unless set, a whole number of minutes dividing an hour', () => {
    const keys = { masterKey: Buffer.alloc(32, 1), auditKey: Buffer.alloc(32, 2), dataDir: scratch };
    expect(loadConfig({}, keys).clocksSweepMinutes).toBe(5);
    expect(loadConfig({ CLOCKS_SWEEP_MINUTES: '' }, keys).clocksSweepMinutes).toBe(5);
    expect(loadConfig({ CLOCKS_SWEEP_MINUTES: '1' }, keys).clocksSweepMinutes).toBe(1);
    expect(loadConfig({ CLOCKS_SWEEP_MINUTES: '15' }, keys).clocksSweepMinutes).toBe(15);
    for (const bad of ['7', '0', '60', '2.5', '-5', 'five']) {
      expect(() => loadConfig({ CLOCKS_SWEEP_MINUTES: bad }, keys), bad).toThrow(
        'Invalid configuration:\n  CLOCKS_SWEEP_MINUTES: a whole number of minutes that divides an hour (1-30), e.g. 5.',
      );
    }
  });

  it('a bad CLOCKS_SWEEP_MINUTES stops `npm start` before anything starts, with the message', () => {
    const dataDir = path.join(scratch, 'bad-sweep');
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...env, RELEASE_DESK_DATA_DIR: dataDir, CLOCKS_SWEEP_MINUTES: '7' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Release Desk could not start.\nInvalid configuration:\n  CLOCKS_SWEEP_MINUTES: a whole number of minutes that divides an hour (1-30), e.g. 5.',
    );
    // Nothing was started or written: the configuration is read before the database.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('generates the keys in the data directory for the embedded mode and reuses them', () => {
    const dataDir = path.join(scratch, 'keys');
    const a = loadConfig({ RELEASE_DESK_DATA_DIR: dataDir });
    const b = loadConfig({ RELEASE_DESK_DATA_DIR: dataDir });
    expect(a.masterKey.equals(b.masterKey)).toBe(true);
    expect(a.masterKey.equals(a.auditKey)).toBe(false);
  });
});
