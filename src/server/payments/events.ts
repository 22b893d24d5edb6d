// What each Stripe event does (issue 7), inside the transaction that stored the event's id once
// (webhook.ts). Out of order is expected: a completed payment reported twice (or after its page
// expired) is applied once; a refund reported before its payment is kept ("deferred") and applied when
// the payment arrives; refunds are kept in step with Stripe's cumulative refunded amount, so the same
// refund seen twice, or first recorded by support, is counted once.
// rule FEE-4: the amount must be this invoice's exactly, or the payment is a discrepancy for support,
// never "paid"; nothing here reads or writes a treatment balance. rule FEE-6: payment never moves the
// request's workflow.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type Stripe from 'stripe';
import { ONLINE_PAYMENT_METHOD } from '../../shared/schemas/payments.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { invoices, requests } from '../db/schema.js';
import { paymentRefunds, paymentSessions, stripeEvents } from '../db/schema-payments.js';
import { formatFee } from '../mail/requester-notices.js';
import { CURRENCY, type PaymentSessionRow } from './checkout.js';
import { invoiceExtras } from './invoice.js';
import { postPaymentNotice } from './notice.js';

export interface Applied {
  outcome: 'applied' | 'already_applied' | 'discrepancy' | 'ignored' | 'deferred';
  requestId?: string | null;
  paymentIntentId?: string | null;
  amountCents?: number | null;
}

const intentOf = (v: string | { id: string } | null | undefined) =>
  typeof v === 'string' ? v : (v?.id ?? null);

/**
 * Lock the session's invoice, then the session: the same order as support's commands (which lock the
 * invoice first), so a webhook and a void or a refund on the same invoice wait for each other instead
 * of deadlocking. A session's invoice never changes, so it is read before either lock.
 */
async function lockSession(ctx: Ctx, where: ReturnType<typeof eq>): Promise<PaymentSessionRow | undefined> {
  const [found] = await ctx.tx
    .select({ invoiceId: paymentSessions.invoiceId })
    .from(paymentSessions)
    .where(where);
  if (!found) return undefined;
  await ctx.tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.id, found.invoiceId))
    .for('update');
  const [row] = await ctx.tx.select().from(paymentSessions).where(where).for('update');
  return row;
}

/** checkout.session.completed: the invoice is paid (card_online, the payment intent as reference), or a discrepancy. */
export async function applySessionCompleted(
  ctx: Ctx,
  eventId: string,
  session: Stripe.Checkout.Session,
): Promise<Applied> {
  const row = await lockSession(ctx, eq(paymentSessions.stripeSessionId, session.id));
  if (!row) return { outcome: 'ignored' };
  const requestId = row.requestId;
  if (row.status === 'completed' || row.status === 'discrepancy')
    return { outcome: 'already_applied', requestId };
  // A delayed method (a bank debit) completes the page unpaid; only card payments are offered.
  if (session.payment_status !== 'paid') return { outcome: 'ignored', requestId };

  const intent = intentOf(session.payment_intent);
  const received = session.amount_total ?? 0;
  const currency = session.currency ?? '';
  const [invoice] = await ctx.tx.select().from(invoices).where(eq(invoices.id, row.invoiceId)).for('update');
  const [request] = await ctx.tx.select().from(requests).where(eq(requests.id, requestId));
  if (!invoice || !request) return { outcome: 'ignored', requestId };
  const { voided } = await invoiceExtras(ctx.tx, invoice.id);

  const problem = voided
    ? `The invoice was voided before this payment of ${formatFee(received)} arrived: refund it.`
    : invoice.paidAt
      ? `The invoice was already paid (${invoice.paymentMethod ?? 'recorded'}): this second payment of ${formatFee(received)} should be refunded.`
      : currency !== CURRENCY || received !== invoice.amountCents
        ? `Stripe reported ${formatFee(received)} ${currency.toUpperCase()} for an invoice of ${formatFee(invoice.amountCents)} USD: not recorded as paid. Check it in Stripe, then refund it or record the payment.`
        : null;

  await ctx.tx
    .update(paymentSessions)
    .set({
      status: problem ? 'discrepancy' : 'completed',
      paymentIntentId: intent,
      amountReceivedCents: received,
      problem,
      completedAt: ctx.now,
    })
    .where(eq(paymentSessions.id, row.id));

  if (problem) {
    record(ctx, {
      type: 'payment.discrepancy_recorded',
      requestId,
      clientId: request.clientId,
      data: {
        sessionId: row.id,
        expectedCents: invoice.amountCents,
        receivedCents: received,
        currency,
        eventId,
        problem,
      },
    });
  } else {
    await ctx.tx
      .update(invoices)
      .set({ paidAt: ctx.now, paymentMethod: ONLINE_PAYMENT_METHOD, paymentReference: intent ?? session.id })
      .where(eq(invoices.id, invoice.id));
    record(ctx, {
      type: 'request.payment_recorded',
      requestId,
      clientId: request.clientId,
      data: {
        method: ONLINE_PAYMENT_METHOD,
        amountCents: invoice.amountCents,
        paidAt: ctx.now.toISOString(),
        via: 'stripe',
        sessionId: row.id,
        eventId,
      },
    });
    await postPaymentNotice(ctx, request, invoice.id, invoice.amountCents);
  }
  if (intent) await applyDeferredRefunds(ctx, intent);
  return {
    outcome: problem ? 'discrepancy' : 'applied',
    requestId,
    paymentIntentId: intent,
    amountCents: received,
  };
}

