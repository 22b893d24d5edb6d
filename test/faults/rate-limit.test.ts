// Issue 8, several instances: the per-address rate limits count in PostgreSQL
// (src/server/http/rate-limit-store.ts), so two apps on one database spend one budget: with the
// counts in each process's memory, an attacker got twice the sign-in and secure-link guesses. Two
// apps built in this process (same keys, as instances of one installation have) on a PostgreSQL of
// this test's own, which it stops to show that an outage on the limiter's path answers 503 like
// any other, never a 500. Two real app processes are in instances.test.ts.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { boot, type Running } from '../../src/server/boot.js';
import { loadConfig } from '../../src/server/config.js';
import { purgeExpiredRateLimits } from '../../src/server/http/rate-limit-store.js';
import { randomIp } from '../support/session.js';
import { type Cluster, startCluster } from './support/cluster.js';

interface Instance {
  app: FastifyInstance;
  running: Running;
  dataDir: string;
}

const masterKey = randomBytes(32);
const auditKey = randomBytes(32);
let cluster: Cluster;
let a: Instance;
let b: Instance;

async function instance(databaseUrl: string): Promise<Instance> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rd-rate-limit-'));
  const config = loadConfig({}, { dataDir, databaseUrl, masterKey, auditKey, logLevel: 'silent' });
  const running = await boot(config, { log: () => {}, jobMaintenance: false });
  const app = await buildApp(running.services);
  await app.ready();
  return { app, running, dataDir };
}

beforeAll(async () => {
  cluster = await startCluster();
  const url = await cluster.createAppDatabase();
  a = await instance(url);
  b = await instance(url);
}, 120_000);

afterAll(async () => {
  for (const i of [a, b]) {
    await i?.app.close().catch(() => {});
    await i?.running.close().catch(() => {});
    if (i) rmSync(i.dataDir, { recursive: true, force: true });
  }
  cluster?.destroy();
});

const login = (on: Instance, ip: string, email = 'nobody@example.test') =>
  on.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { email, password: 'not the password' },
  });

const openLink = (on: Instance, ip: string) =>
  on.app.inject({
    method: 'GET',
    url: `/api/links/${randomBytes(32).toString('base64url')}`,
    remoteAddress: ip,
  });

const query = <T extends object>(sql: string, values: unknown[] = []) =>
  a.running.services.database.pool.query<T>(sql, values).then((r) => r.rows);

/** The stored key of a route and address, as the store computes it (a keyed hash, never the address). */
function keyHash(route: string, ip: string): string {
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'release-desk rate-limit v1', 32));
  return createHmac('sha256', key).update(`${route}\n${ip}`).digest('hex');
}

describe('rate limits shared by the instances on one database (issue 8)', () => {
  it('SEC-1: 30 sign-ins a minute per address across A and B together: the 31st is refused with 429 on both', async () => {
    const ip = randomIp();
    const remaining: string[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await login(i % 2 === 0 ? a : b, ip, `someone-${i}@example.test`);
      expect(res.statusCode).toBe(401);
      remaining.push(String(res.headers['x-ratelimit-remaining']));
    }
    // B's first answer already counts A's attempt, and so on: one budget.
    expect(remaining.slice(0, 3)).toEqual(['29', '28', '27']);
    expect(remaining.at(-1)).toBe('0');
    for (const on of [a, b]) {
      const refused = await login(on, ip);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ error: 'too_many_requests' });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
    // Another address is not affected, on either instance.
    expect((await login(b, randomIp())).statusCode).toBe(401);
    // Nor another route from the same address: each route has its own budget.
    expect((await openLink(a, ip)).statusCode).toBe(404);
  });

  it('REL-2: 30 guessed secure-link tokens sent at once over A and B: exactly 20 are answered, 10 refused', async () => {
    const ip = randomIp();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => openLink(i % 2 === 0 ? a : b, ip)),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 404)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const [row] = await query<{ hits: number }>('select hits from rate_limit_counters where key_hash = $1', [
      keyHash('GET /api/links/:token', ip),
    ]);
    expect(row?.hits).toBe(30);
  });

  it('the counts are kept under a keyed hash of route and address: no address or email in the table', async () => {
    const ip = randomIp();
    const email = `kept-out-${randomBytes(4).toString('hex')}@example.test`;
    expect((await login(a, ip, email)).statusCode).toBe(401);
    const rows = await query<{ key_hash: string; window_ms: number; hits: number }>(
      'select key_hash, window_ms, hits from rate_limit_counters',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(ip);
    expect(text).not.toContain(email);
    expect(rows.find((r) => r.key_hash === keyHash('POST /api/auth/login', ip))).toMatchObject({
      window_ms: 60_000,
      hits: 1,
    });
  });

  it('a window that has ended starts again at one, and ended windows are purged while live ones stay', async () => {
    const ip = randomIp();
    for (let i = 0; i < 31; i++) await login(i % 2 === 0 ? a : b, ip);
    expect((await login(a, ip)).statusCode).toBe(429);
    const hash = keyHash('POST /api/auth/login', ip);
    // The database's clock cannot be moved: end the window by moving its reset into the past.
    await query(`update rate_limit_counters set reset_at = now() - interval '1 second' where key_hash = $1`, [
      hash,
    ]);
    const again = await login(b, ip);
    expect(again.statusCode).toBe(401);
    expect(again.headers['x-ratelimit-remaining']).toBe('29');
    expect(
      (await query<{ hits: number }>('select hits from rate_limit_counters where key_hash = $1', [hash]))[0],
    ).toEqual({ hits: 1 });

    const ended = randomIp();
    await login(a, ended);
    const endedHash = keyHash('POST /api/auth/login', ended);
    await query(`update rate_limit_counters set reset_at = now() - interval '1 second' where key_hash = $1`, [
      endedHash,
    ]);
    expect(await purgeExpiredRateLimits(a.running.services)).toBeGreaterThanOrEqual(1);
    const left = await query<{ key_hash: string }>(
      'select key_hash from rate_limit_counters where key_hash = any($1::text[])',
      [[hash, endedHash]],
    );
    expect(left.map((r) => r.key_hash)).toEqual([hash]);
  });

  it('PostgreSQL down: a limited route answers 503 with Retry-After (never a 500, never let through uncounted); back up, it counts again', async () => {
    const ip = randomIp();
    cluster.stop('fast');
    try {
      for (const on of [a, b]) {
        const res = await login(on, ip);
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ error: 'unavailable' });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        const link = await openLink(on, ip);
        expect(link.statusCode).toBe(503);
      }
    } finally {
      cluster.start();
    }
    let back = await login(a, ip);
    for (let i = 0; i < 50 && back.statusCode === 503; i++) {
      await new Promise((r) => setTimeout(r, 200));
      back = await login(a, ip);
    }
    expect(back.statusCode).toBe(401);
    // Only the answered attempt was counted: the refused ones during the outage never reached it.
    expect(back.headers['x-ratelimit-remaining']).toBe('29');
  });
});
