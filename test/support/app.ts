// Each test file gets its own database cloned from the migrated template, and an app built on it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { boot, type Running } from '../../src/server/boot.js';
import { type Config, loadConfig } from '../../src/server/config.js';

export interface TestClock {
  now: () => Date;
  set(d: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start = new Date()): TestClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    set: (d) => {
      t = new Date(d).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  running: Running;
  config: Config;
  clock: TestClock;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('adminUrl');
  const name = `${inject('runPrefix')}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${inject('templateDb')}"`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const clock = testClock();
  const config = loadConfig(
    {},
    {
      dataDir: mkdtempSync(path.join(tmpdir(), 'rd-app-')),
      databaseUrl,
      masterKey: randomBytes(32),
      auditKey: randomBytes(32),
      logLevel: 'silent',
      ...overrides,
    },
  );
  const running = await boot(config, { log: () => {}, now: clock.now, jobMaintenance: false });
  const app = await buildApp(running.services);
  await app.ready();
  return {
    app,
    running,
    config,
    clock,
    databaseUrl,
    async close() {
      await app.close();
      await running.close();
    },
  };
}
