// A caller refused by a per-address rate limit (the sign-in, secure-link and portal routes) is a
// refused attempt, so it is audited (rule SEC-3) — but once per address and route per window, not
// once per request: a flood of guessed link tokens must not become a flood of audit rows, which
// would turn the limit that protects the database into a way of filling it. The row goes to the
// instance's chain (no practice is known before the token is checked) and names the route's
// pattern, never its path (SEC-5: the path carries the token).
import type { FastifyRequest } from 'fastify';
import type { AuditEventType } from '../../shared/audit-events.js';
import { record } from '../audit/record.js';
import { inTransaction } from '../db/tx.js';
import { requestMeta } from './meta.js';

/** Past this many remembered (address, route) pairs the memory is dropped: it only thins out rows. */
const MAX_REMEMBERED = 10_000;

function eventFor(pattern: string): AuditEventType {
  if (pattern.startsWith('/api/links/')) return 'delivery_link.refused';
  if (pattern.startsWith('/api/portal/intake')) return 'portal_intake.refused';
  if (pattern.startsWith('/api/portal/')) return 'portal.refused';
  if (pattern.startsWith('/api/auth/')) return 'auth.login_failed';
  return 'access.refused';
}

/** The `onExceeded` of @fastify/rate-limit: called for every request over the limit. */
export function rateLimitAuditor(): (req: FastifyRequest, key: string) => void {
  const lastAudited = new Map<string, number>();
  return (req, key) => {
    const pattern = req.routeOptions.url ?? 'unknown';
    const limit = req.routeOptions.config.rateLimit;
    const windowMs =
      typeof limit === 'object' && typeof limit.timeWindow === 'number' ? limit.timeWindow : 60_000;
    const max = typeof limit === 'object' && typeof limit.max === 'number' ? limit.max : null;
    const seen = `${req.method} ${pattern} ${key}`;
    const now = Date.now();
    const last = lastAudited.get(seen);
    if (last !== undefined && now - last < windowMs) return;
    if (lastAudited.size >= MAX_REMEMBERED) lastAudited.clear();
    lastAudited.set(seen, now);
    const services = req.server.services;
    // Not awaited: the 429 goes out at once; a failed audit write is logged, never a 500.
    void inTransaction(services, requestMeta(req), null, async (ctx) => {
      record(ctx, {
        type: eventFor(pattern),
        data: {
          reason: 'rate_limited',
          route: `${req.method} ${pattern}`,
          limit: max,
          windowSeconds: Math.round(windowMs / 1000),
        },
      });
    }).catch((err: unknown) => req.log.error({ err }, 'could not audit a rate-limited request'));
  };
}
