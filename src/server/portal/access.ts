// The one access check of the requester portal (issue 7; rules SEC-2, SEC-4): every portal route
// that shows or changes a request calls `requirePortalAccess`. A caller without a live portal
// session, or with a session for another request, gets the same plain 404 (never a hint whether the
// request exists), audited; a write also needs the session's CSRF token in `x-csrf-token`.
// `inPortal` runs the work in one transaction in the request's practice with no staff actor, so the
// requester's actions are audited as theirs (the address in the event's data).
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { PORTAL_LANGUAGES, type PortalLanguage } from '../../shared/schemas/portal.js';
import { record } from '../audit/record.js';
import { safeEqual } from '../auth/tokens.js';
import type { Ctx } from '../context.js';
import { requests } from '../db/schema.js';
import { inTransaction } from '../db/tx.js';
import { AppError } from '../errors.js';
import { requestMeta } from '../http/meta.js';
import { findPortalSession, PORTAL_COOKIE, revokePortalSession } from './session.js';
import { wordsFor } from './words.js';

export interface PortalAccess {
  practiceId: string;
  requestId: string;
  requestNumber: string;
  requesterEmail: string;
  sessionTokenHash: string;
  csrfToken: string;
  language: PortalLanguage;
}

export class PortalGoneError extends AppError {
  constructor(language: PortalLanguage) {
    super(404, 'portal_session', wordsFor(language).sessionGone);
  }
}

export class PortalCsrfError extends AppError {
  constructor() {
    super(403, 'csrf', 'This page is out of date. Reload it and try again.');
  }
}

/** The language the portal page asked in (its Accept-Language), for the server's own words. */
export function portalLanguage(req: FastifyRequest): PortalLanguage {
  const first = String(req.headers['accept-language'] ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase()
    .slice(0, 2);
  return (PORTAL_LANGUAGES as readonly string[]).includes(first ?? '') ? (first as PortalLanguage) : 'en';
}

/** Record a refusal in its own transaction (the practice's chain when known, else the instance's). */
async function refuse(
  req: FastifyRequest,
  practiceId: string | null,
  data: Record<string, unknown>,
): Promise<void> {
  await inTransaction(
    req.server.services,
    requestMeta(req),
    null,
    async (ctx) => {
      record(ctx, { type: 'portal.refused', data: { by: 'requester', ...data } });
    },
    { practiceId },
  );
}

export async function requirePortalAccess(
  req: FastifyRequest,
  opts: { requestNumber?: string; write?: boolean } = {},
): Promise<PortalAccess> {
  const services = req.server.services;
  const language = portalLanguage(req);
  const now = services.now();
  const found = await findPortalSession(services.database.db, req.cookies[PORTAL_COOKIE], now);
  if (!('session' in found) || !found.session || 'ended' in found) {
    if ('ended' in found && found.ended !== 'none' && found.session) {
      const s = found.session;
      if (await revokePortalSession(services.database.db, s.tokenHash, now)) {
        await inTransaction(
          services,
          requestMeta(req),
          null,
          async (ctx) => {
            record(ctx, {
              type: 'portal.session_ended',
              requestId: s.requestId,
              data: { by: 'requester', requesterEmail: s.email, reason: found.ended },
            });
          },
          { practiceId: s.practiceId },
        );
      }
    } else {
      await refuse(req, null, { reason: 'no_session', path: req.routeOptions.url });
    }
    throw new PortalGoneError(language);
  }
  const session = found.session;
  const [request] = await services.database.db
    .select({ number: requests.number, language: requests.language })
    .from(requests)
    .where(eq(requests.id, session.requestId));
  if (!request || (opts.requestNumber !== undefined && opts.requestNumber !== request.number)) {
    // rule SEC-2: a session opens its own request only; another number is simply not found.
    await refuse(req, session.practiceId, { reason: 'other_request', requesterEmail: session.email });
    throw new AppError(404, 'not_found', wordsFor(language).linkGone);
  }
  if (opts.write) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
      await refuse(req, session.practiceId, { reason: 'csrf', requesterEmail: session.email });
      throw new PortalCsrfError();
    }
  }
  return {
    practiceId: session.practiceId,
    requestId: session.requestId,
    requestNumber: request.number,
    requesterEmail: session.email,
    sessionTokenHash: session.tokenHash,
    csrfToken: session.csrfToken,
    language: request.language === 'es' ? 'es' : 'en',
  };
}

/** One transaction in the request's practice, no staff actor: the requester's own action. */
export function inPortal<T>(
  req: FastifyRequest,
  access: PortalAccess,
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  return inTransaction(req.server.services, requestMeta(req), null, fn, { practiceId: access.practiceId });
}
