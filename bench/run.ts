// `npm run bench [-- --quick | options]`: one report of Release Desk's figures on this machine, all
// measured in one run: the request details, work queue and list routes beside a bare Fastify route
// at two data sizes (1,000 and 100,000 requests by default, seeded in SQL with a valid audit chain),
// 200 concurrent staff sessions for 5 minutes with the error count, memory of the app and of the
// embedded PostgreSQL, PostgreSQL's commit rate, inbound mail, packet assembly beside qpdf, and
// start-up. Progress goes to stderr; the report (Markdown) to stdout and, with its JSON, to
// bench/results/. Not part of the tests; no thresholds anywhere.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { verifyChains } from '../src/server/audit/chain.js';
import type { Actor } from '../src/server/context.js';
import { APP_DATABASE } from '../src/server/db/embedded.js';
import { parseArgs, USAGE, VERIFY_SMALL_ROWS } from './args.js';
import { AUDIT_CALLERS, AUDIT_MODES, type AuditPathFigures, measureAuditPath } from './audit-reads.js';
import { growTo } from './bulk.js';
import { startApp, startBareFastify } from './http.js';
import type { LoadSettings } from './load.js';
import { loadAvg, machine, windowed } from './machine.js';
import { measureMail } from './mail.js';
import { sampleMemory } from './memory.js';
import { measurePacket } from './packet.js';
import { measureCommits } from './postgres.js';
import { QueryProfiler } from './profile.js';
import { type Report, renderReport, type Timed, writeReport } from './report.js';
import { printProfile, profileRoute } from './report-profile.js';
import { measureRoutes } from './routes.js';
import { createStaffMany, seed, signIn } from './seed.js';
import { measureSessions } from './sessions.js';
import { ensurePostgresStopped, liveChildren, measureStartup, prepareDataDir, stopChild } from './startup.js';

/** Bench therapists: the clones' therapists (in turn), and the therapists among the sessions. */
const THERAPISTS = 40;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (m: string) => console.error(m);
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

