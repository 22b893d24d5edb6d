// One report per run: the figures as JSON and as Markdown (the same Markdown printed on stdout),
// written to bench/results/<timestamp>.{json,md}. Sections a phase could not produce say FAILED.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type AuditPathFigures, auditPathBody } from './audit-reads.js';
import type { GrowFigures } from './bulk.js';
import type { LoadSettings } from './load.js';
import { fmtLoad, type LoadAvg, type Machine, SHARED_NOTE, type Window } from './machine.js';
import { type MailFigures, mailSummary } from './mail.js';
import type { MemorySample } from './memory.js';
import { type PacketFigures, packetSummary } from './packet.js';
import type { CommitFigures } from './postgres.js';
import type { SizeFigures } from './routes.js';
import type { SessionFigures } from './sessions.js';
import type { StartupFigures } from './startup.js';
import { commitsBody, routesBody, section, sessionsBody, startupBody } from './summary.js';
import { num, renderTable } from './table.js';

export interface Timed<T> {
  value: T;
  window: Window;
}

export interface SeedStep extends GrowFigures {
  verify: { ok: boolean; rows: number; ms: number } | null;
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  mode: 'quick' | 'full' | 'custom';
  argv: string[];
  machine: Machine;
  loadStart: LoadAvg;
  loadEnd: LoadAvg;
  settings: {
    sizes: number[];
    load: LoadSettings;
    sessions: number;
    sessionSeconds: number;
    thinkMs: number;
    startupRuns: number;
  };
  showcase: { seconds: number; tasks: number; threadMessages: number; historyEvents: number } | null;
  seeding: Timed<SeedStep>[];
  routes: Timed<SizeFigures>[];
  memoryAtRest: MemorySample | null;
  sessions: Timed<SessionFigures> | null;
  commits: Timed<{ many: CommitFigures | null; single: CommitFigures | null }> | null;
  auditPath: Timed<AuditPathFigures[]> | null;
  mail: Timed<MailFigures> | null;
  packet: Timed<PacketFigures> | null;
  startup: Timed<StartupFigures> | null;
  failures: string[];
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function seedingBody(r: Report): string {
  const rows = r.seeding.map(({ value: g }) => [
    num(g.target),
    num(g.added),
    num(g.auditRows),
    s1(g.sqlMs),
    `${s1(g.auditMs)} (${s1(g.auditComputeMs)} in Node)`,
    s1(g.analyzeMs),
    s1(g.totalMs),
    g.verify
      ? `${g.verify.ok ? 'verifies' : 'BROKEN'}: ${num(g.verify.rows)} rows in ${s1(g.verify.ms)}`
      : 'not checked in this run (--verify all)',
  ]);
  const sc = r.showcase;
  return [
    (sc
      ? `One request driven over the HTTP API (intake, client discussion, message, supervisor review; ${sc.tasks} tasks, ` +
        `${sc.threadMessages} thread messages, ${sc.historyEvents} history events) in ${sc.seconds.toFixed(1)} s, then cloned: `
      : '') +
      'requests, clients, tasks and thread messages by INSERT … SELECT over generate_series (1 in 50 open, the rest ' +
      'withdrawn over six years), and about 10 audit rows per request appended to the HMAC chain in batches of 5,000 ' +
      '(checked with `verifyChains`, as `audit verify` does, where the table says so). The bulk inserts run as the ' +
      'superuser with foreign-key checks off (the clones point at rows that exist). Bench data only: it refuses a ' +
      "database with any practice but the bench's, and the bench always starts its own embedded PostgreSQL.",
    '',
    renderTable(
      [
        { title: 'grown to', align: 'right' },
        { title: 'added', align: 'right' },
        { title: 'audit rows', align: 'right' },
        { title: 'SQL clone', align: 'right' },
        { title: 'audit chain (rows + HMACs in Node)', align: 'right' },
        { title: 'analyze', align: 'right' },
        { title: 'seeding total', align: 'right' },
        { title: 'chain check' },
      ],
      rows,
    ),
  ].join('\n');
}

function combined(ws: Window[]): Window {
  return {
    loadStart: ws[0]!.loadStart,
    loadEnd: ws.at(-1)!.loadEnd,
    seconds: ws.reduce((a, w) => a + w.seconds, 0),
  };
}

export function renderReport(r: Report): string {
  const m = r.machine;
  const parts: string[] = [
    `# Release Desk benchmark, ${r.startedAt} (${r.mode})`,
    '',
    `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB; load average (1/5/15 min) ${fmtLoad(r.loadStart)} at the start and ` +
      `${fmtLoad(r.loadEnd)} at the end. ${SHARED_NOTE} The app runs in the bench process on the embedded PostgreSQL ` +
      `(a fresh data directory); \`npm run bench${r.argv.length ? ` -- ${r.argv.join(' ')}` : ''}\`.`,
  ];
  const add = (title: string, w: Window | undefined, body: string) =>
    parts.push('', w ? section(title, m, w, body) : `## ${title}\n\nFAILED (see the log above).`);
  add(
    'Routes beside a bare Fastify route, and their growth with the data',
    r.routes.length ? combined(r.routes.map((x) => x.window)) : undefined,
    routesBody(
      r.routes.map((x) => x.value),
      r.settings.load.connections,
      r.settings.load.duration,
    ),
  );
  add(
    'Seeding the data set',
    r.seeding.length ? combined(r.seeding.map((x) => x.window)) : undefined,
    seedingBody(r),
  );
  add(
    `${r.settings.sessions} concurrent staff sessions, mixed reads and writes, and memory`,
    r.sessions?.window,
    r.sessions ? sessionsBody(r.sessions.value, r.memoryAtRest) : '',
  );
  add(
    'The audit path of a read, alone: per-read commits beside batches',
    r.auditPath?.window,
    r.auditPath ? auditPathBody(r.auditPath.value) : '',
  );
  add(
    'PostgreSQL commit rate (the floor under every write)',
    r.commits?.window,
    r.commits ? commitsBody(r.commits.value.many, r.commits.value.single, r.settings.load.connections) : '',
  );
  add('Packet assembly beside qpdf', r.packet?.window, r.packet ? packetSummary(r.packet.value) : '');
  add('Inbound mail', r.mail?.window, r.mail ? mailSummary(r.mail.value) : '');
  add('Start-up', r.startup?.window, r.startup ? startupBody(r.startup.value) : '');
  if (r.failures.length) parts.push('', `**FAILED phases:** ${r.failures.join('; ')}`);
  return `${parts.join('\n')}\n`;
}

/** Write <dir>/<timestamp>.json and .md; returns their paths. */
export function writeReport(dir: string, r: Report, markdown: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const json = path.join(dir, `${stamp}.json`);
  const md = path.join(dir, `${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdown);
  return { json, md };
}
