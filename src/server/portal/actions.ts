// What a requester does from the status page (issue 7): write to the practice (a message on the
// requester thread, which staff see and which is emailed to support like any reply), open the online
// payment page, download the receipt, and download released records. Each runs in the request's
// practice with no staff actor and is audited as the requester's.
import { eq } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { threadMessages } from '../db/schema.js';
import { deliveryLinks } from '../db/schema-packets.js';
import { type Downloaded, deliverLinkFile } from '../delivery/public.js';
import { AppError, ConflictError } from '../errors.js';
import { queueThreadEmails } from '../mail/dispatch.js';
import { openCheckout } from '../payments/checkout.js';
import { paymentFacts } from '../payments/invoice.js';
import { renderReceipt } from '../payments/receipt.js';
import type { PortalAccess } from './access.js';
import { downloadState, loadPortalRequest, PORTAL_MESSAGE_KIND, requesterLinkFor } from './status.js';
import { wordsFor } from './words.js';

/** The requester's message, kept as typed (plain text; every page shows it inert). */
export async function postPortalMessage(
  ctx: Ctx,
  access: PortalAccess,
  body: string,
): Promise<{ id: string }> {
  const request = await loadPortalRequest(ctx, access);
  const [row] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: request.practiceId,
      requestId: request.id,
      thread: 'requester',
      authorId: null,
      kind: PORTAL_MESSAGE_KIND,
      subject: `Release of records ${request.number}`,
      body,
      createdAt: ctx.now,
    })
    .returning({ id: threadMessages.id });
  await queueThreadEmails(ctx, [row!.id]);
  // rule SEC-5: that a message was sent, not what it said.
  record(ctx, {
    type: 'portal.message_sent',
    requestId: request.id,
    data: { by: 'requester', requesterEmail: access.requesterEmail, messageId: row!.id },
  });
  record(ctx, {
    type: 'thread.message_posted',
    requestId: request.id,
    data: { messageId: row!.id, thread: 'requester', kind: PORTAL_MESSAGE_KIND },
  });
  return { id: row!.id };
}

/** The online payment page for the request's unpaid invoice (payments' own rules: FEE-4, FEE-6). */
export async function portalCheckout(ctx: Ctx, access: PortalAccess): Promise<{ url: string }> {
  const request = await loadPortalRequest(ctx, access);
  const session = await openCheckout(ctx, await paymentFacts(ctx.tx, request, { lock: true }));
  if (!session.url)
    throw new ConflictError('The payment page could not be opened. Try again in a few minutes.');
  return { url: session.url };
}

/** The receipt of a paid invoice (payments/receipt.ts draws it), its download audited (SEC-3). */
export async function portalReceipt(ctx: Ctx, access: PortalAccess): Promise<{ name: string; data: Buffer }> {
  const request = await loadPortalRequest(ctx, access);
  const { invoice } = await paymentFacts(ctx.tx, request);
  if (!invoice?.paidAt) throw new ConflictError('This invoice is not paid yet: there is no receipt.');
  const data = await renderReceipt(ctx, request, { ...invoice, paidAt: invoice.paidAt });
  record(ctx, {
    type: 'payment.receipt_downloaded',
    requestId: request.id,
    data: {
      by: 'requester',
      requesterEmail: access.requesterEmail,
      invoiceId: invoice.id,
      bytes: data.length,
    },
  });
  return { name: `receipt-${request.number}.pdf`, data };
}

/**
 * rule REL-2: released records through the secure link's own rules (deliverLinkFile: the packet
 * checked, counted, audited). The portal session proved the emailed code to the link's address; a
 * link with a second channel (a third party's phone code or date of birth) still needs the secure
 * link itself.
 */
export async function portalDownload(ctx: Ctx, access: PortalAccess): Promise<Downloaded> {
  const words = wordsFor(access.language);
  const request = await loadPortalRequest(ctx, access);
  const found = await requesterLinkFor(ctx, request, access.requesterEmail);
  const state = downloadState(found, ctx.now);
  if (!found || state === 'none' || state === 'used_up') throw new ConflictError(words.notReady);
  if (state === 'second_channel') throw new AppError(403, 'second_channel', words.secondChannel);
  const [link] = await ctx.tx
    .select()
    .from(deliveryLinks)
    .where(eq(deliveryLinks.id, found.id))
    .for('update');
  const outcome = await deliverLinkFile(ctx, link!);
  if (!outcome.ok) throw new AppError(outcome.status, outcome.error, outcome.message);
  record(ctx, {
    type: 'portal.records_downloaded',
    requestId: request.id,
    data: {
      by: 'requester',
      requesterEmail: access.requesterEmail,
      linkId: link!.id,
      sha256: outcome.value.sha256,
    },
  });
  return outcome.value;
}
