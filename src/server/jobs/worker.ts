// The worker: runs each queue's handler (which lives with its domain; handlers.ts wires them).
import type { Services } from '../context.js';
import type { QueueName } from './send.js';

export type JobHandler = (services: Services, data: Record<string, unknown>) => Promise<void>;
export type HandlerMap = Readonly<Record<QueueName, JobHandler>>;

export interface Worker {
  stop(): Promise<void>;
}

export async function startWorker(services: Services, handlers: HandlerMap): Promise<Worker> {
  const names = Object.keys(handlers) as QueueName[];
  for (const name of names) {
    await services.boss.work<Record<string, unknown>>(
      name,
      { batchSize: 5, pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) await handlers[name](services, job.data);
      },
    );
  }
  return {
    async stop() {
      for (const name of names) await services.boss.offWork(name).catch(() => {});
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
