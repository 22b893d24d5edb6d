// Where the details route's time goes: every query the app sends (timed from the client side, so a
// lock wait shows on the query that waits) and every wait for a pooled connection, recorded while
// the profiler is on. pg is patched only between start() and stop(), never in a measured run.
import pg from 'pg';

export interface QueryCall {
  text: string;
  ms: number;
}

export interface QueryStat {
  text: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface Patchable {
  query: Fn;
  connect: Fn;
}

const POOL_WAIT = '(wait for a pooled connection: pool.connect)';

/** One line per query shape: the select list elided, whitespace collapsed, cut at 90 characters. */
export function shape(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const short = flat.replace(/^select (.*?) from /i, (_m, cols: string) =>
    cols.length > 30 ? 'select … from ' : `select ${cols} from `,
  );
  return short.length > 90 ? `${short.slice(0, 89)}…` : short;
}

function textOf(arg: unknown): string | null {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'text' in arg && typeof arg.text === 'string') return arg.text;
  return null;
}

function isThenable(v: unknown): v is Promise<unknown> {
  return !!v && typeof v === 'object' && 'then' in v && typeof v.then === 'function';
}

/** Time a call that either takes a trailing callback or returns a promise. */
function timed(original: Fn, label: (args: unknown[]) => string | null, onDone: (c: QueryCall) => void): Fn {
  return function (this: unknown, ...args: unknown[]) {
    const text = label(args);
    if (text === null) return original.apply(this, args);
    const t0 = performance.now();
    const done = () => onDone({ text, ms: performance.now() - t0 });
    const last = args.length - 1;
    const cb = args[last];
    if (typeof cb === 'function') {
      args[last] = (...res: unknown[]) => {
        done();
        return (cb as Fn).apply(this, res);
      };
      return original.apply(this, args);
    }
    const out = original.apply(this, args);
    if (isThenable(out)) out.then(done, done);
    return out;
  };
}

export class QueryProfiler {
  private calls: QueryCall[] = [];
  private on = false;
  private restore: (() => void) | null = null;

  private install(): void {
    if (this.restore) return;
    const client = pg.Client.prototype as unknown as Patchable;
    const pool = pg.Pool.prototype as unknown as Patchable;
    const originalQuery = client.query;
    const originalConnect = pool.connect;
    const push = (c: QueryCall) => {
      if (this.on) this.calls.push(c);
    };
    client.query = timed(originalQuery, (args) => textOf(args[0]), push);
    pool.connect = timed(originalConnect, () => POOL_WAIT, push);
    this.restore = () => {
      client.query = originalQuery;
      pool.connect = originalConnect;
    };
  }

  uninstall(): void {
    this.restore?.();
    this.restore = null;
  }

  /** Patch pg and record from now on (measured runs go unpatched). */
  start(): void {
    this.calls = [];
    this.install();
    this.on = true;
  }

  /** Stop, unpatch, and return the calls in the order they finished. */
  stop(): QueryCall[] {
    this.on = false;
    this.uninstall();
    return this.calls;
  }
}

export function aggregate(calls: QueryCall[]): QueryStat[] {
  const by = new Map<string, QueryStat>();
  for (const c of calls) {
    const key = shape(c.text);
    const s = by.get(key) ?? { text: key, count: 0, totalMs: 0, maxMs: 0 };
    s.count += 1;
    s.totalMs += c.ms;
    s.maxMs = Math.max(s.maxMs, c.ms);
    by.set(key, s);
  }
  return [...by.values()].sort((a, b) => b.totalMs - a.totalMs);
}
