// The worker: runs each queue's handler (which lives with its domain; handlers.ts wires them).
import { performance } from 'node:perf_hooks';
import type { Services } from '../context.js';
import { JOB_EXPIRY_SECONDS, type QueueName } from './send.js';

/**
 * A job's handler. `signal` aborts when the job reaches its time limit (`timeLimitMs`): a handler
 * that waits on something outside (an SMTP conversation) passes it on, so the wait ends with the job.
 */
export type JobHandler = (
  services: Services,
  data: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<unknown>;
export type HandlerMap = Readonly<Record<QueueName, JobHandler>>;

export interface Worker {
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Told when a job is stopped at its time limit or not started in time (queue and job id only). */
  log?: (msg: string) => void;
}

/** Jobs fetched at a time per queue (and per instance), for queues whose jobs take moments. */
export const WORKER_BATCH = 5;

/**
 * How many jobs each queue fetches at once. pg-boss counts a job's expiry from its fetch, also while
 * it waits behind its batch-mates, so a queue whose single job may take minutes (an SMTP conversation
 * waiting out a slow server, a packet of hundreds of pages) fetches one at a time: each job then has
 * its whole time limit for itself.
 */
export const FETCH_BATCH: Readonly<Record<QueueName, number>> = {
  'thread.post-instructions': WORKER_BATCH,
  'clocks.sweep': WORKER_BATCH,
  'packet.assemble': 1,
  'mail.send': 1,
};

/**
 * A job's time limit, from its fetch: nine tenths of its expiry. The worker stops and fails the job
 * then, a tenth of the expiry before pg-boss would count it as lost and let another instance start
 * it while this one still runs it; so a job is retried by the worker that ran it, once, with a
 * reason, and a hanging handler holds its queue no longer than that.
 */
export function timeLimitMs(expireInSeconds: number): number {
  return expireInSeconds * 900;
}

/** How long a queue with nothing due, or a database that is not answering, waits before asking again. */
const POLL_MS = 1000;

/** A job with less time than this left before its time limit is not started (it is fetched again). */
const START_AT_LEAST_MS = 1000;

/** The reason a handler's signal carries when its job reaches its time limit. */
export class JobTimeLimitError extends Error {
  override name = 'JobTimeLimitError';
}

type Outcome = { done: true; result: unknown } | { done: false; error: unknown } | { timedOut: true };

/**
 * Run one handler for at most `ms`. At the limit its signal aborts and the outcome is `timedOut`
 * at once, whether or not the handler heeds the signal: a handler that never settles no longer
 * holds its queue (what it does later is ignored, its rejection included).
 */
async function runWithin(
  run: (signal: AbortSignal) => Promise<unknown>,
  ms: number,
  reason: () => Error,
): Promise<Outcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  const running = Promise.resolve()
    .then(() => run(controller.signal))
    .then(
      (result): Outcome => ({ done: true, result }),
      (error): Outcome => ({ done: false, error }),
    );
  try {
    const outcome = await Promise.race([running, timeUp]);
    if ('timedOut' in outcome) controller.abort(reason());
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * The server's worker: one loop per queue that fetches a batch, runs each job, and completes or fails
 * it on its own (issue 8). Not pg-boss's `work()`: it fails a whole batch when the handler throws
 * (the batch's other jobs ran twice), and it records completions and failures without waiting for
 * them, so a database restart while a job finished was an unhandled rejection — which ends a Node
 * process. Here every call to the database is awaited and a failure to reach it is waited out: a
 * job's outcome is recorded as soon as the database answers again (`settle`), and only a job whose
 * outcome still could not be recorded by its expiry is left for pg-boss to retry then.
 *
 * Each job runs within its time limit (`timeLimitMs`, from its own expiry, counted from its fetch):
 * a handler still running then has its signal aborted and its job failed with the reason, and the
 * queue goes on to its next job. A job whose batch-mates used its time is not started: it is failed
 * as not started, so it is fetched again with a whole time limit instead of running past its expiry.
 */
export async function startWorker(
  services: Services,
  handlers: HandlerMap,
  opts: WorkerOptions = {},
): Promise<Worker> {
  const names = Object.keys(handlers) as QueueName[];
  const boss = services.boss;
  const log = opts.log ?? (() => {});
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

  /**
   * Record a job's outcome, waiting out a database that is not answering (a restart) until the job
   * would expire anyway: a handler that failed because PostgreSQL restarted under it is then retried
   * seconds after the server is back, not at its expiry (12 minutes for an email with the default
   * SMTP reply wait), and a job that did its work is completed rather than run again.
   */
  const settle = async (record: () => Promise<unknown>, expiresAt: number): Promise<void> => {
    for (;;) {
      try {
        await record();
        return;
      } catch {
        if (stopping || performance.now() + POLL_MS >= expiresAt) return; // pg-boss's expiry takes over
        await pause(POLL_MS);
      }
    }
  };

  async function runQueue(name: QueueName): Promise<void> {
    const batchSize = FETCH_BATCH[name];
    while (!stopping) {
      let jobs: { id: string; data: Record<string, unknown>; expireInSeconds: number }[];
      // Taken before the fetch: pg-boss starts each job's expiry when the fetch runs, so the
      // deadlines below fall no later than a tenth of the expiry before pg-boss's.
      const fetchedAt = performance.now();
      try {
        jobs = (await boss.fetch<Record<string, unknown>>(name, { batchSize })) ?? [];
      } catch {
        await pause(POLL_MS); // the database is restarting or gone: ask again shortly
        continue;
      }
      for (const job of jobs) {
        // pg-boss reads the expiry as a number of seconds (numeric: it may come as a string).
        const given = Number(job.expireInSeconds);
        const expiry = Number.isFinite(given) && given > 0 ? given : JOB_EXPIRY_SECONDS[name];
        const deadline = fetchedAt + timeLimitMs(expiry);
        const expiresAt = fetchedAt + expiry * 1000;
        const left = deadline - performance.now();
        if (!(left >= START_AT_LEAST_MS)) {
          const message = `Not started: the jobs fetched before it used the time it had before its expiry (${expiry} s); failed so that it is fetched again.`;
          log(`job ${name} ${job.id}: not started before its time limit`);
          await settle(() => boss.fail(name, job.id, { message }), expiresAt);
          continue;
        }
        const limit = seconds(timeLimitMs(expiry));
        const outcome = await runWithin(
          (signal) => handlers[name](services, job.data, signal),
          left,
          () => new JobTimeLimitError(`the job's time limit (${limit} from its fetch) passed`),
        );
        if ('timedOut' in outcome) {
          const message = `Stopped at its time limit: no outcome ${limit} after it was fetched (its expiry is ${expiry} s); its handler was told to abort, and the job fails so that it is retried.`;
          log(`job ${name} ${job.id}: stopped at its time limit (${limit})`);
          await settle(() => boss.fail(name, job.id, { message }), expiresAt);
        } else if (outcome.done) {
          // What the job did (e.g. a sweep's counts, or null when another held the lock) is kept
          // as the job's output, so an operator or a test can see which instance acted.
          await settle(() => boss.complete(name, job.id, { result: outcome.result ?? null }), expiresAt);
        } else {
          await settle(
            () => boss.fail(name, job.id, { message: (outcome.error as Error)?.message }),
            expiresAt,
          );
        }
      }
      // A full batch: more are likely waiting, so fetch again at once.
      if (jobs.length < batchSize && !stopping) await pause(POLL_MS);
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
 * the server uses startWorker). Failures are retried by pg-boss as usual. No time limit: a job runs
 * to its end (its signal never aborts).
 */
export async function drainJobs(services: Services, handlers: HandlerMap): Promise<number> {
  const never = new AbortController().signal;
  let ran = 0;
  for (;;) {
    let progressed = false;
    for (const name of Object.keys(handlers) as QueueName[]) {
      const jobs = await services.boss.fetch<Record<string, unknown>>(name, { batchSize: 20 });
      for (const job of jobs ?? []) {
        try {
          await handlers[name](services, job.data, never);
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
