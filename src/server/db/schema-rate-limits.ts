// The per-address rate limits' counts (@fastify/rate-limit's store: http/rate-limit-store.ts), in
// the database so that every instance on it spends one budget (issue 8: with the counts in each
// process's memory, two instances gave an attacker twice the guesses). One row per limited route,
// caller and window length; the row's window starts at its first hit and ends at `reset_at`, after
// which the next hit starts a new window on the same row. Expired rows are deleted now and then.
// The table is UNLOGGED (hand-written in 0016_rate_limits.sql): no WAL, so a counted request does
// not wait for a disk flush at commit; after a PostgreSQL crash it is empty (every window starts
// again), which only ever forgives a few guesses.

import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';

export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    /**
     * HMAC-SHA256 (hex) of the route and the limiter's key (the caller's address) under a key
     * derived from the master key: no address, email or token is kept in plain.
     */
    keyHash: text('key_hash').notNull(),
    /** The limit's window length in milliseconds. */
    windowMs: integer('window_ms').notNull(),
    /** Hits in the current window, this one included. */
    hits: integer('hits').notNull(),
    /** When the current window ends (the database's clock, shared by every instance). */
    resetAt: tstz('reset_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.keyHash, t.windowMs] }),
    index('rate_limit_counters_reset_idx').on(t.resetAt),
    check('rate_limit_counters_hits_check', sql`${t.hits} > 0`),
    check('rate_limit_counters_window_check', sql`${t.windowMs} > 0`),
  ],
);
