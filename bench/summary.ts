// The report's sections as Markdown: each one states the machine and the load average around it.
import { fmtLoad, type Machine, type Window } from './machine.js';
import type { MemorySample } from './memory.js';
import type { CommitFigures } from './postgres.js';
import { ROUTE_LABELS, type RouteKey, type SizeFigures } from './routes.js';
import type { SessionFigures } from './sessions.js';
import type { StartupFigures } from './startup.js';
import { median, min, ms, num, ratio, renderTable } from './table.js';

// autocannon records whole milliseconds: 0 means under one.
const lat = (n: number) => (n === 0 ? '<1 ms' : ms(n));
const secs = (n: number) => (Number.isFinite(n) ? `${(n / 1000).toFixed(2)} s` : '-');
const r = (title: string) => ({ title, align: 'right' as const });
const rate = (n: number) => num(n, n < 10 ? 1 : 0);
/** autocannon's 0 ms means under 1 ms: against it, the ratio is a lower bound. */
const latRatio = (a: number, bare: number) => (bare === 0 ? `≥${ratio(a, 1)}` : ratio(a, bare));

export function machineLine(m: Machine, w: Window): string {
  return (
    `_Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}, node ${m.node}; ` +
    `load average (1/5/15 min) ${fmtLoad(w.loadStart)} at the start, ${fmtLoad(w.loadEnd)} at the end ` +
    `(${w.seconds.toFixed(0)} s); shared with ~7 engineers running tests._`
  );
}

export function section(title: string, m: Machine, w: Window, body: string): string {
  return `## ${title}\n\n${machineLine(m, w)}\n\n${body}`;
}

const ROUTES: RouteKey[] = ['details', 'queue', 'list'];

export function routesBody(sizes: SizeFigures[], connections: number, duration: number): string {
  const rows: string[][] = [];
  for (const s of sizes) {
    const bare = s.routes.bare;
    for (const key of ['bare', ...ROUTES] as RouteKey[]) {
      const f = s.routes[key];
      if (!f) {
        rows.push([num(s.requests), ROUTE_LABELS[key], 'FAILED']);
        continue;
      }
      const vs = key !== 'bare' && bare;
      const one = s.alone?.[key];
      rows.push([
        num(s.requests),
        ROUTE_LABELS[key],
        one === undefined ? '-' : ms(one),
        `${rate(f.rps)}${f.by === 'count' ? '*' : ''}`,
        lat(f.p50),
        lat(f.p99),
        vs ? ratio(bare.rps, f.rps) : '',
        vs ? latRatio(f.p50, bare.p50) : '',
        vs ? latRatio(f.p99, bare.p99) : '',
      ]);
    }
  }
  const main = renderTable(
    [
      r('requests'),
      { title: 'route' },
      r('alone'),
      r('req/s'),
      r('p50'),
      r('p99'),
      r('bare req/s ÷ req/s'),
      r('p50 ÷ bare'),
      r('p99 ÷ bare'),
    ],
    rows,
  );
  const sizesLine = sizes
    .map(
      (s) =>
        `${num(s.requests)} requests: ${num(s.auditRows)} audit rows, My tasks ${s.queueCards} cards, list total ${num(s.listTotal)}`,
    )
    .join('; ');
  let growth = '';
  const [small, large] = [sizes[0], sizes.at(-1)];
  if (small && large && small !== large) {
    const g = ROUTES.map((key) => {
      const a = small.routes[key];
      const b = large.routes[key];
      return [
        ROUTE_LABELS[key],
        a ? rate(a.rps) : '-',
        b ? rate(b.rps) : '-',
        a && b ? ratio(b.rps, a.rps) : '-',
        a && b ? ratio(b.p50, a.p50) : '-',
        a && b ? ratio(b.p99, a.p99) : '-',
      ];
    });
    growth = `\n\nCost growth from ${num(small.requests)} to ${num(large.requests)} requests (the larger ÷ the smaller):\n\n${renderTable(
      [
        { title: 'route' },
        r(`req/s at ${num(small.requests)}`),
        r(`req/s at ${num(large.requests)}`),
        r('req/s ratio'),
        r('p50 ratio'),
        r('p99 ratio'),
      ],
      g,
    )}`;
  }
  return (
    `autocannon, ${connections} connections, ${duration} s measured after a warm-up, signed in as support; ` +
    `the bare route is measured in the same run at each size. ${sizesLine}.\n\n${main}${growth}\n\n` +
    'Ratios: the bare route answers N times as many requests per second; a route takes N times its ' +
    "latency (≥ where the bare route's was under 1 ms). " +
    "'alone': the median of 3 requests one at a time, before the load. * fewer than 20 answers came within the " +
    'window (each took longer), so 20 requests were timed instead. Latencies under load have 1 ms resolution. ' +
    'Every app route here writes an audit row (a view or a listing), so each request also takes the ' +
    "practice's audit-chain lock."
  );
}

