// The final table: each figure beside the baseline it is compared to, with the ratios.
import type { HttpFigures, LoadSettings } from './load.js';
import type { CommitFigures } from './postgres.js';
import type { Seeded } from './seed.js';
import type { StartupFigures } from './startup.js';
import { median, min, ms, num, ratio, renderTable } from './table.js';

export interface Results {
  details: HttpFigures | null;
  baseline: HttpFigures | null;
  commits: CommitFigures | null;
  /** The commit loop with one connection: the most a single committer (e.g. under one lock) gets. */
  single: CommitFigures | null;
  startup: StartupFigures | null;
  load: LoadSettings;
  seeded: Seeded | null;
}

const FAILED = ['FAILED', '', '', ''];
const secs = (n: number) => (Number.isFinite(n) ? `${(n / 1000).toFixed(2)} s` : '-');

function throughputTable(r: Results): string {
  const { details: a, baseline: b, commits: c } = r;
  // autocannon records whole milliseconds: 0 means under one.
  const lat = (n: number) => (n === 0 ? '<1 ms' : ms(n));
  const row = (label: string, f: { rps: number; p50: number; p99: number } | null, count: string) =>
    f ? [label, num(f.rps), lat(f.p50), lat(f.p99), count] : [label, ...FAILED];
  const rows: string[][] = [
    row('(a) GET /api/requests/:id, signed in as support', a, a ? num(a.requests) : ''),
    row('(b) bare Fastify {ok:true}, same process', b, b ? num(b.requests) : ''),
    row('(c) PostgreSQL single-row autocommit insert', c, c ? num(c.commits) : ''),
  ];
  if (r.single) {
    rows.push([
      '    (c) with 1 connection, for reference',
      num(r.single.rps),
      ms(r.single.p50),
      ms(r.single.p99),
      num(r.single.commits),
    ]);
  }
  if (a && b) {
    rows.push([
      '(a)/(b): details vs bare route',
      ratio(a.rps, b.rps),
      ratio(a.p50, b.p50),
      ratio(a.p99, b.p99),
    ]);
  }
  if (a && c) {
    rows.push([
      '(a)/(c): details vs one commit',
      ratio(a.rps, c.rps),
      ratio(a.p50, c.p50),
      ratio(a.p99, c.p99),
    ]);
  }
  const s = r.seeded;
  const what = s
    ? `request with ${s.tasks} tasks, ${s.threadMessages} thread messages, ${s.historyEvents} history events`
    : 'no request seeded';
  return [
    `Throughput and latency: ${r.load.connections} connections, ${r.load.duration} s each (${what})`,
    renderTable(
      [
        { title: 'measurement' },
        { title: 'per second', align: 'right' },
        { title: 'p50', align: 'right' },
        { title: 'p99', align: 'right' },
        { title: 'count', align: 'right' },
      ],
      rows,
    ),
    '(autocannon latencies have 1 ms resolution; a ratio row divides (a) by (b) or by (c), column by column.)',
  ].join('\n');
}

function startupTable(r: Results): string {
  const s = r.startup;
  const rows: string[][] = s
    ? [
        ['npm start -> first 200 from /api/health', secs(min(s.npmStart)), secs(median(s.npmStart))],
        [
          '  node --import tsx src/server/main.ts -> 200',
          secs(min(s.nodeDirect)),
          secs(median(s.nodeDirect)),
        ],
        [
          "  of which the server's own 'Ready in' (boot -> listen)",
          secs(min(s.readyIn)),
          secs(median(s.readyIn)),
        ],
        [
          'embedded PostgreSQL alone (startEmbeddedPostgres)',
          secs(min(s.postgresAlone)),
          secs(median(s.postgresAlone)),
        ],
        [
          'npm start / PostgreSQL alone',
          ratio(min(s.npmStart), min(s.postgresAlone)),
          ratio(median(s.npmStart), median(s.postgresAlone)),
        ],
      ]
    : [['npm start -> first 200 from /api/health', 'FAILED', '']];
  return [
    `Startup on an existing data directory (${s ? s.npmStart.length : 0} runs each)`,
    renderTable(
      [{ title: 'measurement' }, { title: 'min', align: 'right' }, { title: 'median', align: 'right' }],
      rows,
    ),
  ].join('\n');
}

export function renderResults(r: Results): string {
  return `${throughputTable(r)}\n\n${startupTable(r)}`;
}
