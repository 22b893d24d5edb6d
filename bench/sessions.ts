// N concurrent staff sessions for M seconds: each staff member signs in over HTTP (password, then
// the TOTP code; a distinct X-Forwarded-For each, as staff behind the practice's proxy, so the
// per-address sign-in limit is not what is measured), then a forked load generator
// (session-client.ts) drives every session with its own cookie and CSRF token: request details,
// My tasks (support's queue or the therapist's own), the request list, and internal messages
// posted on open requests. Memory of the app and of PostgreSQL is sampled meanwhile.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { type MemoryUnderLoad, memorySampler } from './memory.js';
import { type Session, type Staff, signIn } from './seed.js';
import type { Action, ClientConfig, ClientResult, ClientSession } from './session-client.js';
import { type LatencySummary, summarize } from './stats.js';

export const MIX: Record<Action, number> = { details: 40, queue: 20, list: 20, message: 20 };

export interface SessionFigures {
  sessions: number;
  support: number;
  therapists: number;
  /** The window asked for, and the time until the last answer came (requests in flight finish). */
  plannedSeconds: number;
  seconds: number;
  thinkMs: number;
  requests: number;
  signInSeconds: number;
  ok: number;
  errors: number;
  failures: Record<string, number>;
  perSecond: number;
  actions: Record<Action, LatencySummary>;
  all: LatencySummary;
  memory: MemoryUnderLoad;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Requests each member may read, and open ones they may post on (support: any; a therapist: theirs). */
async function targets(pool: pg.Pool, practiceId: string, therapistId: string | null) {
  const mine = therapistId ? 'and therapist_id = $2' : '';
  const params = therapistId ? [practiceId, therapistId] : [practiceId];
  const read = await pool.query<{ id: string }>(
    `select id from requests where practice_id = $1 ${mine} order by random() limit 300`,
    params,
  );
  const write = await pool.query<{ id: string }>(
    `select id from requests where practice_id = $1 ${mine}
        and stage in ('request_made', 'client_review', 'invoice', 'preparation') order by random() limit 100`,
    params,
  );
  return { readIds: read.rows.map((r) => r.id), writeIds: write.rows.map((r) => r.id) };
}

function runChild(config: ClientConfig): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'session-client.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let settled = false;
    child.once('message', (m: { result?: ClientResult; error?: string }) => {
      settled = true;
      if (m.result) resolve(m.result);
      else reject(new Error(`load generator failed: ${m.error}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`load generator exited with ${code} and no result`));
    });
    child.send(config);
  });
}

export async function measureSessions(opts: {
  base: string;
  pool: pg.Pool;
  practiceId: string;
  support: Staff[];
  therapists: Staff[];
  seconds: number;
  thinkMs: number;
  clusterDir: string | null;
  /** Requests in the practice (for the report). */
  requests: number;
  log: (m: string) => void;
}): Promise<SessionFigures> {
  const { log } = opts;
  const members = [
    ...opts.support.map((s) => ({ staff: s, therapistId: null as string | null })),
    ...opts.therapists.map((s) => ({ staff: s, therapistId: s.id as string | null })),
  ];
  const t0 = performance.now();
  const sessions: ClientSession[] = [];
  // A few sign-ins at a time: each one is an argon2 verification on the server.
  for (let i = 0; i < members.length; i += 8) {
    const batch = members.slice(i, i + 8);
    const signed = await Promise.all(
      batch.map(async (m, j) => {
        const n = i + j;
        const ip = `10.${Math.floor(n / 250)}.${n % 250}.${1 + (n % 200)}`;
        const s: Session = await signIn(opts.base, m.staff, { 'x-forwarded-for': ip });
        return { ...s, ip, ...(await targets(opts.pool, opts.practiceId, m.therapistId)) };
      }),
    );
    sessions.push(...signed);
  }
  const signInSeconds = (performance.now() - t0) / 1000;
  log(
    `  ${sessions.length} staff signed in over HTTP with password and TOTP (${signInSeconds.toFixed(1)} s)`,
  );
  const sampler = memorySampler(process.pid, opts.clusterDir);
  let result: ClientResult;
  let memory: MemoryUnderLoad;
  try {
    result = await runChild({
      base: opts.base,
      seconds: opts.seconds,
      thinkMs: opts.thinkMs,
      mix: MIX,
      sessions: shuffle(sessions),
    });
  } finally {
    memory = sampler.stop();
  }
  const errors = Object.values(result.failures).reduce((a, b) => a + b, 0);
  const all = Object.values(result.latencies).flat();
  const actions = Object.fromEntries(
    (Object.keys(result.latencies) as Action[]).map((a) => [a, summarize(result.latencies[a])]),
  ) as Record<Action, LatencySummary>;
  const figures: SessionFigures = {
    sessions: sessions.length,
    support: opts.support.length,
    therapists: opts.therapists.length,
    plannedSeconds: opts.seconds,
    seconds: result.seconds,
    thinkMs: opts.thinkMs,
    requests: opts.requests,
    signInSeconds,
    ok: result.ok,
    errors,
    failures: result.failures,
    perSecond: result.ok / result.seconds,
    actions,
    all: summarize(all),
    memory,
  };
  log(
    `  ${figures.ok} ok, ${errors} errors in ${result.seconds.toFixed(0)} s (${figures.perSecond.toFixed(1)}/s), ` +
      `p50 ${figures.all.p50.toFixed(0)} ms, p99 ${figures.all.p99.toFixed(0)} ms`,
  );
  for (const [k, v] of Object.entries(result.failures)) log(`    ${v} × ${k}`);
  return figures;
}
