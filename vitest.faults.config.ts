import { defineConfig } from 'vitest/config';

// The long fault tests (test/faults/**/*.long.test.ts): crashes, outages and several instances under
// load. `npm run test:faults` runs them CI-sized; `npm run test:faults -- --full` at full size
// (RELEASE_DESK_FAULTS_FULL=1). They start their own PostgreSQL clusters from the embedded binaries and
// never restart or fill the shared server. The quick fault tests (test/faults/**/*.test.ts without
// `.long`) run with `npm test` in the integration project.
export default defineConfig({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.long.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
