// rule SEC-3, issue 8: the audit rows of transactions that changed nothing (a staff member or a
// requester reading health information) are chained together, many per transaction.
//
// Why: every row of a practice's chain is appended under one advisory lock held until COMMIT, so
// each audited read used to hold the practice's lock through its own append and commit, and reads
// queued on it (bench/audit-reads.ts, 2 cores under load: 394 audited reads/s, p50 23 ms, with 10
// callers, against 5,026 without the row). Reads need no atomicity with their audit row (nothing
// else was written); they need the row to be durable before the information leaves. So the read's
// own transaction ends first, its rows join the next batch, and the caller waits for that batch's
// COMMIT: one lock, one append and one commit for every read that arrived meanwhile. If the batch
// cannot be written, the caller gets the error and the information is not sent.
import type pg from 'pg';
import { databaseFailure } from '../db/failures.js';
import { appendToChain, type ChainRow } from './chain.js';

type Row = Omit<ChainRow, 'seq'>;

interface Waiting {
  rows: Row[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Rows per batch transaction: a few multi-row inserts, and one reader's wait stays short. */
const MAX_BATCH_ROWS = 1_000;

export class AuditAppender {
  private waiting: Waiting[] = [];
  private running = false;
  /** Batch transactions committed and rows they held (for tests and the benchmark). */
  readonly stats = { batches: 0, rows: 0 };

  constructor(
    private readonly pool: pg.Pool,
    readonly key: Buffer,
  ) {}

  /** Resolves once the rows are committed to the chain; rejects with the database's error. */
  append(rows: Row[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Start after the current turn of the event loop, so rows appended together share a batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.take();
        try {
          await this.write(batch.flatMap((w) => w.rows));
          for (const w of batch) w.resolve();
        } catch (err) {
          // The database is down or full: each alone would fail the same way, one attempt each.
          if (batch.length === 1 || databaseFailure(err) !== null) {
            for (const w of batch) w.reject(err);
            continue;
          }
          // One bad row must not cost the others their answer: each alone, so only it fails.
          for (const w of batch) {
            await this.write(w.rows).then(w.resolve, w.reject);
          }
        }
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Waiting[] {
    const batch: Waiting[] = [];
    let rows = 0;
    while (
      this.waiting.length > 0 &&
      (batch.length === 0 || rows + this.waiting[0]!.rows.length <= MAX_BATCH_ROWS)
    ) {
      const next = this.waiting.shift()!;
      rows += next.rows.length;
      batch.push(next);
    }
    return batch;
  }

  private async write(rows: Row[]): Promise<void> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('begin');
      await appendToChain(client, this.key, rows);
      await client.query('commit');
      this.stats.batches += 1;
      this.stats.rows += rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      client.release(broken);
    }
  }
}

const appenders = new WeakMap<pg.Pool, AuditAppender>();

/** The process's appender for this pool (one per database connection pool). */
export function auditAppender(pool: pg.Pool, key: Buffer): AuditAppender {
  let appender = appenders.get(pool);
  if (!appender?.key.equals(key)) {
    appender = new AuditAppender(pool, key);
    appenders.set(pool, appender);
  }
  return appender;
}
