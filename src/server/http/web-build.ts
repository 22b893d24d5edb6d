// The staff web app's production build (dist/web), made without an extra command: `npm install`
// builds it (postinstall), and `npm start` / `npm run demo` rebuild it first when it is missing or
// older than its sources (prestart, predemo). Run as a script: `tsx src/server/http/web-build.ts
// [--force]`. The build is written beside dist/web and swapped in whole, under a lock, so a server
// never serves half a build and two builds never interleave.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../../..');
export const WEB_DIST = path.join(PROJECT_ROOT, 'dist', 'web');
const STAMP = '.build-hash';
const LOCK = path.join(PROJECT_ROOT, 'dist', '.web-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

/** What the build depends on: the app, the shared code it imports, the config and the lockfile. */
const INPUT_DIRS = ['src/web', 'src/shared'];
const INPUT_FILES = ['vite.config.ts', 'package-lock.json'];

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(full);
    return /\.test\.tsx?$/.test(e.name) ? [] : [full];
  });
}

/** A hash of every input's path and content (mtimes change on checkout; contents do not). */
export function webInputsHash(root = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  const files = [
    ...INPUT_DIRS.flatMap((d) => filesUnder(path.join(root, d))),
    ...INPUT_FILES.map((f) => path.join(root, f)).filter((f) => existsSync(f)),
  ].sort();
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export type WebBuildState = 'missing' | 'stale' | 'fresh';

export function webBuildState(dist = WEB_DIST): WebBuildState {
  if (!existsSync(path.join(dist, 'index.html'))) return 'missing';
  const stamp = existsSync(path.join(dist, STAMP)) ? readFileSync(path.join(dist, STAMP), 'utf8') : '';
  return stamp.trim() === webInputsHash() ? 'fresh' : 'stale';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 2 * LOCK_STALE_MS;
  for (;;) {
    try {
      closeSync(openSync(LOCK, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (existsSync(LOCK) ? statSync(LOCK).mtimeMs : Date.now());
      if (age > LOCK_STALE_MS) rmSync(LOCK, { force: true });
      else if (Date.now() > deadline) throw new Error(`Another web build holds ${LOCK}.`);
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

function runVite(outDir: string, log: (line: string) => void): Promise<void> {
  const vite = path.join(
    path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin/vite.js',
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--config', path.join(PROJECT_ROOT, 'vite.config.ts'), '--outDir', outDir],
      {
        cwd: PROJECT_ROOT,
        // A production bundle whatever the caller's NODE_ENV (vitest sets "test").
        env: { ...process.env, NODE_ENV: 'production', RELEASE_DESK_WEB_BUILD_QUIET: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      output += b.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        if (output.trim()) log(output.trim());
        resolve();
      } else reject(new Error(`The web app build failed (vite exited with ${code}):\n${output}`));
    });
  });
}

/** Build dist/web unless it is up to date (or always, with `force`). */
export async function ensureWebBuild(
  opts: { force?: boolean; log?: (line: string) => void } = {},
): Promise<'fresh' | 'built'> {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!opts.force && webBuildState() === 'fresh') return 'fresh';
  return withLock(async () => {
    const before = webBuildState();
    if (!opts.force && before === 'fresh') return 'fresh'; // built by another process meanwhile
    const hash = webInputsHash();
    const started = Date.now();
    log(`Building the web app (${before === 'missing' ? 'first build' : 'sources changed'})…`);
    const tmp = `${WEB_DIST}.new-${process.pid}`;
    const old = `${WEB_DIST}.old-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    await runVite(tmp, log);
    writeFileSync(path.join(tmp, STAMP), `${hash}\n`);
    if (existsSync(WEB_DIST)) renameSync(WEB_DIST, old);
    renameSync(tmp, WEB_DIST);
    rmSync(old, { recursive: true, force: true });
    log(
      `Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(PROJECT_ROOT, WEB_DIST)}).`,
    );
    return 'built';
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await ensureWebBuild({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error(`\n${(err as Error).message}\n`);
    process.exit(1);
  }
}
