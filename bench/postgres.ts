// PostgreSQL's single-row commit rate on the embedded server: N connections, each in a loop of
// `insert into bench_commits(v) values ($1)` as its own autocommit transaction (one WAL flush per
// commit, shared between concurrent committers by group commit). A separate database on the same
// server, so the app's schema stays untouched.
import { createHistogram } from 'node:perf_hooks';
import pg from 'pg';
import { ensureDatabase } from '../src/server/db/embedded.js';

export interface CommitFigures {
  rps: number;
  p50: number;
  p99: number;
  commits: number;
  seconds: number;
  synchronousCommit: string;
  fsync: string;
}

const BENCH_DATABASE = 'release_desk_bench';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function loops(clients: pg.Client[], seconds: number, record: (ns: bigint) => void): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let total = 0;
  await Promise.all(
    clients.map(async (c, i) => {
      let v = i;
      while (performance.now() < until) {
        const t0 = process.hrtime.bigint();
        await c.query('insert into bench_commits(v) values ($1)', [v]);
        record(process.hrtime.bigint() - t0);
        v += clients.length;
        total += 1;
      }
    }),
  );
  return total;
}

/** `adminUrl`: the embedded server's superuser connection (the app's role may not create databases). */
export async function measureCommits(
  adminUrl: string,
  settings: { connections: number; duration: number; warmup: number },
): Promise<CommitFigures> {
  await ensureDatabase(adminUrl, BENCH_DATABASE);
  const url = withDatabase(adminUrl, BENCH_DATABASE);
  const clients = Array.from(
    { length: settings.connections },
    () => new pg.Client({ connectionString: url }),
  );
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const first = clients[0]!;
    await first.query('drop table if exists bench_commits');
    await first.query('create table bench_commits (id bigserial primary key, v integer not null)');
    const show = async (name: string) =>
      (await first.query<{ setting: string }>('select setting from pg_settings where name = $1', [name]))
        .rows[0]?.setting ?? '?';
    const synchronousCommit = await show('synchronous_commit');
    const fsync = await show('fsync');
    if (settings.warmup > 0) await loops(clients, settings.warmup, () => {});
    const hist = createHistogram();
    const t0 = performance.now();
    const commits = await loops(clients, settings.duration, (ns) => hist.record(ns > 0n ? ns : 1n));
    const seconds = (performance.now() - t0) / 1000;
    return {
      rps: commits / seconds,
      p50: hist.percentile(50) / 1e6,
      p99: hist.percentile(99) / 1e6,
      commits,
      seconds,
      synchronousCommit,
      fsync,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}
