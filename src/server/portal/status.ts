// What a requester sees of their request on the status page (issue 7; rules REL-2, SEC-5): the stage
// in plain words, the legal answer date (and a TIME-2 extension, plainly), who to contact, the
// requester thread (never the internal thread, staff notes, red flags or codes), the invoice with
// its lines, and whether the records can be downloaded here. Reading it is audited.
import { and, asc, eq, isNull, notInArray } from 'drizzle-orm';
import { FEE_CODE_LABELS, isFeeCode } from '../../shared/rule-packs.js';
import { PORTAL_STAGE_OF, type PortalStage, type PortalStatus } from '../../shared/schemas/portal.js';
import { localDate } from '../../shared/time.js';
import type { Stage } from '../../shared/workflow-stages.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { requests, threadMessages } from '../db/schema.js';
import { deliveryLinks, packets } from '../db/schema-packets.js';
import { linkState } from '../delivery/present.js';
import { practiceContact } from '../mail/requester-thread.js';
import { paymentFacts } from '../payments/invoice.js';
import type { PortalAccess } from './access.js';
import { PORTAL_CODE_KIND } from './links.js';

/** Kinds on the requester thread that are not conversation: links and codes (they came by email). */
const HIDDEN_KINDS = ['secure_link', 'secure_link_code', PORTAL_CODE_KIND];
/** A requester's own words on the thread: from the portal, or an emailed reply. */
export const PORTAL_MESSAGE_KIND = 'portal_message';
const FROM_REQUESTER = [PORTAL_MESSAGE_KIND, 'email_reply'];

export type RequestRow = typeof requests.$inferSelect;

export async function loadPortalRequest(ctx: Ctx, access: PortalAccess): Promise<RequestRow> {
  const [row] = await ctx.tx
    .select()
    .from(requests)
    .where(and(eq(requests.id, access.requestId), eq(requests.practiceId, access.practiceId)));
  return row!;
}

type DownloadState = PortalStatus['download'];

/** The released packet's secure link for this requester's address, and what it still needs. */
export async function requesterLinkFor(ctx: Ctx, request: RequestRow, email: string) {
  if (request.stage !== 'released') return null;
  const links = await ctx.tx
    .select()
    .from(deliveryLinks)
    .innerJoin(packets, eq(packets.id, deliveryLinks.packetId))
    .where(and(eq(deliveryLinks.requestId, request.id), isNull(deliveryLinks.revokedAt)))
    .orderBy(asc(deliveryLinks.createdAt));
  const mine = links
    .filter((l) => l.delivery_links.recipientEmail.toLowerCase() === email.toLowerCase())
    .filter((l) => l.packets.status === 'released' || l.packets.status === 'ready');
  return mine.at(-1)?.delivery_links ?? null;
}

export function downloadState(link: Awaited<ReturnType<typeof requesterLinkFor>>, now: Date): DownloadState {
  if (!link) return 'none';
  const state = linkState(link, now);
  if (state === 'used_up') return 'used_up';
  if (state !== 'active') return 'none';
  return link.secondChannel === 'none' ? 'portal' : 'second_channel';
}

/**
 * The stage as the requester lives it: a sent invoice is the invoice step's end for staff (the
 * request moves on to preparation), but until it is paid the requester is "waiting for payment".
 */
export function plainStage(stage: Stage, unpaidInvoice: boolean): PortalStage {
  if (unpaidInvoice && (stage === 'invoice' || stage === 'preparation')) return 'payment';
  return PORTAL_STAGE_OF[stage];
}

export async function portalStatus(ctx: Ctx, access: PortalAccess): Promise<PortalStatus> {
  const request = await loadPortalRequest(ctx, access);
  const { contact, timeZone } = await practiceContact(ctx.tx, request.practiceId);
  const messages = await ctx.tx
    .select()
    .from(threadMessages)
    .where(
      and(
        eq(threadMessages.requestId, request.id),
        eq(threadMessages.thread, 'requester'),
        notInArray(threadMessages.kind, HIDDEN_KINDS),
      ),
    )
    .orderBy(asc(threadMessages.createdAt), asc(threadMessages.id));
  const facts = await paymentFacts(ctx.tx, request);
  const { invoice, voided } = facts;
  const sent = invoice?.mode === 'sent' ? invoice : null;
  const payable = Boolean(sent && !voided && !sent.paidAt && sent.amountCents > 0);
  const online = ctx.services.config.stripe !== null;
  const link = await requesterLinkFor(ctx, request, access.requesterEmail);
  const day = (d: Date) => localDate(d, timeZone);
  record(ctx, {
    type: 'portal.status_viewed',
    requestId: request.id,
    data: { by: 'requester', requesterEmail: access.requesterEmail },
  });
  return {
    requestNumber: request.number,
    stage: plainStage(request.stage as Stage, payable),
    receivedOn: day(request.receivedAt),
    dueOn: day(request.legalDueAt),
    extended: Boolean(request.extendedAt),
    originalDueOn: request.originalLegalDueAt ? day(request.originalLegalDueAt) : null,
    endedOn: request.endedAt ? day(request.endedAt) : null,
    requesterIsClient: request.requesterRelationship === 'client',
    practice: contact,
    messages: messages.map((m) => ({
      id: m.id,
      fromYou: m.authorId === null && FROM_REQUESTER.includes(m.kind),
      author: m.authorId === null && FROM_REQUESTER.includes(m.kind) ? '' : contact.name,
      body: m.kind === 'email_reply' ? m.body.replace(/^By email from .+?:\n/, '') : m.body,
      at: m.createdAt.toISOString(),
    })),
    invoice: sent && {
      amountCents: sent.amountCents,
      lines: sent.lines.map((l) => {
        const code = (l as { code?: unknown }).code;
        return {
          label: isFeeCode(code) ? FEE_CODE_LABELS[code] : 'Records request fee',
          amountCents: l.amountCents,
        };
      }),
      paidAt: sent.paidAt ? sent.paidAt.toISOString() : null,
      voided: Boolean(voided),
    },
    canPayOnline: payable && online,
    payDirectly: payable && !online,
    canDownloadReceipt: Boolean(sent?.paidAt),
    download: downloadState(link, ctx.now),
  };
}
