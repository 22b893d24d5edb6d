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

export async function startWorker(services: Services, handlers: HandlerMap): Promise<Worker> {
  const names = Object.keys(handlers) as QueueName[];
  const boss = services.boss;
  for (const name of names) {
    let workerId: string | null = null;
    workerId = await boss.work<Record<string, unknown>>(
      name,
      { batchSize: WORKER_BATCH, pollingIntervalSeconds: 1 },
      async (jobs) => {
        // Issue 8: each job completes or fails on its own. pg-boss fails a whole batch when its handler
        // throws, so one bad job used to send the others of its batch round again (their effects twice
        // where a handler is not idempotent) and leave the jobs after it waiting for the retry.
        for (const job of jobs) {
          try {
            const result = await handlers[name](services, job.data);
            // What the job did (e.g. a sweep's counts, or null when another held the lock) is kept
            // as the job's output, so an operator or a test can see which instance acted.
            await boss.complete(name, job.id, { result: result ?? null });
          } catch (err) {
            // If even the failure cannot be recorded (the database is gone), throw: pg-boss then fails
            // what is still active of the batch rather than completing it; done jobs stay done.
            await boss.fail(name, job.id, { message: (err as Error).message });
          }
        }
        // A full batch: more are likely waiting, so fetch again now rather than after the polling
        // interval (the interval capped a queue at 5 jobs a second per instance).
        if (jobs.length === WORKER_BATCH && workerId) boss.notifyWorker(workerId);
      },
    );
  }
  return {
    async stop() {
      for (const name of names) await boss.offWork(name).catch(() => {});
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
