// What a database failure means for the caller (issue 8: PostgreSQL restarted under load, a full
// disk, deadlocks). Drizzle wraps the driver's error (its `cause`), so the chain is searched.

/** The server is gone, restarting or refusing connections: try again shortly (503). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01', // admin_shutdown: a fast stop or restart
  '57P02', // crash_shutdown: another backend crashed
  '57P03', // cannot_connect_now: starting up or in recovery
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300', // too_many_connections
  '58030', // io_error
]);

const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection ended|terminating connection/i;

/** Another transaction got in the way; running the whole transaction again usually succeeds. */
const RETRYABLE_CODES = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

export type DatabaseFailure = 'unavailable' | 'disk_full' | 'conflict';

interface Coded {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

function* chain(err: unknown): Generator<Coded> {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    yield e as Coded;
    e = (e as Coded).cause;
  }
}

export function databaseFailure(err: unknown): DatabaseFailure | null {
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    // 53100 disk_full; ENOSPC when PostgreSQL reports the file system's words in another class.
    if (code === '53100' || code === 'ENOSPC' || /No space left on device/i.test(message)) return 'disk_full';
    if (RETRYABLE_CODES.has(code)) return 'conflict';
    if (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_MESSAGES.test(message)) return 'unavailable';
  }
  return null;
}

/** A deadlock or serialization failure: the transaction may be run once more. */
export function isRetryableTransactionError(err: unknown): boolean {
  return databaseFailure(err) === 'conflict';
}

/**
 * The driver's error code (SQLSTATE or errno) for the log: never the message, which for a Drizzle
 * error quotes the query's parameters (names, dates of birth: SEC-5).
 */
export function failureCode(err: unknown): string | null {
  for (const e of chain(err)) if (typeof e.code === 'string') return e.code;
  return null;
}
