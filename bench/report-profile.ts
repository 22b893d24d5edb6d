// The details route's queries: one request on its own (before the load, and after it, when the
// request has thousands of 'request.viewed' audit rows), and the mix under concurrent load.
import type { Services } from '../src/server/context.js';
import { type CpuProfile, cpuProfile } from './cpu.js';
import { type LoadSettings, measureHttp } from './load.js';
import { aggregate, type QueryCall, type QueryProfiler, type QueryStat, shape } from './profile.js';
import type { Session } from './seed.js';
import { ms, num, renderTable } from './table.js';

export interface RouteProfile {
  /** Audit rows of the request when the single request ran (most are 'request.viewed'). */
  auditRows: number;
  one: QueryCall[];
  oneMs: number;
  /** Entries in the response's `history` (the request's audit trail, views left out). */
  historyShown: number;
  underLoad: { stats: QueryStat[]; requests: number; rps: number; cpu: CpuProfile } | null;
}

async function auditRowsOf(services: Services, requestId: string): Promise<number> {
  const { rows } = await services.database.pool.query<{ n: number }>(
    'select count(*)::int as n from audit_events where request_id = $1',
    [requestId],
  );
  return rows[0]?.n ?? 0;
}

export async function profileRoute(
  profiler: QueryProfiler,
  url: string,
  session: Session,
  services: Services,
  load: LoadSettings | null,
): Promise<RouteProfile> {
  const requestId = url.slice(url.lastIndexOf('/') + 1);
  const auditRows = await auditRowsOf(services, requestId);
  const headers = { cookie: `rd_session=${session.cookie}` };
  profiler.start();
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = (await res.json()) as { history?: unknown[] };
  const oneMs = performance.now() - t0;
  const one = profiler.stop();
  if (res.status !== 200) throw new Error(`profile: GET ${url} answered ${res.status}`);
  const historyShown = body.history?.length ?? 0;
  let underLoad: RouteProfile['underLoad'] = null;
  if (load) {
    profiler.start();
    const { result: r, profile: cpu } = await cpuProfile(() =>
      measureHttp('details (profiled)', url, load, headers),
    );
    underLoad = { stats: aggregate(profiler.stop()), requests: r.requests, rps: r.rps, cpu };
  }
  return { auditRows, one, oneMs, historyShown, underLoad };
}

const indent = (t: string) =>
  t
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

const sum = (calls: QueryCall[]) => calls.reduce((s, c) => s + c.ms, 0);

export function printProfile(log: (m: string) => void, before: RouteProfile, after: RouteProfile): void {
  log(
    `  one request alone, before the load (${num(before.auditRows)} audit rows on the request): ` +
      `${ms(before.oneMs)} wall, ${before.one.length} calls, ${ms(sum(before.one))} in the database calls`,
  );
  log(
    `  one request alone, after the load  (${num(after.auditRows)} audit rows on the request): ` +
      `${ms(after.oneMs)} wall, ${after.one.length} calls, ${ms(sum(after.one))} in the database calls`,
  );
  log(
    `  history entries in the response: ${before.historyShown} before the load, ${after.historyShown} after` +
      (after.historyShown < before.historyShown
        ? ' <- FEWER: the route reads the last 200 audit rows, then drops the request.viewed ones\n'
        : '\n'),
  );
  const rows = after.one.map((c, i) => {
    const b = before.one[i];
    const same = b && shape(b.text) === shape(c.text);
    return [String(i + 1), same ? ms(b.ms) : '-', ms(c.ms), shape(c.text)];
  });
  log(
    indent(
      renderTable(
        [
          { title: '#', align: 'right' },
          { title: 'before', align: 'right' },
          { title: 'after', align: 'right' },
          { title: 'call (in order, one request alone)' },
        ],
        rows,
      ),
    ),
  );
  const load = after.underLoad;
  if (!load) return;
  const total = load.stats.reduce((s, q) => s + q.totalMs, 0);
  log(
    `\n  under load (${num(load.requests)} requests, ${num(load.rps)} req/s while profiled): ` +
      'time per call, summed over concurrent connections\n',
  );
  log(
    indent(
      renderTable(
        [
          { title: 'share', align: 'right' },
          { title: 'per req', align: 'right' },
          { title: 'mean', align: 'right' },
          { title: 'max', align: 'right' },
          { title: 'call' },
        ],
        load.stats
          .slice(0, 12)
          .map((q) => [
            `${((100 * q.totalMs) / total).toFixed(1)}%`,
            (q.count / load.requests).toFixed(2),
            ms(q.totalMs / q.count),
            ms(q.maxMs),
            q.text,
          ]),
      ),
    ),
  );
  printLockHold(log, load.stats, load.rps, load.requests);
  printCpu(log, load.cpu, load.requests);
}

/**
 * The audit chain's per-practice advisory lock is held from its grant to the end of COMMIT, once per
 * batch of reads (audit/appender.ts): the calls after it run one batch at a time, so their summed
 * mean time, times the rows a batch carries, bounds the audited reads a second.
 */
function printLockHold(log: (m: string) => void, stats: QueryStat[], rps: number, requests: number): void {
  const find = (prefix: string) => stats.find((s) => s.text.startsWith(prefix));
  const mean = (prefix: string) => {
    const q = find(prefix);
    return q ? q.totalMs / q.count : Number.NaN;
  };
  const parts = [
    ['last chain row', mean('select seq, hmac from audit_events')],
    ['insert', mean('insert into audit_events')],
    ['commit', mean('commit')],
  ] as const;
  const held = parts.reduce((s, [, v]) => s + v, 0);
  const batches = find('insert into audit_events')?.count ?? 0;
  const perBatch = batches > 0 ? requests / batches : Number.NaN;
  log(
    `\n  audit-chain lock held per batch ≈ ${parts.map(([k, v]) => `${k} ${ms(v)}`).join(' + ')} = ${ms(held)}` +
      `; ${num(batches)} batches for ${num(requests)} requests (${perBatch.toFixed(1)} a batch)` +
      ` -> at most ${num((1000 / held) * perBatch)} audited req/s for one practice; measured ${num(rps)} req/s`,
  );
}

function printCpu(log: (m: string) => void, cpu: CpuProfile, requests: number): void {
  const busy = cpu.totalMs - cpu.idleMs;
  log(
    `\n  CPU of the app's thread under load: busy ${((100 * busy) / cpu.totalMs).toFixed(0)}% of ` +
      `${ms(cpu.totalMs)}, ${ms(busy / requests)} of CPU per request (self time, sampled every 0.5 ms)\n`,
  );
  const cols = [
    { title: 'share', align: 'right' as const },
    { title: 'per req', align: 'right' as const },
    { title: 'where' },
  ];
  const rows = (xs: { name: string; ms: number }[]) =>
    xs.map((x) => [`${((100 * x.ms) / busy).toFixed(1)}%`, ms(x.ms / requests), x.name]);
  log(indent(renderTable(cols, rows(cpu.byPlace))));
  log('');
  log(indent(renderTable(cols, rows(cpu.byFunction.slice(0, 10)))));
}
