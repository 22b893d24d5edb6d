// Boot: config -> database (embedded or DATABASE_URL) -> migrations -> key check -> job queue.
// Shared by the server, the demo, the CLI and the tests, so they all run the same code.
import PgBoss from 'pg-boss';
import type { Config } from './config.js';
import type { Services } from './context.js';
import { connect, type Database } from './db/connect.js';
import { type EmbeddedServer, startEmbeddedPostgres } from './db/embedded.js';
import { checkKeyFingerprints } from './db/keys.js';
import { applyMigrations } from './db/migrate.js';
import { moveLegacyFiles } from './documents/legacy-files.js';
import { QUEUES } from './jobs/send.js';
import { sealLegacyOutboundEmails } from './mail/outbox-body.js';
import { seedShippedRulePacks } from './rules/packs/seed.js';

export interface Running {
  services: Services;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

export interface BootOptions {
  log?: (msg: string) => void;
  now?: () => Date;
  /** Start pg-boss's supervisor and maintenance (the server does; the CLI does not). */
  jobMaintenance?: boolean;
}

export async function boot(config: Config, opts: BootOptions = {}): Promise<Running> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, log);
  const url = config.databaseUrl ?? embedded!.url;
  let database: Database | null = null;
  let boss: PgBoss | null = null;
  try {
    database = connect(url);
    await applyMigrations(database.pool);
    await checkKeyFingerprints(database.pool, { master: config.masterKey, audit: config.auditKey });
    // rule SEC-4: files written before blobs (migration 0010) move to blobs; until then they read as written.
    const legacy = await moveLegacyFiles(database.pool, config.masterKey);
    if (legacy.moved > 0) log(`Moved ${legacy.moved} file(s) to deduplicated blobs.`);
    if (legacy.unopenable.length > 0)
      log(`${legacy.unopenable.length} file(s) did not open with the master key and were left as they are.`);
    // rule SEC-4, SEC-5: email bodies written before migration 0015 are sealed like every new one.
    const plainEmails = await sealLegacyOutboundEmails(database.pool, config.masterKey);
    if (plainEmails.sealed > 0)
      log(`Sealed the body of ${plainEmails.sealed} email(s) written before sealing.`);
    // rule TIME-3: the shipped rule packs, inserted when absent (a new, empty database stays empty for a restore).
    await seedShippedRulePacks(database.pool, { onlyIfInUse: true });
    boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      max: 4,
      supervise: opts.jobMaintenance ?? true,
      schedule: opts.jobMaintenance ?? true,
      // Issue 8: how soon a job left active by a killed process is noticed past its expiry
      // (jobs/send.ts JOB_EXPIRY_SECONDS); pg-boss's default is every 2 minutes.
      maintenanceIntervalSeconds: 30,
    });
    boss.on('error', (err) => log(`job queue error: ${err.message}`));
    await boss.start();
    for (const name of QUEUES) await boss.createQueue(name);
  } catch (err) {
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    await database?.close().catch(() => {});
    await embedded?.stop();
    throw err;
  }
  const services: Services = { config, database, boss, now: opts.now ?? (() => new Date()) };
  const db = database;
  const queue = boss;
  return {
    services,
    embedded,
    async close() {
      await queue.stop({ graceful: true, wait: true, timeout: 5000 }).catch(() => {});
      await db.close().catch(() => {});
      await embedded?.stop();
    },
  };
}
