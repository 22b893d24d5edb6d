// Payments of a release's invoice (issue 7): online through Stripe Checkout, or directly to the
// practice and recorded by support; refunds and voids by support. rule FEE-4: a payment is only ever
// this invoice's amount; nothing here knows of treatment balances.
import { z } from 'zod';

/** A Checkout Session: open (the requester may pay), completed (paid), expired, or a discrepancy for support. */
export const PAYMENT_SESSION_STATUSES = ['open', 'completed', 'expired', 'discrepancy'] as const;
export type PaymentSessionStatus = (typeof PAYMENT_SESSION_STATUSES)[number];

/** Where a refund was made: by support through Stripe, seen only in Stripe (its dashboard), or outside (check, cash). */
export const REFUND_SOURCES = ['stripe', 'stripe_event', 'offline'] as const;
export type RefundSource = (typeof REFUND_SOURCES)[number];

/** The payment method recorded on the invoice when the requester pays through Stripe Checkout. */
export const ONLINE_PAYMENT_METHOD = 'card_online';

const text = (max: number) => z.string().trim().min(1, 'Required.').max(max);

/** Support refunds a paid invoice: in full (no amount) or in part, always with a reason. */
export const refundPaymentSchema = z.object({
  amountCents: z.number().int().positive().max(10_000_000).nullish(),
  reason: text(500),
  /** For a payment made directly to the practice: how it was refunded (check number, receipt). */
  reference: text(200).nullish(),
});

/** Support voids an unpaid invoice, with its reason (the invoice stays as it was sent: an honest record). */
export const voidInvoiceSchema = z.object({ reason: text(500) });

export type RefundPaymentInput = z.infer<typeof refundPaymentSchema>;
export type VoidInvoiceInput = z.infer<typeof voidInvoiceSchema>;
