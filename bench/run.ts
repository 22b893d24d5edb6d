// `npm run bench [-- --quick | --duration N | --connections N]`: the request-details route beside a
// bare Fastify route and PostgreSQL's commit rate, and npm start's time to healthy beside PostgreSQL
// alone, all measured in one run on this machine. Not part of the tests; no thresholds anywhere.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppUnderTest, startApp, startBareFastify } from './http.js';
import { type HttpFigures, type LoadSettings, measureHttp } from './load.js';
import { type MailFigures, mailSummary, measureMail } from './mail.js';
import { measurePacket, type PacketFigures, packetSummary } from './packet.js';
import { type CommitFigures, measureCommits } from './postgres.js';
import { QueryProfiler } from './profile.js';
import { printProfile, profileRoute } from './report-profile.js';
import { seed } from './seed.js';
import {
  ensurePostgresStopped,
  liveChildren,
  measureStartup,
  prepareDataDir,
  type StartupFigures,
  stopChild,
} from './startup.js';
import { renderResults } from './summary.js';

interface Args {
  duration: number;
  connections: number;
  startupRuns: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { duration: 10, connections: 10, startupRuns: 3 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) throw new Error(`${a} needs a positive number`);
      return v;
    };
    if (a === '--quick') args.duration = 3;
    else if (a === '--duration') args.duration = next();
    else if (a === '--connections') args.connections = Math.round(next());
    else throw new Error(`unknown option ${a} (use --quick, --duration N, --connections N)`);
  }
  return args;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (m: string) => console.log(m);
const cleanups: (() => Promise<void> | void)[] = [];
let cleaned = false;

async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const child of liveChildren) await stopChild(child).catch(() => {});
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig}: cleaning up…`);
    void cleanup().finally(() => process.exit(130));
  });
}

const loadAvg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const failures: string[] = [];
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
  log(`\n== ${name}`);
  const t0 = performance.now();
  try {
    const out = await fn();
    log(`   done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  } catch (err) {
    failures.push(name);
    console.error(`   FAILED: ${(err as Error).stack ?? String(err)}`);
    return null;
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const load: LoadSettings = {
    connections: args.connections,
    duration: args.duration,
    warmup: Math.min(2, Math.max(1, Math.round(args.duration / 5))),
  };
  const cpus = os.cpus();
  const header = [
    'Release Desk benchmark',
    `  machine: ${cpus.length} x ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ${os.release()}`,
    `  node ${process.version}; ${load.connections} connections, ${load.duration} s measured after ${load.warmup} s warm-up`,
    `  load average at start: ${loadAvg()} (other work on the machine skews every figure)`,
    '  Figures are from this machine, in this run; compare the ratios, not the absolute numbers.',
  ].join('\n');
  log(header);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rd-bench-'));
  // Searchable by the postgres OS user (when running as root), so clusters stay inside tmp.
  chmodSync(tmp, 0o755);
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const relocatedClusters: string[] = [];
  cleanups.push(() => {
    for (const dir of relocatedClusters) rmSync(dir, { recursive: true, force: true });
  });

  let sut: AppUnderTest | null = null;
  const bare = await startBareFastify();
  cleanups.push(() => bare.app.close());

  sut = await phase(
    '1. boot: embedded PostgreSQL in a fresh data directory, app and bare Fastify',
    async () => {
      const dir = path.join(tmp, 'http');
      mkdirSync(dir);
      const started = await startApp(dir, log);
      cleanups.push(() => started.close());
      if (started.embedded.placement.relocated) relocatedClusters.push(started.embedded.placement.clusterDir);
      log(`  bare Fastify at ${bare.url}`);
      return started;
    },
  );

  const seeded = sut
    ? await phase('2. seed over the HTTP API', () => seed(sut.running.services, sut.base, log))
    : null;

  let details: HttpFigures | null = null;
  let baseline: HttpFigures | null = null;
  let commits: CommitFigures | null = null;
  let single: CommitFigures | null = null;
  if (sut && seeded) {
    const detailsUrl = `${sut.base}/api/requests/${seeded.requestId}`;
    const profiler = new QueryProfiler();
    cleanups.push(() => profiler.uninstall());
    const before = await phase('profile: one details request alone, before the load', () =>
      profileRoute(profiler, detailsUrl, seeded.support, sut.running.services, null),
    );
    baseline = await phase('3b. bare Fastify JSON route, same process (baseline)', async () => {
      const r = await measureHttp('bare', bare.url, load);
      log(`  ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (${r.requests} requests)`);
      return r;
    });
    details = await phase('3a. GET /api/requests/:id signed in as support', async () => {
      const cookie = `rd_session=${seeded.support.cookie}`;
      const r = await measureHttp('details', detailsUrl, load, { cookie });
      log(`  ${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (${r.requests} requests)`);
      return r;
    });
    commits = await phase('3c. PostgreSQL single-row commits, same server, same concurrency', async () => {
      const r = await measureCommits(sut.embedded.adminUrl, load);
      log(
        `  ${r.rps.toFixed(0)} commits/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms ` +
          `(${r.commits} commits; fsync=${r.fsync}, synchronous_commit=${r.synchronousCommit})`,
      );
      return r;
    });
    single = await phase('3c1. the same with 1 connection (one committer at a time)', async () => {
      const r = await measureCommits(sut.embedded.adminUrl, { ...load, connections: 1 });
      log(`  ${r.rps.toFixed(0)} commits/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
      return r;
    });
    await phase(
      'profile: one details request alone after the load, and the query mix under load',
      async () => {
        if (!before) throw new Error('no profile from before the load');
        const after = await profileRoute(profiler, detailsUrl, seeded.support, sut.running.services, {
          ...load,
          duration: Math.min(3, load.duration),
          warmup: 0,
        });
        printProfile(log, before, after);
      },
    );
  }
  let mail: MailFigures | null = null;
  if (sut && seeded) {
    const s = sut;
    const requestId = seeded.requestId;
    mail = await phase('6. inbound mail: replies parsed and threaded by receiveEmail', () =>
      measureMail(s.running.services, requestId, log),
    );
  }
  if (sut) {
    await sut.close();
    log('\n  app and its PostgreSQL stopped');
  }

  const startup: StartupFigures | null = await phase(
    `4. startup: npm start on an existing data directory, ${args.startupRuns} runs`,
    async () => {
      const dir = path.join(tmp, 'startup');
      mkdirSync(dir);
      const placement = await prepareDataDir(dir);
      if (placement.relocated) relocatedClusters.push(placement.clusterDir);
      cleanups.push(() => ensurePostgresStopped(placement));
      log(`  data directory prepared (started once and stopped): ${dir}`);
      return measureStartup(repo, dir, placement, args.startupRuns, log);
    },
  );

  const packet: PacketFigures | null = await phase(
    '5. packet: assemble 500 pages from 50 PDFs beside qpdf merging the same files',
    () => measurePacket(log),
  );

  log(`\n${'='.repeat(100)}\n${header}\n`);
  log(renderResults({ details, baseline, commits, single, startup, load, seeded }));
  if (packet) log(`\n${packetSummary(packet)}`);
  if (mail) log(`\n${mailSummary(mail)}`);
  log(`\nload average at the end: ${loadAvg()} (1, 5, 15 min; ${os.cpus().length} CPUs)`);
  if (failures.length) log(`\nFAILED phases: ${failures.join('; ')}`);
  return failures.length ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
