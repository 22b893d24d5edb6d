// The worker: runs each queue's handler (which lives with its domain; handlers.ts wires them).
import type { Services } from '../context.js';
import type { QueueName } from './send.js';

export type JobHandler = (services: Services, data: Record<string, unknown>) => Promise<unknown>;
export type HandlerMap = Readonly<Record<QueueName, JobHandler>>;

export interface Worker {
  stop(): Promise<void>;
}

/** Jobs fetched at a time per queue (and per instance). */
export const WORKER_BATCH = 5;

/** How long a queue with nothing due, or a database that is not answering, waits before asking again. */
const POLL_MS = 1000;

/**
 * The server's worker: one loop per queue that fetches a batch, runs each job, and completes or fails
 * it on its own (issue 8). Not pg-boss's `work()`: it fails a whole batch when the handler throws
 * (the batch's other jobs ran twice), and it records completions and failures without waiting for
 * them, so a database restart while a job finished was an unhandled rejection — which ends a Node
 * process. Here every call to the database is awaited and a failure to reach it is waited out; a job
 * whose outcome could not be recorded stays active and pg-boss retries it once it expires.
 */
export async function startWorker(services: Services, handlers: HandlerMap): Promise<Worker> {
  const names = Object.keys(handlers) as QueueName[];
  const boss = services.boss;
  let stopping = false;
  const sleepers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  async function runQueue(name: QueueName): Promise<void> {
    while (!stopping) {
      let jobs: { id: string; data: Record<string, unknown> }[];
      try {
        jobs = (await boss.fetch<Record<string, unknown>>(name, { batchSize: WORKER_BATCH })) ?? [];
      } catch {
        await pause(POLL_MS); // the database is restarting or gone: ask again shortly
        continue;
      }
      for (const job of jobs) {
        try {
          const result = await handlers[name](services, job.data);
          // What the job did (e.g. a sweep's counts, or null when another held the lock) is kept
          // as the job's output, so an operator or a test can see which instance acted.
          await boss.complete(name, job.id, { result: result ?? null }).catch(() => {});
        } catch (err) {
          await boss.fail(name, job.id, { message: (err as Error).message }).catch(() => {});
        }
      }
      // A full batch: more are likely waiting, so fetch again at once.
      if (jobs.length < WORKER_BATCH && !stopping) await pause(POLL_MS);
    }
  }

  const loops = names.map((name) => runQueue(name));
  return {
    async stop() {
      stopping = true;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
  };
}

/**
 * Run every job that is due now, in this process, until the queues are empty (tests and the CLI;
 * the server uses startWorker). Failures are retried by pg-boss as usual.
 */
export async function drainJobs(services: Services, handlers: HandlerMap): Promise<number> {
  let ran = 0;
  for (;;) {
    let progressed = false;
    for (const name of Object.keys(handlers) as QueueName[]) {
      const jobs = await services.boss.fetch<Record<string, unknown>>(name, { batchSize: 20 });
      for (const job of jobs ?? []) {
        try {
          await handlers[name](services, job.data);
          await services.boss.complete(name, job.id);
        } catch (err) {
          await services.boss.fail(name, job.id, { message: (err as Error).message });
        }
        ran += 1;
        progressed = true;
      }
    }
    if (!progressed) return ran;
  }
}
