// How a secure link is shown to staff: its state, counters and dates; never its token or codes.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { deliveryLinks, packets, type SecondChannel } from '../db/schema-packets.js';
import type { RequestRow } from '../queries/visible-requests.js';

export type LinkRow = typeof deliveryLinks.$inferSelect;
export type LinkState = 'active' | 'expired' | 'revoked' | 'locked' | 'used_up';

/** The first reason a link can no longer be used, or 'active'. */
export function linkState(
  link: Pick<LinkRow, 'revokedAt' | 'lockedAt' | 'expiresAt' | 'downloads' | 'maxDownloads'>,
  now: Date,
): LinkState {
  if (link.revokedAt) return 'revoked';
  if (link.downloads >= link.maxDownloads) return 'used_up';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (link.lockedAt) return 'locked';
  return 'active';
}

export interface LinkView {
  id: string;
  packetId: string;
  packetVersion: number;
  recipientName: string;
  recipientEmail: string;
  secondChannel: SecondChannel;
  state: LinkState;
  attempts: number;
  downloads: number;
  maxDownloads: number;
  expiresAt: string;
  lockedAt: string | null;
  revokedAt: string | null;
  revokedBy: { id: string; name: string } | null;
  revokeReason: string | null;
  authorizationId: string | null;
  createdBy: { id: string; name: string };
  createdAt: string;
}

export async function presentLinks(
  ctx: Ctx,
  row: Pick<RequestRow, 'id' | 'practiceId'>,
  opts: { ids?: string[] } = {},
): Promise<LinkView[]> {
  const rows = await ctx.tx
    .select({ link: deliveryLinks, version: packets.version })
    .from(deliveryLinks)
    .innerJoin(packets, eq(packets.id, deliveryLinks.packetId))
    .where(
      and(
        eq(deliveryLinks.requestId, row.id),
        eq(deliveryLinks.practiceId, row.practiceId),
        opts.ids ? inArray(deliveryLinks.id, opts.ids) : undefined,
      ),
    )
    .orderBy(desc(deliveryLinks.createdAt), desc(deliveryLinks.id));
  const ids = [
    ...new Set(rows.flatMap((r) => [r.link.createdBy, r.link.revokedBy]).filter((x): x is string => !!x)),
  ];
  const names = ids.length
    ? new Map(
        (
          await ctx.tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
        ).map((u) => [u.id, u.name]),
      )
    : new Map<string, string>();
  const person = (id: string) => ({ id, name: names.get(id) ?? '' });
  return rows.map(({ link, version }) => ({
    id: link.id,
    packetId: link.packetId,
    packetVersion: version,
    recipientName: link.recipientName,
    recipientEmail: link.recipientEmail,
    secondChannel: link.secondChannel as SecondChannel,
    state: linkState(link, ctx.now),
    attempts: link.attempts,
    downloads: link.downloads,
    maxDownloads: link.maxDownloads,
    expiresAt: link.expiresAt.toISOString(),
    lockedAt: link.lockedAt?.toISOString() ?? null,
    revokedAt: link.revokedAt?.toISOString() ?? null,
    revokedBy: link.revokedBy ? person(link.revokedBy) : null,
    revokeReason: link.revokeReason,
    authorizationId: link.authorizationId,
    createdBy: person(link.createdBy),
    createdAt: link.createdAt.toISOString(),
  }));
}
