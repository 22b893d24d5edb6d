// Support refunds a paid invoice (issue 7), in full or in part, always with a reason. A payment made
// online is refunded through Stripe (refunds.create, with an idempotency key so a retried call refunds
// once); a payment made directly to the practice is refunded outside (a check, cash) and recorded
// here with its reference. The refund and its audit event commit together; if Stripe fails, nothing
// is written. rule FEE-4: at most what this invoice was paid; no treatment balance is involved.
import { and, eq } from 'drizzle-orm';
import { ONLINE_PAYMENT_METHOD, type RefundPaymentInput } from '../../shared/schemas/payments.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { paymentRefunds, paymentSessions } from '../db/schema-payments.js';
import { BadRequestError } from '../errors.js';
import { formatFee } from '../mail/requester-notices.js';
import { invoiceConflict, loadForPayment, paymentFacts } from './invoice.js';
import { callStripe, requireStripe } from './stripe-client.js';

export type RefundRow = typeof paymentRefunds.$inferSelect;

export async function refundPayment(
  ctx: Ctx,
  requestId: string,
  input: RefundPaymentInput,
): Promise<RefundRow> {
  const loaded = await loadForPayment(ctx, requestId, 'refund');
  const facts = await paymentFacts(ctx.tx, loaded.row, { lock: true });
  const { invoice } = facts;
  if (!invoice?.paidAt)
    throw invoiceConflict('This invoice is not paid: there is nothing to refund.', requestId);
  const left = invoice.amountCents - facts.refundedCents;
  if (left <= 0) throw invoiceConflict('This payment is already refunded in full.', requestId);
  const amount = input.amountCents ?? left;
  if (amount > left) {
    throw new BadRequestError(`At most ${formatFee(left)} is left to refund on this invoice.`, [
      { path: 'body.amountCents', message: `At most ${left} (FEE-4: only this invoice's payment).` },
    ]);
  }

  const online = invoice.paymentMethod === ONLINE_PAYMENT_METHOD;
  let reference: string | null = input.reference ?? null;
  let stripeRefundId: string | null = null;
  if (online) {
    const { stripe } = requireStripe(ctx.services);
    const [session] = await ctx.tx
      .select({ intent: paymentSessions.paymentIntentId })
      .from(paymentSessions)
      .where(and(eq(paymentSessions.invoiceId, invoice.id), eq(paymentSessions.status, 'completed')));
    const intent = session?.intent ?? invoice.paymentReference;
    if (!intent)
      throw invoiceConflict('The online payment has no Stripe reference: refund it in Stripe.', requestId);
    const refund = await callStripe('refund the payment', () =>
      stripe.refunds.create(
        {
          payment_intent: intent,
          amount,
          reason: 'requested_by_customer',
          metadata: { practiceId: loaded.row.practiceId, requestId, invoiceId: invoice.id },
        },
        // Same invoice, same refunded-so-far, same amount: one refund, however often it is retried.
        { idempotencyKey: `release-desk:refund:${invoice.id}:${facts.refundedCents}:${amount}` },
      ),
    );
    stripeRefundId = refund.id;
    reference = refund.id;
  } else if (!reference) {
    throw new BadRequestError(
      'A payment made directly is refunded outside Release Desk: give its reference.',
      [{ path: 'body.reference', message: 'How it was refunded: a check number or a receipt.' }],
    );
  }

  const [row] = await ctx.tx
    .insert(paymentRefunds)
    .values({
      practiceId: loaded.row.practiceId,
      requestId,
      invoiceId: invoice.id,
      source: online ? 'stripe' : 'offline',
      amountCents: amount,
      reason: input.reason,
      reference,
      stripeRefundId,
      createdBy: ctx.actor!.id,
      createdAt: ctx.now,
    })
    .returning();
  record(ctx, {
    type: 'payment.refund_recorded',
    requestId,
    clientId: loaded.row.clientId,
    data: {
      source: row!.source,
      amountCents: amount,
      refundedCents: facts.refundedCents + amount,
      invoiceCents: invoice.amountCents,
      reason: input.reason,
      reference,
    },
  });
  return row!;
}
