// A backup made while the app takes writes is one consistent snapshot. The backup exports its
// REPEATABLE READ snapshot (pg_export_snapshot); this test reads the database in that same snapshot
// while a write load (messages and uploads through the API) keeps going, and holds the backup until
// more writes have been acknowledged after it. Restored into an empty database with the master key
// alone, the practice equals what the snapshot saw, row for row; the writes after it are absent,
// every file decrypts to its SHA-256, and the audit chain verifies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../../src/server/audit/chain.js';
import { createBackup } from '../../src/server/backup/create.js';
import { createTestApp, createTestDatabase, type TestApp } from '../support/app.js';
import {
  checkFileHashes,
  cli,
  counts,
  dump,
  dumpWith,
  type Seeded,
  seedPractice,
  writeOnce,
} from './support.js';

describe('backup while the app runs', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-backup-live-'));
  const file = path.join(dir, 'live.rdb');
  let source: TestApp;
  let seeded: Seeded;

  beforeAll(async () => {
    source = await createTestApp();
    seeded = await seedPractice(source);
  });
  afterAll(async () => {
    await source?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores exactly the REPEATABLE READ snapshot the backup took, while writes went on around it', async () => {
    // The write load: one acknowledged write after another until stopped.
    let acknowledged = 0;
    let stop = false;
    const waiters: { n: number; resolve: () => void }[] = [];
    const load = (async () => {
      for (let i = 1; !stop; i++) {
        await writeOnce(source, seeded.support, seeded.requestIds[0]!, i);
        acknowledged += 1;
        for (const w of waiters.filter((w) => acknowledged >= w.n)) w.resolve();
      }
    })();
    const acknowledgedReach = (n: number) =>
      new Promise<void>((resolve) => {
        if (acknowledged >= n) resolve();
        else waiters.push({ n, resolve });
      });
    await acknowledgedReach(2);

    let atSnapshot: Record<string, string[]> = {};
    let writesDuringBackup = 0;
    const pool = new pg.Pool({ connectionString: source.databaseUrl, max: 2 });
    try {
      await createBackup(pool, file, {
        masterKey: source.config.masterKey,
        auditKey: source.config.auditKey,
        now: source.clock.now(),
        async onSnapshot(snapshotId) {
          const c = new pg.Client({ connectionString: source.databaseUrl });
          await c.connect();
          try {
            await c.query('begin isolation level repeatable read read only');
            await c.query(`set transaction snapshot '${snapshotId}'`);
            await c.query("set local timezone to 'UTC'");
            atSnapshot = await dumpWith(c);
            await c.query('commit');
          } finally {
            await c.end();
          }
          // Hold the snapshot while more writes are acknowledged: they must not be in the backup.
          const from = acknowledged;
          await acknowledgedReach(from + 3);
          writesDuringBackup = acknowledged - from;
        },
      });
    } finally {
      await pool.end();
    }
    stop = true;
    await load;
    expect(writesDuringBackup).toBeGreaterThanOrEqual(3);

    const live = await dump(source.databaseUrl);
    expect(live.thread_messages!.length).toBeGreaterThan(atSnapshot.thread_messages!.length);
    expect(live.audit_events!.length).toBeGreaterThan(atSnapshot.audit_events!.length);

    const target = await createTestDatabase();
    const run = await cli(['restore', file, '--audit-key-out', path.join(dir, 'audit.key')], {
      DATABASE_URL: target,
      RELEASE_DESK_MASTER_KEY: source.config.masterKey.toString('base64'),
    });
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/Audit log intact: \d+ rows checked/);

    const restored = await dump(target);
    expect(counts(restored)).toEqual(counts(atSnapshot));
    expect(restored).toEqual(atSnapshot); // row for row, what the snapshot saw
    expect(await checkFileHashes(target, source.config.masterKey)).toBe(atSnapshot.files!.length);
    expect(atSnapshot.files!.length).toBeGreaterThan(0);
    const pool2 = new pg.Pool({ connectionString: target, max: 1 });
    try {
      const chain = await verifyChains(pool2, source.config.auditKey);
      expect(chain.ok).toBe(true);
      expect(chain.rowsChecked).toBe(atSnapshot.audit_events!.length);
    } finally {
      await pool2.end();
    }
  }, 90_000);
});
