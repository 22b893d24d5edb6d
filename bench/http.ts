// The servers under test, all in this process: Release Desk on a fresh embedded PostgreSQL, and a
// bare Fastify instance answering {ok:true} (the baseline for what HTTP + Fastify alone cost here).
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { boot, type Running } from '../src/server/boot.js';
import { loadConfig } from '../src/server/config.js';
import { type EmbeddedServer, startEmbeddedPostgres } from '../src/server/db/embedded.js';

export interface AppUnderTest {
  embedded: EmbeddedServer;
  running: Running;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> of the app. */
  base: string;
  close(): Promise<void>;
}

export function baseUrl(app: FastifyInstance): string {
  const addr = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * Start PostgreSQL in dataDir, boot Release Desk on it (migrations, key check, job queue) and
 * listen on a free port. The job queue's maintenance is off: jobs are drained explicitly.
 */
export async function startApp(
  dataDir: string,
  log: (m: string) => void,
  opts: { trustProxy?: boolean } = {},
): Promise<AppUnderTest> {
  const quiet = () => {};
  const t0 = performance.now();
  const embedded = await startEmbeddedPostgres(dataDir, quiet);
  log(
    `  embedded PostgreSQL ${embedded.placement.runtime.serverVersion} on port ${embedded.port} ` +
      `(${((performance.now() - t0) / 1000).toFixed(2)} s, cluster ${embedded.placement.clusterDir})`,
  );
  let running: Running | null = null;
  let app: FastifyInstance | null = null;
  try {
    const config = loadConfig(
      {},
      {
        dataDir,
        databaseUrl: embedded.url,
        masterKey: randomBytes(32),
        auditKey: randomBytes(32),
        logLevel: 'silent',
        host: '127.0.0.1',
        port: 0,
        // The sessions phase signs 200 staff in from distinct X-Forwarded-For addresses, as behind
        // a practice's proxy; otherwise the per-address sign-in limit is all it would measure.
        trustProxy: opts.trustProxy ?? false,
      },
    );
    const t1 = performance.now();
    running = await boot(config, { log: quiet, jobMaintenance: false });
    app = await buildApp(running.services, { logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    log(`  app booted and listening at ${baseUrl(app)} (${((performance.now() - t1) / 1000).toFixed(2)} s)`);
  } catch (err) {
    await app?.close().catch(() => {});
    await running?.close().catch(() => {});
    await embedded.stop();
    throw err;
  }
  const r = running;
  const a = app;
  let closed = false;
  return {
    embedded,
    running: r,
    app: a,
    base: baseUrl(a),
    async close() {
      if (closed) return;
      closed = true;
      await a.close().catch(() => {});
      await r.close().catch(() => {}); // boot was given a URL: this leaves PostgreSQL running
      await embedded.stop();
    },
  };
}

/** The baseline: the smallest JSON route Fastify can serve, no plugins, no logger. */
export async function startBareFastify(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `${baseUrl(app)}/` };
}
