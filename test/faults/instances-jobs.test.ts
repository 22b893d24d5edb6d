// Issue 8, several instances: a job's effect happens once. The server's worker (jobs/worker.ts)
// completes or fails each job of a fetched batch on its own: one failing job is retried alone, and
// the jobs beside it in its batch are not run again (pg-boss fails a whole batch when the handler
// throws, which used to re-run every job of it). Real pg-boss on this run's PostgreSQL, on a queue
// fetched WORKER_BATCH jobs at a time (FETCH_BATCH: mail and packets are fetched one by one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FETCH_BATCH,
  type HandlerMap,
  startWorker,
  WORKER_BATCH,
  type Worker,
} from '../../src/server/jobs/worker.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { waitFor } from './support/mail-world.js';

let t: TestApp;
let worker: Worker | null = null;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await worker?.stop();
  await t?.close();
});

describe('the job worker (issue 8)', () => {
  it('a failing job in a batch is retried alone: the other jobs of its batch run once each', async () => {
    const runs = new Map<number, number>();
    let failedOnce = false;
    const count = async (_s: unknown, data: Record<string, unknown>) => {
      const n = Number(data.n);
      runs.set(n, (runs.get(n) ?? 0) + 1);
      if (n === 1 && !failedOnce) {
        failedOnce = true;
        throw new Error('the first try of job 1 fails');
      }
      return { n };
    };
    const handlers: HandlerMap = {
      'thread.post-instructions': count,
      'clocks.sweep': count,
      'packet.assemble': count,
      'mail.send': count,
    };
    const boss = t.running.services.boss;
    const queue = 'thread.post-instructions';
    expect(FETCH_BATCH[queue]).toBe(WORKER_BATCH);
    const jobs = WORKER_BATCH * 3;
    await boss.insert(
      Array.from({ length: jobs }, (_, n) => ({
        name: queue,
        data: { n },
        retryLimit: 2,
        retryDelay: 0,
      })),
    );
    worker = await startWorker(t.running.services, handlers);
    const done = async () => runs.size === jobs && (runs.get(1) ?? 0) >= 2;
    expect(await waitFor(done, 30_000)).toBe(true);
    await worker.stop();
    worker = null;
    const twice = [...runs].filter(([n, k]) => n !== 1 && k !== 1).map(([n]) => n);
    expect(twice).toEqual([]);
    expect(runs.get(1)).toBe(2);
    const { rows } = await t.running.services.database.pool.query<{ state: string; n: number }>(
      'select state, count(*)::int as n from pgboss.job where name = $1 group by state',
      [queue],
    );
    expect(rows).toEqual([{ state: 'completed', n: jobs }]);
  });
});
