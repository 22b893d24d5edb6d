// The three routes staff use most, each beside the bare Fastify route measured in the same run at
// the same data size: the request details, the work queue (My tasks, as support: the support
// queue) and the request list (the default: by legal due date, 50 a page). All signed in as support.
import type { HttpFigures, LoadSettings } from './load.js';
import { measureHttp } from './load.js';
import type { Session } from './seed.js';
import { percentile } from './stats.js';

export type RouteKey = 'bare' | 'details' | 'queue' | 'list';

export const ROUTE_LABELS: Record<RouteKey, string> = {
  bare: 'bare Fastify {ok:true}, same process',
  details: 'GET /api/requests/:id (request details)',
  queue: 'GET /api/me/tasks (My tasks: the support queue)',
  list: 'GET /api/requests (request list, 50 by legal due date)',
};

export interface SizeFigures {
  requests: number;
  auditRows: number;
  /** Cards My tasks returned, rows the list returned of how many. */
  queueCards: number;
  listTotal: number;
  routes: Partial<Record<RouteKey, HttpFigures>>;
  /** One request at a time, before the load: the median of ALONE_RUNS, in ms. */
  alone: Partial<Record<RouteKey, number>>;
}

const ALONE_RUNS = 3;

async function shape(url: string, cookie: string): Promise<unknown> {
  const res = await fetch(url, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Median wall time of a few sequential requests (no concurrency: the route's own cost). */
async function alone(url: string, cookie: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ALONE_RUNS; i++) {
    const t0 = performance.now();
    await shape(url, cookie);
    times.push(performance.now() - t0);
  }
  return percentile(times, 50);
}

export async function measureRoutes(opts: {
  base: string;
  bareUrl: string;
  requestId: string;
  support: Session;
  load: LoadSettings;
  counts: () => Promise<{ requests: number; auditRows: number }>;
  log: (m: string) => void;
  /** A route that failed (non-2xx, errors): the others are still measured; the run reports it. */
  failed: (what: string) => void;
}): Promise<SizeFigures> {
  const cookie = `rd_session=${opts.support.cookie}`;
  const urls: Record<RouteKey, string> = {
    bare: opts.bareUrl,
    details: `${opts.base}/api/requests/${opts.requestId}`,
    queue: `${opts.base}/api/me/tasks`,
    list: `${opts.base}/api/requests`,
  };
  const queue = (await shape(urls.queue, cookie)) as { tasks: unknown[] };
  const list = (await shape(urls.list, cookie)) as { total: number };
  const { requests, auditRows } = await opts.counts();
  const out: SizeFigures = {
    requests,
    auditRows,
    queueCards: queue.tasks.length,
    listTotal: list.total,
    routes: {},
    alone: {},
  };
  opts.log(
    `  ${requests} requests, ${auditRows} audit rows; My tasks shows ${out.queueCards} cards, the list ${out.listTotal} requests`,
  );
  for (const key of ['bare', 'details', 'queue', 'list'] as const) {
    try {
      out.alone[key] = await alone(urls[key], cookie);
      const r = await measureHttp(key, urls[key], opts.load, key === 'bare' ? {} : { cookie });
      opts.log(
        `  ${ROUTE_LABELS[key]}: alone ${out.alone[key]?.toFixed(1)} ms; ${r.rps.toFixed(1)} req/s, ` +
          `p50 ${r.p50} ms, p99 ${r.p99} ms (${r.requests} requests${r.by === 'count' ? ', timed by count' : ''})`,
      );
      out.routes[key] = r;
    } catch (err) {
      opts.log(`  ${ROUTE_LABELS[key]}: FAILED: ${(err as Error).message}`);
      opts.failed(ROUTE_LABELS[key]);
    }
  }
  return out;
}
