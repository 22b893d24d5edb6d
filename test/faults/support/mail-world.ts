// The people and the request a mail or several-instances fault test works on, seeded through an
// in-process boot of the app's own configuration (faults-db's seed.ts) on a database of this test
// run's server (a clone of the migrated template; never DATABASE_URL from the environment).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../support/app.js';
import {
  createClient,
  createPractice,
  createUser,
  linkSupervisor,
  type TestPractice,
  type TestUser,
} from '../../support/factories.js';
import { type AppProcess, launchApp } from './launcher.js';
import { asTestApp, withBootedApp } from './seed.js';

export const MAIL_ENV = {
  MAIL_FROM: 'Riverbend records <records@mail.practice.test>',
  MAIL_REPLY_DOMAIN: 'mail.practice.test',
};

export interface World {
  databaseUrl: string;
  /** A pool on the same database, for counting what the app did. */
  pool: pg.Pool;
  practice: TestPractice;
  support: TestUser[];
  therapist: TestUser;
  supervisor: TestUser;
  clientId: string;
  /** App processes on this database (same keys), not started yet. */
  apps: AppProcess[];
  close(): Promise<void>;
}

/**
 * A database, `instances` app processes on it (same keys, own data directories and ports, not yet
 * started), and a practice with `supportUsers` support staff (one per session: a TOTP code is good
 * once), a therapist with a supervisor, and a client.
 */
export async function seedWorld(opts: {
  instances: number;
  supportUsers: number;
  env?: Record<string, string>;
}): Promise<World> {
  const databaseUrl = await createTestDatabase();
  const masterKey = randomBytes(32).toString('base64');
  const auditKey = randomBytes(32).toString('base64');
  const apps: AppProcess[] = [];
  for (let i = 0; i < opts.instances; i++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), `rd-faults-app${i}-`));
    apps.push(await launchApp({ dataDir, databaseUrl, masterKey, auditKey, env: opts.env }));
  }
  const seeded = await withBootedApp(apps[0]!, async (s) => {
    const t = asTestApp(s);
    const practice = await createPractice(t);
    const support: TestUser[] = [];
    for (let i = 0; i < opts.supportUsers; i++) support.push(await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const supervisor = await createUser(t, practice, ['supervisor']);
    await linkSupervisor(t, therapist, supervisor);
    const client = await createClient(t, practice, therapist);
    return { practice, support, therapist, supervisor, clientId: client.id };
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  return {
    databaseUrl,
    pool,
    apps,
    ...seeded,
    async close() {
      await Promise.all(apps.map((a) => a.stop().catch(() => {})));
      await pool.end();
      for (const a of apps) rmSync(a.env.RELEASE_DESK_DATA_DIR!, { recursive: true, force: true });
    },
  };
}

/** Poll `check` every `everyMs` until it answers true or `timeoutMs` passes; false on timeout. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Outbound emails by status. */
export async function emailStatuses(pool: pg.Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from outbound_emails group by status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
