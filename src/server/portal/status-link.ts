// A status link for a requester email (issue 7; rule REL-2): a 256-bit random token whose SHA-256
// alone is stored, good for STATUS_LINK_DAYS. Kept apart from links.ts (which sends codes through
// the mail dispatcher) so the dispatcher can issue one for each requester email.
import type { Ctx } from '../context.js';
import { portalLinks } from '../db/schema-portal.js';
import { newLinkToken, tokenHash } from '../delivery/codes.js';

/** How long a status link works (each requester email brings a fresh one). */
export const STATUS_LINK_DAYS = 90;

export function statusLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/portal/links/${token}`;
}

/** A new status link for the request's requester, in the caller's transaction: the raw token, this once. */
export async function issueStatusLink(
  ctx: Ctx,
  input: { practiceId: string; requestId: string; email: string },
): Promise<string> {
  const token = newLinkToken();
  await ctx.tx.insert(portalLinks).values({
    practiceId: input.practiceId,
    requestId: input.requestId,
    tokenHash: tokenHash(token),
    email: input.email.toLowerCase(),
    createdAt: ctx.now,
    expiresAt: new Date(ctx.now.getTime() + STATUS_LINK_DAYS * 86_400_000),
  });
  return token;
}
