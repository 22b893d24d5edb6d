// Disabling secure links that may no longer be used (rules AUTH-5, REL-2, REL-5): every link still
// usable (not revoked, not used up) for the given packets or relying on the given authorizations
// is revoked by Release Desk itself, with the reason, and each one audited.
import { and, inArray, isNull, lt, or, type SQL } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { deliveryLinks } from '../db/schema-packets.js';

export async function revokeLiveLinks(
  ctx: Ctx,
  which: { packetIds?: readonly string[]; authorizationIds?: readonly string[] },
  reason: string,
): Promise<string[]> {
  const parts: SQL[] = [];
  if (which.packetIds?.length) parts.push(inArray(deliveryLinks.packetId, [...which.packetIds]));
  if (which.authorizationIds?.length)
    parts.push(inArray(deliveryLinks.authorizationId, [...which.authorizationIds]));
  if (parts.length === 0) return [];
  const revoked = await ctx.tx
    .update(deliveryLinks)
    .set({ revokedAt: ctx.now, revokedBy: null, revokeReason: reason, grantHash: null, grantExpiresAt: null })
    .where(
      and(
        or(...parts),
        isNull(deliveryLinks.revokedAt),
        lt(deliveryLinks.downloads, deliveryLinks.maxDownloads),
      ),
    )
    .returning({
      id: deliveryLinks.id,
      requestId: deliveryLinks.requestId,
      practiceId: deliveryLinks.practiceId,
      downloads: deliveryLinks.downloads,
    });
  for (const link of revoked) {
    record(ctx, {
      type: 'delivery_link.revoked',
      requestId: link.requestId,
      data: { linkId: link.id, by: 'release_desk', reason, unused: link.downloads === 0 },
    });
  }
  return revoked.map((l) => l.id);
}

/**
 * rule AUTH-5: a revoked authorization disables every link relying on it that is still usable.
 * Called by revoke-authorization with the ids of the authorizations it revoked.
 */
export function disableLinksRelyingOn(ctx: Ctx, authorizationIds: readonly string[]): Promise<string[]> {
  return revokeLiveLinks(
    ctx,
    { authorizationIds },
    'The authorization this release relies on was revoked (AUTH-5).',
  );
}