const failures: string[] = [];
async function phase<T>(name: string, fn: () => Promise<T>): Promise<Timed<T> | null> {
  log(
    `\n== ${name}  (load average ${loadAvg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  try {
    const out = await windowed(fn);
    log(`   done in ${out.window.seconds.toFixed(1)} s`);
    return out;
  } catch (err) {
    failures.push(name);
    console.error(`   FAILED: ${(err as Error).stack ?? String(err)}`);
    return null;
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  const load: LoadSettings = {
    connections: args.connections,
    duration: args.duration,
    warmup: Math.min(2, Math.max(1, Math.round(args.duration / 5))),
  };
  const report: Report = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    mode: args.mode,
    argv,
    machine: machine(),
    loadStart: loadAvg(),
    loadEnd: loadAvg(),
    settings: {
      sizes: args.sizes,
      load,
      sessions: args.sessions,
      sessionSeconds: args.sessionSeconds,
      thinkMs: args.thinkMs,
      startupRuns: args.startupRuns,
    },
    showcase: null,
    seeding: [],
    routes: [],
    memoryAtRest: null,
    sessions: null,
    commits: null,
    auditPath: null,
    mail: null,
    packet: null,
    startup: null,
    failures,
  };
  log(`Release Desk benchmark (${args.mode}): ${JSON.stringify(report.settings)}`);

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'rd-bench-'));
  // Searchable by the postgres OS user (when running as root), so clusters stay inside tmp.
  chmodSync(tmp, 0o755);
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const relocatedClusters: string[] = [];
  cleanups.push(() => {
    for (const dir of relocatedClusters) rmSync(dir, { recursive: true, force: true });
  });
  const bare = await startBareFastify();
  cleanups.push(() => bare.app.close());

  const booted = await phase('boot: embedded PostgreSQL in a fresh data directory, the app', async () => {
    const dir = path.join(tmp, 'http');
    mkdirSync(dir);
    const started = await startApp(dir, log, { trustProxy: true });
    cleanups.push(() => started.close());
    if (started.embedded.placement.relocated) relocatedClusters.push(started.embedded.placement.clusterDir);
    return started;
  });
  const sut = booted?.value ?? null;
  const showcase = sut
    ? await phase('seed one request over the HTTP API', () => seed(sut.running.services, sut.base, log))
    : null;
  if (sut && showcase) {
    const seeded = showcase.value;
    const services = sut.running.services;
    const { pool } = services.database;
    const clusterDir = sut.embedded.placement.clusterDir;
    report.showcase = {
      seconds: showcase.window.seconds,
      tasks: seeded.tasks,
      threadMessages: seeded.threadMessages,
      historyEvents: seeded.historyEvents,
    };
    const therapists = await createStaffMany(services, seeded.practiceId, 'therapist', THERAPISTS);
    const template = {
      practiceId: seeded.practiceId,
      requestId: seeded.requestId,
      therapistIds: therapists.map((t) => t.id),
    };
    // The superuser on the app's database, for the bulk inserts only (see growTo).
    const adminUrl = new URL(sut.embedded.adminUrl);
    adminUrl.pathname = `/${APP_DATABASE}`;
    const bulkPool = new pg.Pool({ connectionString: adminUrl.toString(), max: 2 });
    cleanups.push(() => bulkPool.end());
    const counts = async () => {
      const { rows } = await pool.query<{ r: number; a: number }>(
        `select (select count(*)::int from requests where practice_id = $1) as r,
                (select count(*)::int from audit_events where practice_id = $1) as a`,
        [seeded.practiceId],
      );
      return { requests: rows[0]?.r ?? 0, auditRows: rows[0]?.a ?? 0 };
    };
    for (const [i, size] of args.sizes.entries()) {
      const grown = await phase(`seed: grow to ${size} requests`, async () => {
        const g = await growTo(services, template, size, log, bulkPool);
        let verify = null;
        const rows = (await counts()).auditRows;
        if (args.verify === 'all' || (args.verify === 'small' && rows <= VERIFY_SMALL_ROWS)) {
          const t0 = performance.now();
          const v = await verifyChains(pool, services.config.auditKey);
          verify = { ok: v.ok, rows: v.rowsChecked, ms: performance.now() - t0 };
          log(
            `  audit chain ${v.ok ? 'verifies' : 'is BROKEN'}: ${v.rowsChecked} rows in ${(verify.ms / 1000).toFixed(1)} s`,
          );
          if (!v.ok) throw new Error(`the audit chain does not verify: ${JSON.stringify(v.firstBroken)}`);
        }
        log(`  seeding took ${(g.totalMs / 1000).toFixed(1)} s`);
        return { ...g, verify };
      });
      if (!grown) break;
      report.seeding.push(grown);
      const routes = await phase(`routes at ${size} requests, beside the bare route`, async () =>
        measureRoutes({
          base: sut.base,
          bareUrl: bare.url,
          requestId: seeded.requestId,
          // Signed in afresh: seeding may outlast the 15-minute idle timeout of the first session.
          support: await signIn(sut.base, seeded.supportStaff),
          load,
          counts,
          log,
          failed: (what) => failures.push(`${what} at ${size} requests`),
        }),
      );
      if (routes) report.routes.push(routes);
      if (i === 0 && args.profile) {
        const url = `${sut.base}/api/requests/${seeded.requestId}`;
        const profiler = new QueryProfiler();
        cleanups.push(() => profiler.uninstall());
        await phase(
          'profile: the details route alone and under load (diagnostics, not in the report)',
          async () => {
            const before = await profileRoute(profiler, url, seeded.support, services, null);
            const after = await profileRoute(profiler, url, seeded.support, services, {
              ...load,
              duration: Math.min(3, load.duration),
              warmup: 0,
            });
            printProfile(log, before, after);
          },
        );
      }
      if (i === 0) {
        const actor: Actor = {
          id: seeded.supportStaff.id,
          practiceId: seeded.practiceId,
          name: 'Bench support',
          email: seeded.supportStaff.email,
          roles: ['support'],
          active: true,
          isDemo: false,
        };
        report.auditPath = await phase('audited reads: the audit path alone, three ways', async () => {
          const figures: AuditPathFigures[] = [];
          for (const callers of AUDIT_CALLERS) {
            for (const mode of AUDIT_MODES) {
              const f = await measureAuditPath(
                services,
                actor,
                seeded.requestId,
                {
                  callers,
                  seconds: load.duration,
                  warmup: load.warmup,
                },
                mode,
              );
              log(`  ${callers} callers, ${mode}: ${f.rps.toFixed(0)} reads/s, p50 ${f.p50.toFixed(1)} ms`);
              figures.push(f);
            }
          }
          return figures;
        });
        report.commits = await phase('PostgreSQL single-row commits, same server', async () => ({
          many: await measureCommits(sut.embedded.adminUrl, load),
          single: await measureCommits(sut.embedded.adminUrl, { ...load, connections: 1 }),
        }));
      }
    }
    report.memoryAtRest = sampleMemory(process.pid, clusterDir);
    log(`\n  memory at rest: ${JSON.stringify(report.memoryAtRest)}`);
    if (args.sessions > 0) {
      report.sessions = await phase(
        `${args.sessions} staff sessions for ${args.sessionSeconds} s, mixed reads and writes`,
        async () => {
          const nTherapists = Math.min(therapists.length, Math.round(args.sessions * 0.2));
          const support = await createStaffMany(
            services,
            seeded.practiceId,
            'support',
            args.sessions - nTherapists,
          );
          return measureSessions({
            base: sut.base,
            pool,
            practiceId: seeded.practiceId,
            support,
            therapists: therapists.slice(0, nTherapists),
            seconds: args.sessionSeconds,
            thinkMs: args.thinkMs,
            clusterDir,
            requests: (await counts()).requests,
            log,
          });
        },
      );
    }
    report.mail = await phase('inbound mail: replies parsed and threaded by receiveEmail', () =>
      measureMail(services, seeded.requestId, log),
    );
    await sut.close();
    log('\n  app and its PostgreSQL stopped');
  }

  report.startup = await phase(
    `start-up: npm start on an existing data directory, ${args.startupRuns} runs`,
    async () => {
      const dir = path.join(tmp, 'startup');
      mkdirSync(dir);
      const placement = await prepareDataDir(dir);
      if (placement.relocated) relocatedClusters.push(placement.clusterDir);
      cleanups.push(() => ensurePostgresStopped(placement));
      return measureStartup(repo, dir, placement, args.startupRuns, log);
    },
  );
  report.packet = await phase('packet: 500 pages from 50 PDFs beside qpdf merging the same files', () =>
    measurePacket(log),
  );

  report.loadEnd = loadAvg();
  report.finishedAt = new Date().toISOString();
  const markdown = renderReport(report);
  const written = writeReport(path.join(repo, 'bench', 'results'), report, markdown);
  console.log(markdown);
  log(`report written to ${path.relative(repo, written.md)} and ${path.relative(repo, written.json)}`);
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
