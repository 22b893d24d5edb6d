// The way to a new PostgreSQL major (the embedded server ships no pg_dump): back up one embedded
// data directory with the CLI and restore into a new one that holds nothing but the master key.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/server/db/embedded.js';
import { cli } from './support.js';

describe('between two embedded data directories (the way to a new PostgreSQL major)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rd-backup-dirs-'));
  chmodSync(root, 0o755); // reachable by PostgreSQL's OS user: no relocated cluster left behind
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('backs up one data directory and restores into a new one holding only the old master key', async () => {
    const [oldDir, newDir, out] = [path.join(root, 'old'), path.join(root, 'new'), path.join(root, 'b.rdb')];
    // Reachable by PostgreSQL's OS user before secrets/ (0700) is made inside: no relocated cluster.
    for (const d of [oldDir, newDir]) {
      mkdirSync(d, { mode: 0o755 });
      chmodSync(d, 0o755);
    }
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }; // --data-dir wins
    // The old installation's server runs throughout (the CLI uses it, as beside a running app);
    // the new data directory is started by the restore itself, from nothing but the master key.
    const oldServer = await startEmbeddedPostgres(oldDir, () => {});
    try {
      const practice = ['--name', 'Lakeside Therapy', '--state', 'OR', '--time-zone', 'America/Los_Angeles'];
      expect((await cli(['practice', 'create', '--data-dir', oldDir, ...practice], env)).code).toBe(0);
      const admin = ['--email', 'dana@lakeside.test', '--name', 'Dana Admin'];
      expect((await cli(['admin', 'create', '--data-dir', oldDir, ...admin], env)).code).toBe(0);
      const made = await cli(['backup', out, '--data-dir', oldDir], env);
      expect(made.code, made.err).toBe(0);
      expect(made.err).toContain('(its running server)');
    } finally {
      await oldServer.stop();
    }

    // The master key lives in the data directory, not in the backup: copy it before the first
    // start. The audit key comes from the backup.
    mkdirSync(path.join(newDir, 'secrets'), { recursive: true, mode: 0o700 });
    copyFileSync(path.join(oldDir, 'secrets', 'master.key'), path.join(newDir, 'secrets', 'master.key'));
    const restored = await cli(['restore', out, '--data-dir', newDir], env);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.err).not.toContain('(its running server)');
    const keyText = (d: string) => readFileSync(path.join(d, 'secrets', 'audit.key'), 'utf8').trim();
    expect(keyText(newDir)).toBe(keyText(oldDir));
    expect(restored.out).toMatch(/practices\s+1\n/);
    expect(restored.out).toMatch(/users\s+1\n/);
    expect(restored.out).toMatch(/Audit log intact: [1-9]\d* rows/);
  }, 180_000);
});
