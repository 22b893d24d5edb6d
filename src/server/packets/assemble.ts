// The assembly job (issue 6 "Packet"; rules SCOPE-1, PART2-1, REL-5). One transaction per packet:
// the packet row is locked, the scope checked again, the records read (audited), the PDF written
// and stored encrypted, and the packet marked ready, all or nothing. A crash anywhere leaves the
// packet queued and pg-boss retries; a second run of a finished packet changes nothing. What can
// never succeed (a document out of scope, an unreadable source) marks the packet blocked, naming it.
import { and, eq, ne } from 'drizzle-orm';
import type { RequestKind } from '../../shared/request-kinds.js';
import { localDate } from '../../shared/time.js';
import { record } from '../audit/record.js';
import { type Actor, type Ctx, type Services, SYSTEM_META } from '../context.js';
import { clients, practices, users } from '../db/schema.js';
import { type PacketStatus, packets } from '../db/schema-packets.js';
import { inTransaction } from '../db/tx.js';
import { revokeLiveLinks } from '../delivery/revoke.js';
import { FileIntegrityError, readFileInternal, storeFile } from '../documents/storage.js';
import { AppError } from '../errors.js';
import { renderLetter } from '../pdf/letter.js';
import { loadCompliance } from '../queries/authorizations.js';
import { rulesForRequest } from '../queries/rule-packs.js';
import { findVisibleRequest, type LoadedRequest } from '../queries/visible-requests.js';
import { isRevoked } from '../rules/authorization.js';
import { CONFIDENTIALITY_NOTICE, coverLetter } from './cover-letter.js';
import { recordFilesOf } from './queries.js';
import { renderPacket, UnreadableSourceError } from './render.js';

interface Payload {
  packetId: string;
  practiceId: string;
}

async function requester(services: Services, practiceId: string, userId: string): Promise<Actor | null> {
  const [u] = await services.database.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.practiceId, practiceId)));
  if (!u) return null;
  return {
    id: u.id,
    practiceId: u.practiceId,
    name: u.name,
    email: u.email,
    roles: u.roles as Actor['roles'],
    active: u.active,
    isDemo: u.isDemo,
  };
}

export async function assemblePacketJob(services: Services, data: Record<string, unknown>): Promise<void> {
  const { packetId, practiceId } = data as unknown as Payload;
  const [first] = await services.database.db
    .select({ status: packets.status, requestedBy: packets.requestedBy })
    .from(packets)
    .where(and(eq(packets.id, packetId), eq(packets.practiceId, practiceId)));
  if (first?.status !== 'queued') return;
  const actor = await requester(services, practiceId, first.requestedBy);
  try {
    await inTransaction(services, SYSTEM_META, actor, (ctx) => assembleIn(ctx, packetId), { practiceId });
  } catch (err) {
    // The transaction rolled back: the packet is still queued and pg-boss retries. The failure kept
    // on the job says what went wrong, never the query's parameters (record names, encrypted bytes).
    const cause = (err as { cause?: unknown }).cause;
    const message = (cause instanceof Error ? cause.message : (err as Error).message) ?? 'unknown error';
    throw new Error(
      `Packet assembly failed and will be retried: ${message.replace(/[^\x20-\x7e]/g, ' ').slice(0, 300)}`,
    );
  }
}

async function block(
  ctx: Ctx,
  packet: typeof packets.$inferSelect,
  clientId: string | null,
  problem: string,
) {
  await ctx.tx.update(packets).set({ status: 'blocked', problem }).where(eq(packets.id, packet.id));
  record(ctx, {
    type: 'packet.assembly_blocked',
    requestId: packet.requestId,
    clientId,
    data: { packetId: packet.id, version: packet.version, problem },
  });
}

