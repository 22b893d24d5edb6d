// `npm run demo`: the same server on its own demo-only data directory (RELEASE_DESK_DEMO_DATA_DIR,
// default ./data-demo), seeded once with a demo practice, its logins, clients and requests. It never
// touches the real database: DATABASE_URL, RELEASE_DESK_DATA_DIR and the key variables are ignored.
import { serve } from '../main.js';
import { DEMO_BANNER, DEMO_LOGINS, DEMO_PASSWORD } from './accounts.js';
import { DEFAULT_DEMO_DATA_DIR, DemoDirectoryError, prepareDemoDirectory } from './directory.js';
import { seedDemo } from './seed.js';

/** Variables of the real server that the demo does not use (it keeps its own keys and database). */
export const IGNORED_VARIABLES = [
  'DATABASE_URL',
  'RELEASE_DESK_DATA_DIR',
  'RELEASE_DESK_MASTER_KEY',
  'RELEASE_DESK_MASTER_KEY_FILE',
  'RELEASE_DESK_AUDIT_KEY',
  'RELEASE_DESK_AUDIT_KEY_FILE',
] as const;

export function demoBanner(): string {
  const width = Math.max(...DEMO_LOGINS.map((l) => l.email.length));
  return [
    `Release Desk demo is running. ${DEMO_BANNER}.`,
    `  Demo logins (password: ${DEMO_PASSWORD}; demo accounts skip the second factor):`,
    ...DEMO_LOGINS.map((l) => `    ${l.email.padEnd(width)}  ${l.name}, ${l.note}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const dir = process.env.RELEASE_DESK_DEMO_DATA_DIR || DEFAULT_DEMO_DATA_DIR;
  const ignored = IGNORED_VARIABLES.filter((name) => process.env[name]);
  let prepared: ReturnType<typeof prepareDemoDirectory>;
  try {
    prepared = prepareDemoDirectory(dir, { realDataDir: process.env.RELEASE_DESK_DATA_DIR || './data' });
  } catch (err) {
    if (!(err instanceof DemoDirectoryError)) throw err;
    console.error(`\nThe Release Desk demo could not start.\n${err.message}\n`);
    process.exit(1);
  }
  for (const name of IGNORED_VARIABLES) delete process.env[name];
  console.log(
    [
      '',
      `Release Desk demo. ${DEMO_BANNER}.`,
      `  Demo data directory: ${prepared.dir}${prepared.created ? ' (new)' : ''} (RELEASE_DESK_DEMO_DATA_DIR)`,
      `  The demo ignores DATABASE_URL and RELEASE_DESK_DATA_DIR: it never uses the real database.${
        ignored.length > 0 ? ` Ignored here: ${ignored.join(', ')}.` : ''
      }`,
      '',
    ].join('\n'),
  );
  await serve({ dataDir: prepared.dir, demo: true, databaseUrl: undefined }, demoBanner(), {
    afterBoot: async (running) => {
      const started = Date.now();
      const result = await seedDemo(running.services);
      console.log(
        result.seeded
          ? `Seeded the demo practice: ${result.requests} requests, their threads' instructions posted by ${result.jobs} jobs (${((Date.now() - started) / 1000).toFixed(1)} s).`
          : 'The demo practice is already seeded; starting with its data as it is.',
      );
    },
  });
}

await main();
