// The worker: registers each job's handler (which lives with its domain) on the shared queue.
import type { Services } from '../context.js';

export interface Worker {
  stop(): Promise<void>;
}

export type JobHandler = (services: Services, data: Record<string, unknown>) => Promise<void>;

const handlers = new Map<string, JobHandler>();

export function registerHandler(name: string, handler: JobHandler): void {
  handlers.set(name, handler);
}

export async function startWorker(services: Services): Promise<Worker> {
  for (const [name, handler] of handlers) {
    await services.boss.work<Record<string, unknown>>(
      name,
      { batchSize: 5, pollingIntervalSeconds: 1 },
      async (jobs) => {
        for (const job of jobs) await handler(services, job.data);
      },
    );
  }
  return {
    async stop() {
      for (const name of handlers.keys()) await services.boss.offWork(name).catch(() => {});
    },
  };
}
