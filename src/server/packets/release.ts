// The packet a release sends (rules REL-3, REL-5). record-release calls this in its transaction,
// with the request row locked: the packet named by its hash, or else the request's ready packet,
// is marked released (from then on the database refuses any change to it), and its SHA-256 is the
// one the disclosure entry records. A release with no packet (verbal, or recorded as before) is
// unchanged.
import { and, eq } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { packets } from '../db/schema-packets.js';
import { assertCurrentDocuments } from '../drafts/gate.js';
import { ConflictError } from '../errors.js';
import type { RequestRow } from '../queries/visible-requests.js';
import { packetsOf, recordFilesOf } from './queries.js';

export async function releasePacket(
  ctx: Ctx,
  row: RequestRow,
  input: { packetSha256?: string | null | undefined; method?: string | null | undefined },
): Promise<string | null> {
  const given = input.packetSha256 ?? null;
  if (input.method === 'verbal') return given;
  const all = await packetsOf(ctx, row);
  if (all.length === 0) return given;
  const queued = all.find((p) => p.status === 'queued');
  if (queued && !given) {
    throw new ConflictError(
      `Version ${queued.version} of the packet is still being assembled: release it once it is ready (REL-5).`,
      { requestId: row.id, packetId: queued.id, rule: 'REL-5' },
    );
  }
  const target = given
    ? all.find((p) => p.sha256 === given && (p.status === 'ready' || p.status === 'released'))
    : all.find((p) => p.status === 'ready');
  if (given && !target) {
    throw new ConflictError('That SHA-256 is not the hash of a ready packet of this request (REL-5).', {
      requestId: row.id,
      rule: 'REL-5',
    });
  }
  if (!target) return null;
  // Procedure step 4, REL-5: never release a letter or report a later version replaced.
  await assertCurrentDocuments(ctx, row, target.sourceFileIds);
  const current = (await recordFilesOf(ctx, row)).map((r) => r.id).sort();
  const inPacket = [...target.sourceFileIds].sort();
  if (current.length !== inPacket.length || current.some((id, i) => id !== inPacket[i])) {
    throw new ConflictError(
      `The prepared records changed after version ${target.version} of the packet was assembled: assemble it again, then release (REL-5).`,
      { requestId: row.id, packetId: target.id, rule: 'REL-5' },
    );
  }
  if (target.status === 'ready') {
    await ctx.tx
      .update(packets)
      .set({ status: 'released', releasedAt: ctx.now })
      .where(and(eq(packets.id, target.id), eq(packets.status, 'ready')));
    record(ctx, {
      type: 'packet.released',
      requestId: row.id,
      clientId: row.clientId,
      data: { packetId: target.id, version: target.version, sha256: target.sha256 },
    });
  }
  return target.sha256;
}
