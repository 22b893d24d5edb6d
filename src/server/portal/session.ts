// The portal session (issue 7; rule SEC-4): made only by a right emailed code on a status link, bound
// to that link's request and address. Its cookie (rd_portal) is HttpOnly, SameSite=Strict, scoped to
// /api/portal, Secure behind TLS; the table keeps only the token's SHA-256. It ends after
// PORTAL_IDLE_MINUTES without use or PORTAL_LIFETIME_MS in all.
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { newToken, sha256Hex } from '../auth/tokens.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/connect.js';
import { type portalLinks, portalSessions } from '../db/schema-portal.js';
import { secureCookie } from '../http/transport.js';

export const PORTAL_COOKIE = 'rd_portal';
export const PORTAL_COOKIE_PATH = '/api/portal';
export const PORTAL_IDLE_MINUTES = 20;
export const PORTAL_LIFETIME_MS = 2 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS = 30_000;

export interface IssuedPortalSession {
  token: string;
  csrfToken: string;
}

export type PortalSessionRow = typeof portalSessions.$inferSelect;

export async function createPortalSession(
  ctx: Ctx,
  link: Pick<typeof portalLinks.$inferSelect, 'id' | 'practiceId' | 'requestId' | 'email'>,
): Promise<IssuedPortalSession> {
  const token = newToken();
  const csrfToken = newToken();
  await ctx.tx.insert(portalSessions).values({
    tokenHash: sha256Hex(token),
    practiceId: link.practiceId,
    requestId: link.requestId,
    linkId: link.id,
    email: link.email,
    csrfToken,
    createdAt: ctx.now,
    lastSeenAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + PORTAL_LIFETIME_MS),
  });
  return { token, csrfToken };
}

const cookieOptions = (req: FastifyRequest) => ({
  path: PORTAL_COOKIE_PATH,
  sameSite: 'strict' as const,
  // HttpOnly, and Secure whenever the request came over TLS (http/transport.ts).
  ...secureCookie(req),
});

export function setPortalCookie(req: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(PORTAL_COOKIE, token, cookieOptions(req));
}

export function clearPortalCookie(req: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(PORTAL_COOKIE, cookieOptions(req));
}

/** The live session of this cookie, or why there is none. */
export async function findPortalSession(
  db: Db,
  token: string | undefined,
  now: Date,
): Promise<
  { session: PortalSessionRow } | { ended: 'none' | 'idle' | 'lifetime'; session?: PortalSessionRow }
> {
  if (!token || token.length > 128) return { ended: 'none' };
  const [session] = await db
    .select()
    .from(portalSessions)
    .where(and(eq(portalSessions.tokenHash, sha256Hex(token)), isNull(portalSessions.revokedAt)));
  if (!session) return { ended: 'none' };
  if (session.expiresAt.getTime() <= now.getTime()) return { ended: 'lifetime', session };
  if (now.getTime() - session.lastSeenAt.getTime() > PORTAL_IDLE_MINUTES * 60_000)
    return { ended: 'idle', session };
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    await db
      .update(portalSessions)
      .set({ lastSeenAt: now })
      .where(eq(portalSessions.tokenHash, session.tokenHash));
  }
  return { session };
}

export async function revokePortalSession(db: Db, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(portalSessions)
    .set({ revokedAt: now })
    .where(and(eq(portalSessions.tokenHash, tokenHash), isNull(portalSessions.revokedAt)))
    .returning({ tokenHash: portalSessions.tokenHash });
  return rows.length > 0;
}