export function sessionsBody(f: SessionFigures, atRest: MemorySample | null): string {
  const actionRows = (Object.keys(f.actions) as (keyof SessionFigures['actions'])[]).map((a) => {
    const s = f.actions[a];
    const failed = Object.entries(f.failures)
      .filter(([k]) => k.startsWith(`${a} `))
      .reduce((n, [, v]) => n + v, 0);
    return [a, num(s.count), ms(s.p50), ms(s.p99), ms(s.max), num(failed)];
  });
  actionRows.push(['all', num(f.all.count), ms(f.all.p50), ms(f.all.p99), ms(f.all.max), num(f.errors)]);
  const failures = Object.entries(f.failures)
    .map(([k, v]) => `${v} × ${k}`)
    .join('; ');
  return [
    `${f.sessions} staff sessions (${f.support} support, ${f.therapists} therapists), each signed in over HTTP ` +
      `(password + TOTP, ${f.signInSeconds.toFixed(1)} s for all) with its own cookie and CSRF token, for ` +
      `${f.plannedSeconds} s (the last answer after ${f.seconds.toFixed(0)} s) on ${num(f.requests)} requests; think time uniform 0–${2 * f.thinkMs} ms between a ` +
      "session's actions. Mix: 40% request details, 20% My tasks, 20% request list, 20% internal message posted " +
      '(a write: message, audit row, notification job). The load generator is a separate process.',
    '',
    `**${num(f.ok)} requests ok, ${num(f.errors)} errors** (${f.perSecond.toFixed(1)} answers/s)${failures ? `: ${failures}` : ''}.`,
    '',
    renderTable([{ title: 'action' }, r('ok'), r('p50'), r('p99'), r('max'), r('errors')], actionRows),
    '',
    memoryTable(atRest, f),
  ].join('\n');
}

function memoryTable(atRest: MemorySample | null, f: SessionFigures): string {
  const mib = (n: number | null | undefined) => (n === null || n === undefined ? '-' : `${n.toFixed(0)} MiB`);
  const m = f.memory;
  return [
    `Memory (from /proc, ${m.samples} samples during the sessions):`,
    '',
    renderTable(
      [{ title: 'process' }, r('at rest'), r('under load, mean'), r('under load, peak')],
      [
        [
          'app process RSS (the bench process: app + bare route)',
          mib(atRest?.appRssMiB),
          mib(m.mean.appRssMiB),
          mib(m.peak.appRssMiB),
        ],
        [
          `embedded PostgreSQL, RSS summed over its processes (${atRest?.pgProcesses ?? '?'} at rest, up to ${m.peak.pgProcesses})`,
          mib(atRest?.pgRssMiB),
          mib(m.mean.pgRssMiB),
          mib(m.peak.pgRssMiB),
        ],
        [
          'embedded PostgreSQL, PSS summed (shared buffers counted once)',
          mib(atRest?.pgPssMiB),
          mib(m.mean.pgPssMiB),
          mib(m.peak.pgPssMiB),
        ],
      ],
    ),
  ].join('\n');
}

export function commitsBody(
  many: CommitFigures | null,
  single: CommitFigures | null,
  connections: number,
): string {
  const row = (label: string, c: CommitFigures | null) =>
    c ? [label, num(c.rps), ms(c.p50), ms(c.p99), num(c.commits)] : [label, 'FAILED'];
  const first = many ?? single;
  return [
    'Single-row autocommit INSERTs in a separate database on the same server: the floor under any write.' +
      (first ? ` fsync=${first.fsync}, synchronous_commit=${first.synchronousCommit}.` : ''),
    '',
    renderTable(
      [{ title: 'measurement' }, r('commits/s'), r('p50'), r('p99'), r('count')],
      [row(`${connections} connections`, many), row('1 connection', single)],
    ),
  ].join('\n');
}

export function startupBody(s: StartupFigures): string {
  return [
    `On an existing data directory, ${s.npmStart.length} runs each, interleaved.`,
    '',
    renderTable(
      [{ title: 'measurement' }, r('min'), r('median')],
      [
        ['npm start -> first 200 from /api/health', secs(min(s.npmStart)), secs(median(s.npmStart))],
        ['node --import tsx src/server/main.ts -> 200', secs(min(s.nodeDirect)), secs(median(s.nodeDirect))],
        [
          "of which the server's own 'Ready in' (boot -> listen)",
          secs(min(s.readyIn)),
          secs(median(s.readyIn)),
        ],
        ['embedded PostgreSQL alone', secs(min(s.postgresAlone)), secs(median(s.postgresAlone))],
        [
          'npm start ÷ PostgreSQL alone',
          ratio(min(s.npmStart), min(s.postgresAlone)),
          ratio(median(s.npmStart), median(s.postgresAlone)),
        ],
      ],
    ),
  ].join('\n');
}
