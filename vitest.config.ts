import { defineConfig } from 'vitest/config';

// Three tiers (architecture.md, convention 9): fast unit tests beside the code, integration tests
// through app.inject against a real PostgreSQL (embedded, or TEST_DATABASE_URL), and a few browser
// journeys in Debian's Chromium against a real server (e2e/), run last.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'tools/**/*.test.ts'],
          pool: 'threads',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // The long fault tests run with `npm run test:faults` (vitest.faults.config.ts).
          exclude: ['test/faults/**/*.long.test.ts', '**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts', 'e2e/support/global-setup.ts'],
          pool: 'forks',
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
