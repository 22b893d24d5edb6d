// The real app in this process, listening on a real port, with its job worker and mail runtime (what
// main.ts runs, less the clocks sweep): for fault tests that break the database under it (a restart,
// a full disk) rather than the app itself. Talk to it with signInHttp(baseUrl, …).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.js';
import { boot, type Running } from '../../../src/server/boot.js';
import { type Config, loadConfig, mailConfigFromEnv } from '../../../src/server/config.js';
import { JOB_HANDLERS } from '../../../src/server/handlers.js';
import { startWorker } from '../../../src/server/jobs/worker.js';
import { startMail } from '../../../src/server/mail/runtime.js';
import type { SeedTarget } from './seed.js';

export interface InProcessApp extends SeedTarget {
  app: FastifyInstance;
  running: Running;
  config: Config;
  baseUrl: string;
  auditKeyBase64: string;
  /** Messages the app logged (job queue and mail errors), to show what it saw. */
  log: string[];
  close(): Promise<void>;
}

export async function startInProcessApp(opts: {
  databaseUrl: string;
  smtpUrl?: string;
}): Promise<InProcessApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rd-faults-app-'));
  chmodSync(dataDir, 0o755);
  const auditKey = randomBytes(32);
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl: opts.databaseUrl,
      masterKey: randomBytes(32),
      auditKey,
      logLevel: 'silent',
      mail: mailConfigFromEnv({
        MAIL_FROM: 'Riverbend records <records@mail.practice.test>',
        ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
      }),
    },
  );
  const log: string[] = [];
  const running = await boot(config, { log: (m) => log.push(m), jobMaintenance: true });
  const app = await buildApp(running.services);
  const worker = await startWorker(running.services, JOB_HANDLERS);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const mail = await startMail(running.services, (m) => log.push(m));
  return {
    app,
    running,
    config,
    baseUrl: address,
    auditKeyBase64: auditKey.toString('base64'),
    log,
    async close() {
      await mail.stop().catch(() => {});
      await app.close().catch(() => {});
      await worker.stop().catch(() => {});
      await running.close().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
