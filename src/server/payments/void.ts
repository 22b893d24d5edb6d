// Support voids an unpaid invoice (issue 7) with its reason. The invoice row stays exactly as it was
// sent (an honest record); the void beside it says it is not to be paid, and an open payment page is
// closed at Stripe first, so nobody can pay a voided invoice. If Stripe cannot close it, nothing is
// voided. A payment that still arrives is a discrepancy for support (events.ts).
import { and, eq, gt } from 'drizzle-orm';
import type { VoidInvoiceInput } from '../../shared/schemas/payments.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { invoiceVoids, paymentSessions } from '../db/schema-payments.js';
import { loadForPayment, payableInvoice, paymentFacts, type VoidRow } from './invoice.js';
import { callStripe, stripeClient } from './stripe-client.js';

export async function voidInvoice(ctx: Ctx, requestId: string, input: VoidInvoiceInput): Promise<VoidRow> {
  const loaded = await loadForPayment(ctx, requestId, 'void');
  const invoice = payableInvoice(await paymentFacts(ctx.tx, loaded.row, { lock: true }));
  const open = await ctx.tx
    .select()
    .from(paymentSessions)
    .where(
      and(
        eq(paymentSessions.invoiceId, invoice.id),
        eq(paymentSessions.status, 'open'),
        gt(paymentSessions.expiresAt, ctx.now),
      ),
    );
  const settings = ctx.services.config.stripe;
  for (const session of open) {
    if (settings) {
      await callStripe('close the open payment page', () =>
        stripeClient(settings).checkout.sessions.expire(session.stripeSessionId, undefined, {
          idempotencyKey: `release-desk:expire:${session.id}`,
        }),
      );
    }
    await ctx.tx
      .update(paymentSessions)
      .set({ status: 'expired', expiredAt: ctx.now })
      .where(eq(paymentSessions.id, session.id));
  }
  const [row] = await ctx.tx
    .insert(invoiceVoids)
    .values({
      practiceId: loaded.row.practiceId,
      requestId,
      invoiceId: invoice.id,
      reason: input.reason,
      voidedBy: ctx.actor!.id,
      voidedAt: ctx.now,
    })
    .returning();
  record(ctx, {
    type: 'payment.invoice_voided',
    requestId,
    clientId: loaded.row.clientId,
    data: {
      invoiceId: invoice.id,
      amountCents: invoice.amountCents,
      reason: input.reason,
      closedSessions: open.length,
    },
  });
  return row!;
}
