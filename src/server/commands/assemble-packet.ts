// Ask for a packet to be assembled (issue 6 "Packet"; rules SCOPE-1, REL-5): load the request
// (scoped, locked) -> authorize -> check that the prepared work was approved and nothing is out of
// scope (409 naming each document) -> add the next version, queued -> audit -> the assembly job.
// The job (packets/assemble.ts) does the work in its own transaction, so a crash leaves the packet
// queued and the job retried, never a half-written packet.
import { and, eq, max } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { packets } from '../db/schema-packets.js';
import { enforceFileDecision } from '../documents/storage.js';
import { assertCurrentDocuments } from '../drafts/gate.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { send } from '../jobs/send.js';
import { type PacketView, packetsOf, presentPackets, recordFilesOf } from '../packets/queries.js';
import { decidePacketAssembly } from '../policies/packets.js';
import { loadCompliance } from '../queries/authorizations.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

export const ASSEMBLE_PACKET = 'packet.assemble';

export interface AssemblePacketInput {
  /** The record files in the order they go into the packet; all of them, in upload order, when absent. */
  fileIds?: string[] | undefined;
}

export async function assemblePacket(
  ctx: Ctx,
  requestId: string,
  input: AssemblePacketInput,
): Promise<PacketView> {
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  enforceFileDecision(decidePacketAssembly(ctx.actor!, loaded.facts), row.id);
  if (row.stage === 'released') {
    throw new ConflictError(
      'The records were released: the released packet can never change (REL-5). Nothing was assembled.',
      { requestId: row.id, stage: row.stage, rule: 'REL-5' },
    );
  }
  const releaseTask = loaded.tasks.find((t) => t.type === 'release' && t.state === 'open');
  if (row.stage !== 'preparation' || !releaseTask) {
    throw new ConflictError(
      'A packet is assembled once what was prepared is approved (the release task is open).',
      { requestId: row.id, stage: row.stage },
    );
  }
  const existing = await packetsOf(ctx, row);
  const queued = existing.find((p) => p.status === 'queued');
  if (queued) {
    throw new ConflictError(`Version ${queued.version} of the packet is still being assembled.`, {
      requestId: row.id,
      packetId: queued.id,
    });
  }
  const records = await recordFilesOf(ctx, row);
  if (records.length === 0) {
    throw new ConflictError('There are no prepared records on the request to put in a packet.', {
      requestId: row.id,
    });
  }
  let order = records.map((r) => r.id);
  // Procedure step 4, REL-5: a letter or report replaced by a later version is never chosen (409).
  if (input.fileIds) await assertCurrentDocuments(ctx, row, input.fileIds);
  if (input.fileIds) {
    const known = new Set(order);
    const given = new Set(input.fileIds);
    if (
      input.fileIds.length !== order.length ||
      given.size !== known.size ||
      ![...given].every((id) => known.has(id))
    ) {
      const message = 'List every prepared record of the request once, in the order they go into the packet.';
      throw new BadRequestError(message, [{ path: 'body.fileIds', message }]);
    }
    order = input.fileIds;
  }
  // rule SCOPE-1: anything outside the authorized scope blocks assembly, naming the document.
  const outOfScope = (await loadCompliance(ctx, row)).releaseBlockers.filter((b) => b.rule === 'SCOPE-1');
  if (outOfScope.length > 0) {
    throw new ConflictError(
      `The packet cannot be assembled. ${outOfScope.map((b) => b.message.replace(/^Release is blocked: /, '')).join(' ')}`,
      { requestId: row.id, rules: ['SCOPE-1'], blockers: outOfScope },
    );
  }
  const [last] = await ctx.tx
    .select({ version: max(packets.version) })
    .from(packets)
    .where(and(eq(packets.requestId, row.id), eq(packets.practiceId, row.practiceId)));
  const version = (last?.version ?? 0) + 1;
  const [packet] = await ctx.tx
    .insert(packets)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      version,
      status: 'queued',
      sourceFileIds: order,
      requestedBy: ctx.actor!.id,
      requestedAt: ctx.now,
      createdAt: ctx.now,
    })
    .returning();
  record(ctx, {
    type: 'packet.assembly_requested',
    requestId: row.id,
    clientId: row.clientId,
    data: { packetId: packet!.id, version, sourceFileIds: order },
  });
  await send(
    ctx,
    ASSEMBLE_PACKET,
    { packetId: packet!.id, practiceId: row.practiceId },
    {
      singletonKey: `packet:${packet!.id}`,
    },
  );
  return (await presentPackets(ctx, [packet!]))[0]!;
}
