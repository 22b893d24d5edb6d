// The one way commands touch the database: a transaction whose audit events are chained as its last
// statements and whose jobs are sent on the same connection, so a change, its audit trail and its
// side effects commit or vanish together (conventions 1, 5, 6).
import { setTimeout as delay } from 'node:timers/promises';
import type { PoolClient } from 'pg';
import { auditAppender } from '../audit/appender.js';
import { flushAudit, takeAuditRows } from '../audit/record.js';
import type { Actor, Ctx, RequestMeta, Services } from '../context.js';
import { ServiceUnavailableError } from '../errors.js';
import { drizzleOn } from './connect.js';
import { databaseFailure, isRetryableTransactionError } from './failures.js';

export interface TxOptions {
  /** The practice to act in when there is no actor (system jobs, sign-in). */
  practiceId?: string | null;
  /** Run `fn` again (up to CONFLICT_ATTEMPTS runs) after a deadlock or serialization failure (default true). */
  retryOnConflict?: boolean;
}

/**
 * Issue 8: a deadlock (40P01) or serialization failure (40001) rolls the whole transaction back, so
 * `fn` runs again from the start on a fresh connection: e.g. two uploads storing the same two new
 * blobs in opposite orders. `fn` must therefore do nothing outside the database that another run
 * would repeat harmfully (external calls carry idempotency keys). Up to CONFLICT_ATTEMPTS runs, a short
 * random pause between them so the two parties do not meet again in step (seen under the fuzz run's
 * parallel writes on a loaded machine: one retry was not always enough); then 503.
 */
export async function inTransaction<T>(
  services: Services,
  meta: RequestMeta,
  actor: Actor | null,
  fn: (ctx: Ctx) => Promise<T>,
  opts: TxOptions = {},
): Promise<T> {
  const attempts = opts.retryOnConflict === false ? 1 : CONFLICT_ATTEMPTS;
  for (let run = 1; ; run++) {
    try {
      return await attempt(services, meta, actor, fn, opts);
    } catch (err) {
      if (!isRetryableTransactionError(err)) throw err;
      if (run >= attempts) {
        if (attempts === 1) throw err;
        throw new ServiceUnavailableError(
          'Other changes to the same records kept getting in the way. Nothing was saved. Try again in a moment.',
          1,
        );
      }
      await delay(5 + Math.random() * 20 * run);
    }
  }
}

/** How many times a transaction runs when it keeps meeting a deadlock or serialization failure. */
export const CONFLICT_ATTEMPTS = 3;

async function attempt<T>(
  services: Services,
  meta: RequestMeta,
  actor: Actor | null,
  fn: (ctx: Ctx) => Promise<T>,
  opts: TxOptions,
): Promise<T> {
  const client = await services.database.pool.connect();
  let released = false;
  try {
    await client.query('begin');
    const ctx: Ctx = {
      actor,
      practiceId: opts.practiceId !== undefined ? opts.practiceId : (actor?.practiceId ?? null),
      tx: drizzleOn(client),
      client,
      now: services.now(),
      meta,
      services,
      pendingAudit: [],
    };
    const result = await fn(ctx);
    if (ctx.pendingAudit.length > 0 && (await changedNothing(client))) {
      // A read: end it, then wait for its audit rows to be committed with other reads' (appender.ts).
      const rows = takeAuditRows(ctx);
      await client.query('commit');
      client.release();
      released = true;
      await auditAppender(services.database.pool, services.config.auditKey).append(rows);
      return result;
    }
    await flushAudit(ctx);
    await client.query('commit').catch((err: unknown) => {
      // The connection was lost while the server committed, or before: the outcome is unknown, so
      // the answer must not say that nothing was saved.
      if (databaseFailure(err) !== 'unavailable') throw err;
      throw Object.assign(
        new ServiceUnavailableError(
          'The connection to the database was lost while saving, so it is not known whether the change was saved. Check before trying again.',
        ),
        { cause: err },
      );
    });
    return result;
  } catch (err) {
    if (released) throw err;
    await client.query('rollback').catch(() => {
      // The connection is broken; drop it from the pool rather than reuse it.
      client.release(true);
      released = true;
    });
    throw err;
  } finally {
    if (!released) client.release();
  }
}

/**
 * Whether the transaction has written nothing so far: PostgreSQL gives a transaction an id only at
 * its first change (an insert, update, delete, a row lock, a job sent on this connection).
 */
async function changedNothing(client: PoolClient): Promise<boolean> {
  const r = await client.query<{ unchanged: boolean }>(
    'select txid_current_if_assigned() is null as unchanged',
  );
  return r.rows[0]?.unchanged === true;
}
