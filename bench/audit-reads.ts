// The audit path of a read, alone (issue 8, SEC-3): many callers each running the app's
// transaction (`inTransaction`) with one small read of a request, three ways in the same run:
// - no audit row (the floor: the transaction and the read),
// - one chain append and commit per read, in the read's own transaction (how every read was
//   audited before audit/appender.ts; reproduced by flushing the rows inside the transaction),
// - the app's path: the read ends, its row joins a batch appended under the chain lock.
// Route work (presenting, JSON) is left out so the figure is the audit path's own.
import { createHistogram } from 'node:perf_hooks';
import { auditAppender } from '../src/server/audit/appender.js';
import { flushAudit, record } from '../src/server/audit/record.js';
import type { Actor, Ctx, Services } from '../src/server/context.js';
import { inTransaction } from '../src/server/db/tx.js';
import { ms, num, ratio, renderTable } from './table.js';

export type AuditMode = 'none' | 'per_read' | 'batched';

export interface AuditPathFigures {
  mode: AuditMode;
  callers: number;
  rps: number;
  p50: number;
  p99: number;
  reads: number;
  /** Batch transactions the appender committed (batched mode only). */
  batches: number | null;
}

export const AUDIT_MODES: AuditMode[] = ['none', 'per_read', 'batched'];

/** Concurrent callers: a busy practice's staff, and a crowd. */
export const AUDIT_CALLERS = [10, 50];

const META = { ip: '127.0.0.1', userAgent: 'bench', requestId: 'bench-audit-path' };

async function oneRead(ctx: Ctx, requestId: string, mode: AuditMode): Promise<void> {
  await ctx.client.query('select id, stage from requests where id = $1', [requestId]);
  if (mode === 'none') return;
  record(ctx, { type: 'request.viewed', requestId });
  // The former path: the row chained inside the read's transaction, holding the lock to COMMIT.
  if (mode === 'per_read') await flushAudit(ctx);
}

export async function measureAuditPath(
  services: Services,
  actor: Actor,
  requestId: string,
  settings: { callers: number; seconds: number; warmup: number },
  mode: AuditMode,
): Promise<AuditPathFigures> {
  const appender = auditAppender(services.database.pool, services.config.auditKey);
  const run = async (seconds: number, onRead: (ns: bigint) => void) => {
    const until = performance.now() + seconds * 1000;
    let reads = 0;
    await Promise.all(
      Array.from({ length: settings.callers }, async () => {
        while (performance.now() < until) {
          const t0 = process.hrtime.bigint();
          await inTransaction(services, META, actor, (ctx) => oneRead(ctx, requestId, mode));
          onRead(process.hrtime.bigint() - t0);
          reads += 1;
        }
      }),
    );
    return reads;
  };
  if (settings.warmup > 0) await run(settings.warmup, () => {});
  const hist = createHistogram();
  const batchesBefore = appender.stats.batches;
  const t0 = performance.now();
  const reads = await run(settings.seconds, (ns) => hist.record(ns > 0n ? ns : 1n));
  const seconds = (performance.now() - t0) / 1000;
  return {
    mode,
    callers: settings.callers,
    rps: reads / seconds,
    p50: hist.percentile(50) / 1e6,
    p99: hist.percentile(99) / 1e6,
    reads,
    batches: mode === 'batched' ? appender.stats.batches - batchesBefore : null,
  };
}

const LABEL: Record<AuditMode, string> = {
  none: 'no audit row (the floor)',
  per_read: "one append + commit per read, in the read's transaction (before)",
  batched: 'rows batched after the read (audit/appender.ts, the app today)',
};

export function auditPathBody(figures: AuditPathFigures[]): string {
  const right = (title: string) => ({ title, align: 'right' as const });
  const rows = figures.map((f) => {
    const before = figures.find((g) => g.callers === f.callers && g.mode === 'per_read');
    return [
      String(f.callers),
      LABEL[f.mode],
      num(f.rps),
      ms(f.p50),
      ms(f.p99),
      f.mode === 'batched' && before ? ratio(f.rps, before.rps) : '',
      f.batches === null ? '' : `${num(f.batches)} (${num(f.reads / Math.max(1, f.batches), 1)} rows each)`,
    ];
  });
  return [
    "Each caller runs the app's transaction (`inTransaction`) around one small read of a request, in a loop; route work (presenting, JSON) left out. Every audited row is chained under the practice's lock, as in the app.",
    '',
    renderTable(
      [
        right('callers'),
        { title: 'audit path' },
        right('reads/s'),
        right('p50'),
        right('p99'),
        right('batched ÷ before'),
        right('batch transactions'),
      ],
      rows,
    ),
  ].join('\n');
}
