// @fastify/rate-limit's counts in PostgreSQL (issue 8, several instances): with its default store
// each process counted in its own memory, so two instances on one database gave an attacker twice
// the sign-in, portal-code and secure-link guesses. Here every instance spends one budget per
// route, caller and window, in `rate_limit_counters` (db/schema-rate-limits.ts).
//
// One statement per limited request: an upsert that starts a window on the first hit (or on the
// first hit after the window ended) and otherwise adds one, returning the count and the time left,
// both from the database's clock, which every instance shares. The row lock of INSERT … ON CONFLICT
// serialises concurrent hits, so A and B can never both see the same count. The key is an HMAC
// (no address, email or token is kept in plain). Expired rows are deleted at most once a minute per
// process, after a counted hit, without the request waiting for it.
//
// A database failure here goes to the error handler like any other (db/failures.ts: 503 with
// Retry-After, 507 for a full disk), never a 500 and never a request let through uncounted.
import { createHmac, hkdfSync } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Services } from '../context.js';

/** Expired windows are deleted at most this often by each process. */
export const PURGE_EVERY_MS = 60_000;

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

const INCREMENT = {
  // Prepared once per connection (a named statement): parsed and planned once.
  name: 'rate-limit-increment',
  text: `insert into rate_limit_counters as c (key_hash, window_ms, hits, reset_at)
         values ($1, $2::int, 1, now() + $2::int * interval '1 millisecond')
         on conflict (key_hash, window_ms) do update set
           hits = case when c.reset_at <= now() then 1 else least(c.hits, 2147483646) + 1 end,
           reset_at = case when c.reset_at <= now() then excluded.reset_at else c.reset_at end
         returning hits, ceil(extract(epoch from c.reset_at - now()) * 1000)::int as ttl_ms`,
};

/** Delete the windows that have ended (a row past its reset is the same as no row). */
export async function purgeExpiredRateLimits(services: Services): Promise<number> {
  const res = await services.database.pool.query('delete from rate_limit_counters where reset_at <= now()');
  return res.rowCount ?? 0;
}

/** The route a limiter counts for: `child` gets the route's merged options with `routeInfo`. */
function routeName(options: unknown): string {
  const info = (options as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo;
  if (!info?.url) return 'global';
  const method = Array.isArray(info.method) ? info.method.join(',') : (info.method ?? '');
  return `${method} ${info.url}`;
}

/** The `store` option of @fastify/rate-limit: counts kept in this instance's database. */
export function postgresRateLimitStore(services: Services): FastifyRateLimitStoreCtor {
  const hmacKey = Buffer.from(
    hkdfSync('sha256', services.config.masterKey, Buffer.alloc(0), 'release-desk rate-limit v1', 32),
  );
  let lastPurge = 0;
  const maybePurge = () => {
    const now = Date.now();
    if (now - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now;
    // Not awaited: a failed purge (the database just went away) is retried a minute later.
    purgeExpiredRateLimits(services).catch(() => {});
  };

  class PostgresRateLimitStore implements FastifyRateLimitStore {
    private readonly route: string;

    constructor(options: unknown, route?: string) {
      // The plugin's own store; routes get theirs through child(). The app uses neither option,
      // and this store does not implement them: refuse rather than count differently.
      const o = options as { continueExceeding?: boolean; exponentialBackoff?: boolean };
      if (o.continueExceeding || o.exponentialBackoff)
        throw new Error('The database rate-limit store has no continueExceeding or exponentialBackoff.');
      this.route = route ?? 'global';
    }

    incr(key: string, callback: Callback, timeWindow: number, _max: number): void {
      const keyHash = createHmac('sha256', hmacKey).update(`${this.route}\n${key}`).digest('hex');
      services.database.pool
        .query<{ hits: number; ttl_ms: number }>({ ...INCREMENT, values: [keyHash, timeWindow] })
        .then((res) => {
          const row = res.rows[0];
          if (!row) throw new Error('rate-limit increment returned no row');
          maybePurge();
          return { current: row.hits, ttl: Math.max(row.ttl_ms, 0) };
        })
        .then(
          (counted) => callback(null, counted),
          (err: Error) => callback(err),
        );
    }

    child(options: unknown): FastifyRateLimitStore {
      return new PostgresRateLimitStore(options, routeName(options));
    }
  }
  return PostgresRateLimitStore;
}
