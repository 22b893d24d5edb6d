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

export interface HttpFigures {
  /** Successful (2xx) responses per second over the measured window. */
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  seconds: number;
}

export class LoadError extends Error {}

async function fire(url: string, seconds: number, connections: number, headers: Record<string, string>) {
  return autocannon({ url, connections, duration: seconds, workers: 1, headers, timeout: 30 });
}

function check(label: string, r: Result): void {
  const bad = r.non2xx + r.errors + r.timeouts;
  if (bad > 0 || r['2xx'] === 0) {
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
    check(`${label} (warm-up)`, await fire(url, settings.warmup, settings.connections, headers));
  const r = await fire(url, settings.duration, settings.connections, headers);
  check(label, r);
  return {
    rps: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r['2xx'],
    seconds: r.duration,
  };
}
