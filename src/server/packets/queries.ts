// Reads of a request's packets, and how they are shown. The caller has loaded the request through
// the scoped query (visible-requests.ts), so only packets of a request it may see are read here.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../context.js';
import { files, users } from '../db/schema.js';
import { draftVersions } from '../db/schema-drafts.js';
import { type PacketStatus, packets } from '../db/schema-packets.js';
import { NotFoundError } from '../errors.js';
import type { RequestRow } from '../queries/visible-requests.js';

export type PacketRow = typeof packets.$inferSelect;

export async function packetsOf(ctx: Ctx, row: Pick<RequestRow, 'id' | 'practiceId'>): Promise<PacketRow[]> {
  return ctx.tx
    .select()
    .from(packets)
    .where(and(eq(packets.requestId, row.id), eq(packets.practiceId, row.practiceId)))
    .orderBy(desc(packets.version));
}

export async function packetOf(
  ctx: Ctx,
  row: Pick<RequestRow, 'id' | 'practiceId'>,
  packetId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<PacketRow> {
  const base = ctx.tx
    .select()
    .from(packets)
    .where(
      and(eq(packets.id, packetId), eq(packets.requestId, row.id), eq(packets.practiceId, row.practiceId)),
    );
  const [p] = opts.forUpdate ? await base.for('update') : await base;
  if (!p) throw new NotFoundError('packet', { requestId: row.id, packetId });
  return p;
}

/**
 * The record files (purpose 'record') of the request, in upload order: what a packet holds. A letter
 * or report rendered on approval is one of them until a later version supersedes it (procedure
 * step 4: only the approved, current version is released).
 */
export async function recordFilesOf(ctx: Ctx, row: Pick<RequestRow, 'id' | 'practiceId'>) {
  return ctx.tx
    .select({
      id: files.id,
      name: files.name,
      contentType: files.contentType,
      documentClass: files.documentClass,
      dateFrom: files.dateFrom,
      dateTo: files.dateTo,
    })
    .from(files)
    .where(
      and(
        eq(files.practiceId, row.practiceId),
        eq(files.requestId, row.id),
        eq(files.purpose, 'record'),
        sql`not exists (select 1 from ${draftVersions} where ${draftVersions.fileId} = ${files.id} and ${draftVersions.supersededAt} is not null)`,
      ),
    )
    .orderBy(asc(files.createdAt), asc(files.name), asc(files.id));
}

export interface PacketView {
  id: string;
  requestId: string;
  version: number;
  status: PacketStatus;
  sourceFileIds: string[];
  fileId: string | null;
  sha256: string | null;
  pageCount: number | null;
  size: number | null;
  part2: boolean;
  problem: string | null;
  requestedBy: { id: string; name: string };
  requestedAt: string;
  assembledAt: string | null;
  releasedAt: string | null;
}

export async function presentPackets(ctx: Ctx, rows: PacketRow[]): Promise<PacketView[]> {
  const ids = [...new Set(rows.map((r) => r.requestedBy))];
  const names = ids.length
    ? new Map(
        (
          await ctx.tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))
        ).map((u) => [u.id, u.name]),
      )
    : new Map<string, string>();
  return rows.map((p) => ({
    id: p.id,
    requestId: p.requestId,
    version: p.version,
    status: p.status as PacketStatus,
    sourceFileIds: p.sourceFileIds,
    fileId: p.fileId,
    sha256: p.sha256,
    pageCount: p.pageCount,
    size: p.size,
    part2: p.part2,
    problem: p.problem,
    requestedBy: { id: p.requestedBy, name: names.get(p.requestedBy) ?? '' },
    requestedAt: p.requestedAt.toISOString(),
    assembledAt: p.assembledAt?.toISOString() ?? null,
    releasedAt: p.releasedAt?.toISOString() ?? null,
  }));
}
