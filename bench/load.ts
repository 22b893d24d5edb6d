// HTTP load with autocannon's programmatic API. The load generator runs in a worker thread, so it
// does not share the event loop of the servers under test (which all live in the main thread).
import autocannon, { type Result } from 'autocannon';

export interface LoadSettings {
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of unmeasured load first (JIT, pools, caches). */
  warmup: number;
}

/** Fewer answers than this in the window (a slow route on a busy machine): measure by count instead. */
export const MIN_ANSWERS = 20;

export interface HttpFigures {
  /** Successful (2xx) responses per second over the measured window. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  seconds: number;
  /** 'count' when the window gave fewer than MIN_ANSWERS answers and MIN_ANSWERS requests were timed instead. */
  by?: 'window' | 'count';
}

export class LoadError extends Error {}

// A request slower than this counts as a timeout (an error): generous, since My tasks on a large
// practice on a shared machine takes seconds.
const TIMEOUT_S = 120;

async function fire(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string>,
  amount?: number,
) {
  return autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    workers: 1,
    headers,
    timeout: TIMEOUT_S,
  });
}

/** Any failure fails the run; a warm-up too short for a single answer (a busy machine) does not. */
function check(label: string, r: Result, requireAnswers = true): void {
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0 || (requireAnswers && r['2xx'] === 0)) {
    throw new LoadError(
      `${label}: ${r['2xx']} ok, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
}

/** Warm up, then measure GET url at a fixed number of connections. Any non-2xx fails the run. */
export async function measureHttp(
  label: string,
  url: string,
  settings: LoadSettings,
  headers: Record<string, string> = {},
): Promise<HttpFigures> {
  if (settings.warmup > 0)
    check(`${label} (warm-up)`, await fire(url, settings.warmup, settings.connections, headers), false);
  let r = await fire(url, settings.duration, settings.connections, headers);
  let by: 'window' | 'count' = 'window';
  check(label, r, false);
  if (r['2xx'] < MIN_ANSWERS) {
    // Requests still in flight when the window closes are not counted: a route slower than the
    // window would show nothing. Time a fixed number of requests instead.
    r = await fire(url, settings.duration, settings.connections, headers, MIN_ANSWERS);
    by = 'count';
    check(label, r);
  }
  return {
    rps: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r['2xx'],
    seconds: r.duration,
    by,
  };
}
