// `npm run test:faults [-- --full]`: the long fault tests (vitest.faults.config.ts). `--full` runs them
// at the sizes the issue names (e.g. a 2-minute SMTP outage); without it, CI-sized.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const full = args.includes('--full');
const rest = args.filter((a) => a !== '--full');
const result = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.faults.config.ts', ...rest], {
  stdio: 'inherit',
  env: { ...process.env, RELEASE_DESK_FAULTS_FULL: full ? '1' : '0' },
});
process.exit(result.status ?? 1);
