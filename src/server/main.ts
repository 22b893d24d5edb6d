// `npm start`: the Release Desk server.
import { buildApp } from './app.js';
import { boot, type Running } from './boot.js';
import { scheduleClocksSweep } from './clocks/sweep.js';
import { ConfigError, loadConfig } from './config.js';
import { IncompatibleDataDirectoryError } from './db/embedded.js';
import { KeyMismatchError } from './db/keys.js';
import { JOB_HANDLERS } from './handlers.js';
import { startWorker } from './jobs/worker.js';
import { type MailRuntime, startMail } from './mail/runtime.js';

export interface ServeHooks {
  /** Runs once the database is ready, before the app is built (the demo seeds here). */
  afterBoot?: (running: Running) => Promise<void>;
}

export async function serve(
  overrides: Parameters<typeof loadConfig>[1] = {},
  banner?: string,
  hooks: ServeHooks = {},
): Promise<void> {
  const started = Date.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, overrides);
  } catch (err) {
    fail(err);
  }
  const running = await boot(config).catch(fail);
  if (hooks.afterBoot) {
    try {
      await hooks.afterBoot(running);
    } catch (err) {
      await running.close();
      fail(err);
    }
  }
  const app = await buildApp(running.services, { logger: true });
  const worker = await startWorker(running.services, JOB_HANDLERS, { log: (m) => app.log.warn(m) });
  // rule TIME-6: nothing sits silent: the clocks sweep runs every CLOCKS_SWEEP_MINUTES (5 unless set;
  // the server only; pg-boss queues one sweep per tick however many instances run).
  await scheduleClocksSweep(running.services.boss, config.clocksSweepMinutes);
  // The mail dispatcher, the built-in SMTP receiver and the IMAP poller run with the server only
  // (tests drive them directly; the benchmark and the browser journeys do not need them).
  let mail: MailRuntime | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Release Desk…`);
    await mail?.stop().catch(() => {});
    await app.close().catch(() => {});
    await worker.stop().catch(() => {});
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    await app.listen({ host: config.host, port: config.port });
    mail = await startMail(running.services, (m) => app.log.warn(m));
  } catch (err) {
    await running.close();
    fail(err);
  }
  const where = running.embedded
    ? `embedded PostgreSQL ${running.embedded.placement.runtime.serverVersion} (${running.embedded.placement.clusterDir})`
    : 'PostgreSQL from DATABASE_URL';
  console.log(
    [
      '',
      banner ?? 'Release Desk is running.',
      `  Open:      ${config.publicUrl}`,
      `  API docs:  ${config.publicUrl}/api/docs`,
      `  Data:      ${config.dataDir}`,
      `  Database:  ${where}`,
      `  Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );
}

function fail(err: unknown): never {
  const known =
    err instanceof ConfigError ||
    err instanceof IncompatibleDataDirectoryError ||
    err instanceof KeyMismatchError;
  console.error(
    `\nRelease Desk could not start.\n${known ? (err as Error).message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await serve();
}