/** checkout.session.expired: an open page is closed; a completed one stays as it is. */
export async function applySessionExpired(ctx: Ctx, session: Stripe.Checkout.Session): Promise<Applied> {
  const row = await lockSession(ctx, eq(paymentSessions.stripeSessionId, session.id));
  if (!row) return { outcome: 'ignored' };
  if (row.status !== 'open') return { outcome: 'already_applied', requestId: row.requestId };
  await ctx.tx
    .update(paymentSessions)
    .set({ status: 'expired', expiredAt: ctx.now })
    .where(eq(paymentSessions.id, row.id));
  record(ctx, { type: 'payment.checkout_expired', requestId: row.requestId, data: { sessionId: row.id } });
  return { outcome: 'applied', requestId: row.requestId };
}

/** charge.refunded: Stripe's cumulative refunded amount for a payment; before its payment is known, deferred. */
export async function applyChargeRefunded(
  ctx: Ctx,
  eventId: string,
  intent: string | null,
  refundedCents: number,
): Promise<Applied> {
  if (!intent) return { outcome: 'ignored' };
  const row = await lockSession(ctx, eq(paymentSessions.paymentIntentId, intent));
  if (!row) {
    record(ctx, { type: 'payment.webhook_deferred', data: { eventId, eventType: 'charge.refunded' } });
    return { outcome: 'deferred', paymentIntentId: intent, amountCents: refundedCents };
  }
  return syncRefunds(ctx, row, refundedCents, eventId);
}

/** Bring the invoice's Stripe refunds up to Stripe's cumulative amount (a refund already recorded counts once). */
async function syncRefunds(
  ctx: Ctx,
  row: PaymentSessionRow,
  cumulativeCents: number,
  eventId: string,
): Promise<Applied> {
  const base = {
    requestId: row.requestId,
    paymentIntentId: row.paymentIntentId,
    amountCents: cumulativeCents,
  };
  if (row.status !== 'completed') {
    // A refund of a payment that never settled the invoice (a discrepancy): support sees it on the session.
    const note = ` Stripe reports ${formatFee(cumulativeCents)} refunded.`;
    if (row.problem?.endsWith(note)) return { outcome: 'already_applied', ...base };
    await ctx.tx
      .update(paymentSessions)
      .set({ problem: `${(row.problem ?? '').replace(/ Stripe reports \$[\d.]+ refunded\.$/, '')}${note}` })
      .where(eq(paymentSessions.id, row.id));
    record(ctx, {
      type: 'payment.refund_recorded',
      requestId: row.requestId,
      data: {
        source: 'stripe_event',
        sessionId: row.id,
        refundedCents: cumulativeCents,
        ofDiscrepancy: true,
        eventId,
      },
    });
    return { outcome: 'applied', ...base };
  }
  await ctx.tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.id, row.invoiceId)).for('update');
  const [sum] = await ctx.tx
    .select({ cents: sql<number>`coalesce(sum(${paymentRefunds.amountCents}), 0)::int` })
    .from(paymentRefunds)
    .where(
      and(
        eq(paymentRefunds.invoiceId, row.invoiceId),
        inArray(paymentRefunds.source, ['stripe', 'stripe_event']),
      ),
    );
  const diff = cumulativeCents - (sum?.cents ?? 0);
  if (diff <= 0) return { outcome: 'already_applied', ...base };
  await ctx.tx.insert(paymentRefunds).values({
    practiceId: row.practiceId,
    requestId: row.requestId,
    invoiceId: row.invoiceId,
    source: 'stripe_event',
    amountCents: diff,
    reason: 'Refunded in Stripe (reported by Stripe).',
    reference: row.paymentIntentId,
    createdBy: null,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'payment.refund_recorded',
    requestId: row.requestId,
    data: { source: 'stripe_event', amountCents: diff, refundedCents: cumulativeCents, eventId },
  });
  return { outcome: 'applied', ...base };
}

/** Refunds Stripe reported before this payment: applied now (the largest cumulative amount), marked applied_late. */
async function applyDeferredRefunds(ctx: Ctx, intent: string): Promise<void> {
  const waiting = await ctx.tx
    .select()
    .from(stripeEvents)
    .where(and(eq(stripeEvents.paymentIntentId, intent), eq(stripeEvents.outcome, 'deferred')))
    .for('update');
  if (waiting.length === 0) return;
  const row = await lockSession(ctx, eq(paymentSessions.paymentIntentId, intent));
  if (!row) return;
  const cumulative = Math.max(...waiting.map((e) => e.amountCents ?? 0));
  await syncRefunds(ctx, row, cumulative, waiting.map((e) => e.id).join(','));
  await ctx.tx
    .update(stripeEvents)
    .set({ outcome: 'applied_late', practiceId: row.practiceId, requestId: row.requestId })
    .where(
      inArray(
        stripeEvents.id,
        waiting.map((e) => e.id),
      ),
    );
}