async function assembleIn(ctx: Ctx, packetId: string): Promise<void> {
  const [packet] = await ctx.tx.select().from(packets).where(eq(packets.id, packetId)).for('update');
  if (packet?.status !== 'queued') return; // done by an earlier run: nothing to do
  let loaded: LoadedRequest;
  try {
    if (!ctx.actor?.active) throw new AppError(404, 'not_found', 'inactive');
    loaded = await findVisibleRequest(ctx, packet.requestId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return block(
      ctx,
      packet,
      null,
      'Whoever asked for this packet can no longer see the request: ask again.',
    );
  }
  const { row } = loaded;

  // rule SCOPE-1 first: anything outside the authorized scope blocks assembly, naming the document.
  const compliance = await loadCompliance(ctx, row);
  const outOfScope = compliance.releaseBlockers.filter((b) => b.rule === 'SCOPE-1');
  if (outOfScope.length > 0) {
    return block(ctx, packet, row.clientId, outOfScope.map((b) => b.message).join(' '));
  }
  const records = await recordFilesOf(ctx, row);
  const byId = new Map(records.map((r) => [r.id, r]));
  const sources = packet.sourceFileIds.map((id) => byId.get(id));
  if (sources.some((s) => !s) || records.length !== sources.length) {
    return block(
      ctx,
      packet,
      row.clientId,
      'The prepared records changed after assembly was asked for: assemble again.',
    );
  }
  const documents = sources.map((s) => s!);
  const part2 = documents.some((d) => d.documentClass === 'part2');

  // rule PART2-1: the 42 CFR 2.32 notice from the request's rule packs, and the consent explained.
  const rules = await rulesForRequest(ctx, row);
  const notice = rules.part2Notice;
  if (part2 && !notice.long) {
    return block(
      ctx,
      packet,
      row.clientId,
      'Part 2 material is included but the rule packs hold no 42 CFR 2.32 notice (PART2-1).',
    );
  }
  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, row.practiceId));
  const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, row.clientId));
  const timeZone = practice?.timeZone ?? 'UTC';
  const consent = compliance.authorizations
    .filter((a) => a.validation.valid && !isRevoked(a.row, ctx.now))
    .sort((a, b) => Number(b.row.part2Consent) - Number(a.row.part2Consent))[0]?.row;
  const consentText = consent
    ? `The client's written consent, signed${consent.signedOn ? ` on ${consent.signedOn}` : ''}${consent.signerName ? ` by ${consent.signerName}` : ''}, ` +
      `authorizes disclosure to ${consent.recipient ?? row.requesterName} for: ${consent.purpose ?? 'the purpose stated on it'}` +
      `${consent.expiresOn ? `, until ${consent.expiresOn}` : ''}. It may be revoked in writing at any time, except where the practice already acted on it. A copy is available from the privacy officer.`
    : row.kind === 'client_access'
      ? 'These are the client’s own records, released to the client at their request.'
      : 'The consent these records are disclosed under is on file with the practice; a copy is available from the privacy officer.';

  const opened = [];
  try {
    for (const d of documents) {
      const file = await readFileInternal(ctx, {
        requestId: row.id,
        fileId: d.id,
        purpose: 'packet_assembly',
      });
      opened.push({
        name: d.name,
        contentType: file.contentType,
        data: file.data,
        part2: d.documentClass === 'part2',
      });
    }
  } catch (err) {
    if (!(err instanceof FileIntegrityError)) throw err;
    const name = documents[opened.length]?.name ?? 'a record';
    return block(
      ctx,
      packet,
      row.clientId,
      `'${name}' failed its integrity check and cannot be put in a packet.`,
    );
  }
  const recipientLine = [row.requesterName, row.requesterOrganization].filter(Boolean).join(', ');
  let rendered: Awaited<ReturnType<typeof renderPacket>>;
  try {
    rendered = await renderPacket({
      coverLetter: (pages) =>
        renderLetter(
          coverLetter(
            {
              practice: {
                name: practice?.name ?? 'The practice',
                privacyOfficer: practice?.privacyOfficerName ?? null,
                phone: practice?.privacyOfficerPhone ?? null,
                email: practice?.privacyOfficerEmail ?? null,
              },
              request: {
                number: row.number,
                kind: row.kind as RequestKind,
                receivedOn: localDate(row.receivedAt, timeZone),
                purpose: row.purpose,
              },
              client: { name: client ? `${client.firstName} ${client.lastName}` : '' },
              recipient: {
                name: row.requesterName,
                organization: row.requesterOrganization,
                address: row.requesterAddress,
              },
              version: packet.version,
              today: localDate(ctx.now, timeZone),
              documents,
              part2: part2 ? { notice: notice.long!.value, consent: consentText } : null,
              createdAt: ctx.now,
              language: row.language === 'es' ? 'es' : 'en',
            },
            pages,
          ),
        ),
      sources: opened,
      stamp: {
        reference: row.number,
        recipient: recipientLine,
        confidentiality: CONFIDENTIALITY_NOTICE,
        part2Short: notice.short?.value ?? null,
      },
      title: `Release of records ${row.number} (packet version ${packet.version})`,
      author: practice?.name ?? 'Release Desk',
      createdAt: ctx.now,
    });
  } catch (err) {
    if (!(err instanceof UnreadableSourceError)) throw err;
    return block(
      ctx,
      packet,
      row.clientId,
      `${err.message} Replace it with a readable copy, then assemble again.`,
    );
  }

  const stored = await storeFile(ctx, {
    requestId: row.id,
    purpose: 'packet',
    name: `Packet ${row.number} v${packet.version}.pdf`,
    contentType: 'application/pdf',
    data: rendered.pdf,
  });
  // rule REL-5: any change makes a new version; an earlier unreleased one is superseded, with its links.
  const older = await ctx.tx
    .update(packets)
    .set({ status: 'superseded' satisfies PacketStatus })
    .where(and(eq(packets.requestId, row.id), eq(packets.status, 'ready'), ne(packets.id, packet.id)))
    .returning({ id: packets.id, version: packets.version });
  for (const o of older) {
    record(ctx, {
      type: 'packet.superseded',
      requestId: row.id,
      clientId: row.clientId,
      data: { packetId: o.id, version: o.version, by: packet.id, byVersion: packet.version },
    });
  }
  await revokeLiveLinks(
    ctx,
    { packetIds: older.map((o) => o.id) },
    `Superseded by packet version ${packet.version}.`,
  );
  await ctx.tx
    .update(packets)
    .set({
      status: 'ready',
      fileId: stored.id,
      sha256: stored.sha256,
      pageCount: rendered.pageCount,
      size: stored.size,
      part2,
      problem: null,
      assembledAt: ctx.now,
    })
    .where(eq(packets.id, packet.id));
  record(ctx, {
    type: 'packet.assembled',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      packetId: packet.id,
      version: packet.version,
      fileId: stored.id,
      sha256: stored.sha256,
      pageCount: rendered.pageCount,
      size: stored.size,
      part2,
      sourceFileIds: packet.sourceFileIds,
    },
  });
}
