// `npm run demo` for real: its own data directory (whatever DATABASE_URL and RELEASE_DESK_DATA_DIR
// say), the seeded practice behind a running server, demo logins without a second factor, and a
// clean stop. A directory that is not a demo directory is refused before anything starts.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { placeCluster } from '../../src/server/db/embedded-runtime.js';
import { DEMO_BANNER, DEMO_LOGINS, DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { DEMO_MARKER } from '../../src/server/demo/directory.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'rd-demo-run-'));
// mkdtemp makes the folder mode 700; as root PostgreSQL (run as `postgres`) could not reach it and
// the cluster would be relocated under /var/lib/release-desk, outliving the test. Keep it reachable.
chmodSync(scratch, 0o755);
const clustersMade: string[] = [];
afterAll(() => {
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

interface Run {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

function runDemo(env: Record<string, string>): Run {
  let out = '';
  // Its own process group, so the stop signal reaches npm, tsx and the server alike.
  const child = spawn('npm', ['run', '--silent', 'demo'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

/** Wait until every process of the group (npm, tsx, the server) has exited. */
async function groupExited(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true;
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function until(run: Run, text: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!run.output().includes(text)) {
    if (run.child.exitCode !== null) throw new Error(`npm run demo exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('npm run demo', () => {
  it('refuses a directory that is not a demo directory', async () => {
    const dir = path.join(scratch, 'real-data');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'not a demo');
    const run = runDemo({ RELEASE_DESK_DEMO_DATA_DIR: dir, PORT: String(await freePort()) });
    expect(await run.exit).not.toBe(0);
    expect(run.output()).toContain(
      `${dir} is not a Release Desk demo directory; refusing to put demo data there`,
    );
    expect(existsSync(path.join(dir, DEMO_MARKER))).toBe(false);
  }, 60_000);

  it('starts the seeded demo on its own directory, serves it, and stops on SIGTERM', async () => {
    const dir = path.join(scratch, 'data-demo');
    const realDir = path.join(scratch, 'real-data-dir');
    const port = await freePort();
    const run = runDemo({
      RELEASE_DESK_DEMO_DATA_DIR: dir,
      PORT: String(port),
      HOST: '127.0.0.1',
      // Both are ignored: the demo never touches the real database or data directory.
      DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/real_records',
      RELEASE_DESK_DATA_DIR: realDir,
    });
    try {
      await until(run, `http://127.0.0.1:${port}`, 100_000);
      clustersMade.push(placeCluster(dir).clusterDir);
      const out = run.output();
      expect(out).toContain(DEMO_BANNER);
      expect(out).toContain('ignores DATABASE_URL and RELEASE_DESK_DATA_DIR');
      expect(out).toMatch(/Seeded the demo practice: 15 requests/);
      for (const login of DEMO_LOGINS) expect(out).toContain(login.email);
      expect(out).toContain(DEMO_PASSWORD);
      expect(existsSync(path.join(dir, DEMO_MARKER))).toBe(true);
      expect(existsSync(realDir)).toBe(false);

      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
      expect(health.headers.get('x-release-desk-demo')).toBe('true');
      const home = await fetch(`${base}/`);
      expect(await home.text()).toContain(DEMO_BANNER);

      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'support@demo.test', password: DEMO_PASSWORD }),
      });
      expect(login.status).toBe(200);
      expect(Object.keys((await login.json()) as object)).toEqual(['csrfToken']);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
      const list = await fetch(`${base}/api/requests`, { headers: { cookie } });
      expect(list.status).toBe(200);
      const body = (await list.json()) as { total: number; items: unknown[] };
      expect(body.items.length).toBeGreaterThanOrEqual(10);
    } finally {
      if (run.child.exitCode === null) process.kill(-run.child.pid!, 'SIGTERM');
    }
    await run.exit;
    expect(await groupExited(run.child.pid!, 60_000)).toBe(true);
    expect(run.output()).toContain('SIGTERM: stopping Release Desk');
    expect(existsSync(path.join(placeCluster(dir).clusterDir, 'postmaster.pid'))).toBe(false);
  }, 120_000);
});
