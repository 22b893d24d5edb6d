// Paying online (issue 7): a Stripe Checkout Session for an unpaid, sent invoice. The session carries
// the invoice's lines by their fee-vocabulary labels, in cents, in USD, and names the practice, the
// request and the invoice by their ids and the request number only. rule SEC-5, REL-2: nothing that
// is health information (no client name, no reason, no kind of record) goes to Stripe. rule FEE-4:
// the amount is exactly this invoice's; no treatment balance exists to add.
// A double click makes one session: the invoice row is locked, an open session is answered again, and
// the create call carries an idempotency key, so a retried call after a rollback finds the same one.
import { and, count, eq, gt } from 'drizzle-orm';
import type Stripe from 'stripe';
import { FEE_CODE_LABELS, isFeeCode } from '../../shared/rule-packs.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { paymentSessions } from '../db/schema-payments.js';
import {
  type InvoiceRow,
  loadForPayment,
  type PaymentFacts,
  payableInvoice,
  paymentFacts,
} from './invoice.js';
import { callStripe, requireStripe } from './stripe-client.js';

export const CURRENCY = 'usd';

export type PaymentSessionRow = typeof paymentSessions.$inferSelect;

/** "Records request R-2026-0001": the only description Stripe and the card statement see. */
export const paymentDescription = (requestNumber: string) => `Records request ${requestNumber}`;

/** Each invoice line by its fee code's label (FEE-1's vocabulary), never the words typed on the quote. */
export function checkoutLineItems(invoice: Pick<InvoiceRow, 'lines'>, requestNumber: string) {
  return invoice.lines.map((line) => {
    const code = (line as { code?: unknown }).code;
    const label = isFeeCode(code) ? FEE_CODE_LABELS[code] : 'Records request fee';
    return {
      quantity: 1,
      price_data: {
        currency: CURRENCY,
        unit_amount: line.amountCents,
        product_data: { name: `${label} (${paymentDescription(requestNumber)})` },
      },
    };
  });
}

/** Where Stripe sends the requester back: the portal's page of the request, by its number. */
export function portalRequestUrl(publicUrl: string, requestNumber: string): string {
  return `${publicUrl.replace(/\/$/, '')}/portal/requests/${encodeURIComponent(requestNumber)}`;
}

/** Support opens the payment page for the requester (the portal will call `openCheckout` for the requester). */
export async function startCheckout(ctx: Ctx, requestId: string): Promise<PaymentSessionRow> {
  const loaded = await loadForPayment(ctx, requestId, 'start_checkout');
  return openCheckout(ctx, await paymentFacts(ctx.tx, loaded.row, { lock: true }));
}

/** The open session of the invoice, or a new one from Stripe, in the caller's transaction. */
export async function openCheckout(ctx: Ctx, facts: PaymentFacts): Promise<PaymentSessionRow> {
  const { stripe } = requireStripe(ctx.services);
  const invoice = payableInvoice(facts);
  const request = facts.request;
  const [open] = await ctx.tx
    .select()
    .from(paymentSessions)
    .where(
      and(
        eq(paymentSessions.invoiceId, invoice.id),
        eq(paymentSessions.status, 'open'),
        gt(paymentSessions.expiresAt, ctx.now),
      ),
    );
  if (open) return open;

  const [made] = await ctx.tx
    .select({ n: count() })
    .from(paymentSessions)
    .where(eq(paymentSessions.invoiceId, invoice.id));
  const idempotencyKey = `release-desk:checkout:${invoice.id}:${(made?.n ?? 0) + 1}`;
  const back = portalRequestUrl(ctx.services.config.publicUrl, request.number);
  const metadata = {
    practiceId: request.practiceId,
    requestId: request.id,
    invoiceId: invoice.id,
    requestNumber: request.number,
  };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: 'payment',
    // Cards only: a card payment completes at once, so "completed" means paid (card_online).
    allowed_payment_method_types: ['card'],
    line_items: checkoutLineItems(invoice, request.number),
    client_reference_id: invoice.id,
    metadata,
    payment_intent_data: { description: paymentDescription(request.number), metadata },
    submit_type: 'pay',
    success_url: `${back}?payment=done`,
    cancel_url: `${back}?payment=cancelled`,
  };
  const session = await callStripe('open the payment page', () =>
    stripe.checkout.sessions.create(params, { idempotencyKey }),
  );
  const [row] = await ctx.tx
    .insert(paymentSessions)
    .values({
      practiceId: request.practiceId,
      requestId: request.id,
      invoiceId: invoice.id,
      stripeSessionId: session.id,
      idempotencyKey,
      amountCents: session.amount_total ?? invoice.amountCents,
      currency: session.currency ?? CURRENCY,
      url: session.url,
      status: 'open',
      expiresAt: new Date(session.expires_at * 1000),
      createdBy: ctx.actor?.id ?? null,
      createdAt: ctx.now,
    })
    .onConflictDoNothing({ target: paymentSessions.stripeSessionId })
    .returning();
  const saved =
    row ??
    (await ctx.tx.select().from(paymentSessions).where(eq(paymentSessions.stripeSessionId, session.id)))[0]!;
  record(ctx, {
    type: 'payment.checkout_started',
    requestId: request.id,
    data: {
      sessionId: saved.id,
      stripeSessionId: session.id,
      amountCents: saved.amountCents,
      currency: saved.currency,
    },
  });
  return saved;
}
