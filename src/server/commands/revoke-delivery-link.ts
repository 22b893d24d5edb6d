// Revoke a secure link (rule REL-2): load the request (scoped, locked) -> authorize -> the link is
// still usable (409 otherwise) -> revoke with the reason -> audit.
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { deliveryLinks } from '../db/schema-packets.js';
import { type LinkView, linkState, presentLinks } from '../delivery/present.js';
import type { revokeLinkSchema } from '../delivery/schemas.js';
import { enforceFileDecision } from '../documents/storage.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { decideLinkManagement } from '../policies/packets.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

export async function revokeDeliveryLink(
  ctx: Ctx,
  requestId: string,
  linkId: string,
  input: z.infer<typeof revokeLinkSchema>,
): Promise<LinkView> {
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  enforceFileDecision(decideLinkManagement(ctx.actor!, loaded.facts), row.id);
  const [link] = await ctx.tx
    .select()
    .from(deliveryLinks)
    .where(
      and(
        eq(deliveryLinks.id, linkId),
        eq(deliveryLinks.requestId, row.id),
        eq(deliveryLinks.practiceId, row.practiceId),
      ),
    )
    .for('update');
  if (!link) throw new NotFoundError('link', { requestId, linkId });
  const state = linkState(link, ctx.now);
  if (state === 'revoked' || state === 'used_up') {
    throw new ConflictError(
      `This link is already ${state === 'revoked' ? 'revoked' : 'used up'}; nothing was changed.`,
      {
        requestId,
        linkId,
      },
    );
  }
  await ctx.tx
    .update(deliveryLinks)
    .set({
      revokedAt: ctx.now,
      revokedBy: ctx.actor!.id,
      revokeReason: input.reason,
      grantHash: null,
      grantExpiresAt: null,
    })
    .where(eq(deliveryLinks.id, link.id));
  record(ctx, {
    type: 'delivery_link.revoked',
    requestId: row.id,
    clientId: row.clientId,
    data: { linkId: link.id, by: 'staff', reason: input.reason, unused: link.downloads === 0 },
  });
  const [view] = await presentLinks(ctx, row, { ids: [link.id] });
  return view!;
}
