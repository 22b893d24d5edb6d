// `npm run dev`: the API server (restarted on change by `tsx watch`) and Vite's dev server with hot
// reload for the web app, which proxies /api to the API server. `npm run dev -- --demo` runs the
// demo server (./data-demo, demo logins) behind it instead.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from './web-build.js';

const demo = process.argv.includes('--demo');
const apiPort = process.env.PORT ?? '3000';
process.env.RELEASE_DESK_DEV_API_PORT = apiPort;

const api = spawn(
  process.execPath,
  [
    path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'),
    'watch',
    '--clear-screen=false',
    path.join(PROJECT_ROOT, demo ? 'src/server/demo/main.ts' : 'src/server/main.ts'),
  ],
  { cwd: PROJECT_ROOT, env: { ...process.env, PORT: apiPort }, stdio: 'inherit' },
);

const { createServer } = await import('vite');
const web = await createServer({ configFile: path.join(PROJECT_ROOT, 'vite.config.ts') });
await web.listen();
const url = web.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
console.log(
  `\nRelease Desk web app with hot reload: ${url}\n  (API server on port ${apiPort}${demo ? ', demo data' : ''}; /api is proxied to it)\n`,
);

const apiExited = new Promise<void>((resolve) => api.on('exit', () => resolve()));
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // The API server stops its embedded PostgreSQL on SIGTERM: wait for it, or the database outlives us.
  api.kill('SIGTERM');
  await Promise.all([web.close(), Promise.race([apiExited, new Promise((r) => setTimeout(r, 20_000))])]);
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
api.on('exit', (code) => {
  if (!stopping) {
    console.error(`The API server stopped (exit code ${code}).`);
    void stop();
  }
});
