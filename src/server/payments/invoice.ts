// A request's invoice as payments see it: loaded through the scoped request query (404 for what the
// caller may not see), the policy asked, the invoice row locked for the rest of the transaction (so a
// double click, a webhook and a refund run one after the other), with its void and its refunds.
// rule FEE-4: only this invoice's amounts; nothing here reads or writes a treatment balance.
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../context.js';
import type { Db } from '../db/connect.js';
import { invoices } from '../db/schema.js';
import { invoiceVoids, paymentRefunds } from '../db/schema-payments.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { canDoPayment, type PaymentAction } from '../policies/payments.js';
import { findVisibleRequest, type LoadedRequest, type RequestRow } from '../queries/visible-requests.js';

export type InvoiceRow = typeof invoices.$inferSelect;
export type VoidRow = typeof invoiceVoids.$inferSelect;

export interface PaymentFacts {
  request: RequestRow;
  invoice: InvoiceRow | null;
  voided: VoidRow | null;
  /** Everything refunded so far (through Stripe, seen in Stripe, or outside), in cents. */
  refundedCents: number;
}

/** Load the request the actor may see and ask the payments policy (403 with the reason). */
export async function loadForPayment(
  ctx: Ctx,
  requestId: string,
  action: PaymentAction,
): Promise<LoadedRequest> {
  const loaded = await findVisibleRequest(ctx, requestId);
  const decision = canDoPayment(ctx.actor!, loaded.row.practiceId, action);
  if (!decision.allowed) throw new ForbiddenError(decision.reason, { requestId });
  return loaded;
}

/** The invoice of a request with its void and refunds; `lock` holds the invoice row to the end of the transaction. */
export async function paymentFacts(
  tx: Db,
  request: RequestRow,
  opts: { lock?: boolean } = {},
): Promise<PaymentFacts> {
  const base = tx.select().from(invoices).where(eq(invoices.requestId, request.id));
  const [invoice] = opts.lock ? await base.for('update') : await base;
  if (!invoice) return { request, invoice: null, voided: null, refundedCents: 0 };
  return { request, invoice, ...(await invoiceExtras(tx, invoice.id)) };
}

export async function invoiceExtras(
  tx: Db,
  invoiceId: string,
): Promise<{ voided: VoidRow | null; refundedCents: number }> {
  const [voided] = await tx.select().from(invoiceVoids).where(eq(invoiceVoids.invoiceId, invoiceId));
  const [sum] = await tx
    .select({ cents: sql<number>`coalesce(sum(${paymentRefunds.amountCents}), 0)::int` })
    .from(paymentRefunds)
    .where(and(eq(paymentRefunds.invoiceId, invoiceId)));
  return { voided: voided ?? null, refundedCents: sum?.cents ?? 0 };
}

/** A 409 in plain words, naming the request's invoice state. */
export function invoiceConflict(message: string, requestId: string): ConflictError {
  return new ConflictError(message, { requestId, allowedActions: [] });
}

/** rule FEE-6: an invoice that can be paid now: sent, not paid, not voided, more than nothing. */
export function payableInvoice(facts: PaymentFacts): InvoiceRow {
  const { invoice, voided, request } = facts;
  if (invoice?.mode !== 'sent')
    throw invoiceConflict('There is no invoice to pay on this request.', request.id);
  if (voided) throw invoiceConflict('This invoice was voided; there is nothing to pay.', request.id);
  if (invoice.paidAt) throw invoiceConflict('This invoice is already paid.', request.id);
  return invoice;
}
