// The session hook: reads the `rd_session` cookie, fills req.session (any live session) and
// req.actor (a 'full' session of an active user), ends idle or expired sessions (rule SEC-4), and
// checks the CSRF token on every cookie-authenticated write. Routes marked `config: { public: true }`
// (sign-in) need no CSRF token. An ended session leaves the caller signed out: routes that need one
// answer 401 with req.signedOutReason (requireActor does this).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { record } from '../audit/record.js';
import { inTransaction } from '../db/tx.js';
import { AppError } from '../errors.js';
import { requestMeta } from '../http/meta.js';
import { secureCookie } from '../http/transport.js';
import {
  type FoundSession,
  findSession,
  hashSessionToken,
  revokeSession,
  SESSION_COOKIE,
  TOUCH_INTERVAL_MS,
  touchSession,
} from './sessions.js';
import { safeEqual } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route anyone may call (sign-in): no CSRF token, and an ended session is not an error. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** Why the session cookie sent with this request no longer signs anyone in (idle, expired). */
    signedOutReason: string | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CsrfError extends AppError {
  constructor() {
    super(
      403,
      'csrf',
      'This request needs the x-csrf-token header of your session (GET /api/auth/csrf returns it).',
    );
  }
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  // Secure whenever the request came over TLS: the app's own (TLS_CERT_FILE) or a trusted proxy's
  // X-Forwarded-Proto (http/transport.ts). Lax, not Strict: a staff member following a link to a
  // request from an email must arrive signed in; every write needs the CSRF header anyway.
  reply.setCookie(SESSION_COOKIE, token, { path: '/', sameSite: 'lax', ...secureCookie(req) });
}

export function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', sameSite: 'lax', ...secureCookie(req) });
}

/** Register on the root instance (not encapsulated), before the routes. */
export function registerSessionAuth(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('signedOutReason', null);
  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (!token || token.length > 128) return;
    const services = app.services;
    const found = await findSession(services.database.db, hashSessionToken(token));
    if (!found || found.revokedAt) return; // unknown or ended: the caller is simply not signed in
    const now = services.now();
    const ended = endedBecause(found, now, services.config.idleTimeoutMinutes);
    if (ended) {
      await endSession(req, found, ended);
      clearSessionCookie(req, reply);
      // The caller is now signed out; a route that needs a session answers 401 with this reason.
      req.signedOutReason =
        ended === 'idle'
          ? `You were signed out after ${services.config.idleTimeoutMinutes} minutes without activity. Please sign in again.`
          : 'Your session has ended. Please sign in again.';
      return;
    }
    req.session = {
      tokenHash: found.tokenHash,
      userId: found.userId,
      practiceId: found.practiceId,
      stage: found.stage,
      csrfToken: found.csrfToken,
    };
    if (found.stage === 'full') req.actor = found.user;
    if (!SAFE_METHODS.has(req.method) && !req.routeOptions.config.public) {
      const sent = req.headers['x-csrf-token'];
      // The refusal is audited with the actor (error handler), and nothing runs.
      if (typeof sent !== 'string' || !safeEqual(sent, found.csrfToken)) throw new CsrfError();
    }
    if (now.getTime() - found.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
      await touchSession(services.database.db, found.tokenHash, now);
    }
  });
}

type EndReason = 'idle' | 'lifetime' | 'inactive';

function endedBecause(found: FoundSession, now: Date, idleMinutes: number): EndReason | null {
  if (!found.user.active) return 'inactive';
  if (found.expiresAt <= now) return 'lifetime';
  if (now.getTime() - found.lastSeenAt.getTime() > idleMinutes * 60_000) return 'idle';
  return null;
}

/** Revoke, and audit the timeout once (a concurrent request that lost the race records nothing). */
async function endSession(req: FastifyRequest, found: FoundSession, reason: EndReason): Promise<void> {
  await inTransaction(
    req.server.services,
    requestMeta(req),
    found.user.active ? found.user : null,
    async (ctx) => {
      const revoked = await revokeSession(ctx.tx, found.tokenHash, ctx.now);
      if (revoked && reason !== 'inactive') {
        record(ctx, {
          type: 'auth.session_expired',
          data: {
            reason,
            stage: found.stage,
            userId: found.userId,
            lastSeenAt: found.lastSeenAt.toISOString(),
          },
        });
      }
    },
    { practiceId: found.practiceId },
  );
}
