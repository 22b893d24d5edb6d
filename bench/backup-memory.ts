// `npx tsx bench/backup-memory.ts [--mb 200]`: the backup streams. A data directory with that many
// megabytes of files (random bytes, so nothing compresses) is backed up and restored by the real
// CLI, each in its own process under /usr/bin/time, and the peak memory (max RSS) of each is printed
// beside that of a CLI command that reads almost nothing (`practice list`). Not a test: no thresholds.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { boot } from '../src/server/boot.js';
import { loadConfig } from '../src/server/config.js';
import { putBlob } from '../src/server/documents/blobs.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mbArg = process.argv.indexOf('--mb');
const totalMb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 200;
const FILE_MB = 25;

interface Measured {
  seconds: number;
  maxRssMb: number;
}

/** The CLI in its own process, as an operator runs it; GNU time reports its peak RSS. */
function cli(args: string[]): Measured {
  const started = Date.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'MAXRSS_KB=%M', process.execPath, '--import', 'tsx', 'src/server/cli/main.ts', ...args],
    { cwd: repo, env: { PATH: process.env.PATH, HOME: process.env.HOME }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`release-desk ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  const kb = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1]);
  return { seconds: (Date.now() - started) / 1000, maxRssMb: kb / 1024 };
}

function reachable(dir: string): string {
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755); // PostgreSQL's OS user reaches it: no relocated cluster
  return dir;
}

const root = mkdtempSync(path.join(os.tmpdir(), 'rd-bench-backup-'));
chmodSync(root, 0o755);
try {
  const oldDir = reachable(path.join(root, 'old'));
  const newDir = reachable(path.join(root, 'new'));
  const file = path.join(root, 'backup.rdb');
  cli([
    'practice',
    'create',
    '--data-dir',
    oldDir,
    '--name',
    'Bench Practice',
    '--state',
    'OR',
    '--time-zone',
    'America/Los_Angeles',
  ]);

  const running = await boot(loadConfig({}, { dataDir: oldDir, logLevel: 'silent' }), {
    log: () => {},
    jobMaintenance: false,
  });
  try {
    const { rows } = await running.services.database.pool.query<{ id: string }>('select id from practices');
    const practiceId = rows[0]!.id;
    for (let done = 0; done < totalMb; done += FILE_MB) {
      const data = randomBytes(Math.min(FILE_MB, totalMb - done) * 1024 * 1024);
      await running.services.database.db.transaction((tx) =>
        putBlob(tx, running.services.config.masterKey, { practiceId, data, now: new Date() }),
      );
    }
  } finally {
    await running.close();
  }

  const baseline = cli(['practice', 'list', '--data-dir', oldDir]);
  const backup = cli(['backup', file, '--data-dir', oldDir]);
  mkdirSync(path.join(newDir, 'secrets'), { mode: 0o700 });
  copyFileSync(path.join(oldDir, 'secrets', 'master.key'), path.join(newDir, 'secrets', 'master.key'));
  const restore = cli(['restore', file, '--data-dir', newDir]);
  const size = statSync(file).size / 1024 / 1024;

  console.log(
    `Backup of ${totalMb} MB of files (${Math.ceil(totalMb / FILE_MB)} files of up to ${FILE_MB} MB):`,
  );
  console.log(`  backup file                 ${size.toFixed(1)} MB (bytea as base64 inside, encrypted)`);
  console.log('  command                     seconds   peak RSS (MB)');
  for (const [name, m] of [
    ['practice list (baseline)', baseline],
    ['backup <file>', backup],
    ['restore <file>', restore],
  ] as const) {
    console.log(
      `  ${name.padEnd(26)}  ${m.seconds.toFixed(1).padStart(7)}   ${m.maxRssMb.toFixed(0).padStart(13)}`,
    );
  }
  console.log('(each command includes starting and stopping the embedded PostgreSQL, and migrations)');
} finally {
  rmSync(root, { recursive: true, force: true });
}
