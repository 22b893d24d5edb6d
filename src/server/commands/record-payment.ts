import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { recordPaymentSchema } from '../../shared/schemas/request-actions.js';
import { STAGE_LABELS, type Stage } from '../../shared/workflow.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { invoices } from '../db/schema.js';
import { invoiceVoids } from '../db/schema-payments.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import { canRecordPayment } from '../policies/request-support.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

/** Support records a payment made to the practice directly (check, card by phone, cash). rule FEE-6: tracked alongside. */
export async function recordPayment(ctx: Ctx, requestId: string, input: z.infer<typeof recordPaymentSchema>) {
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  if (!canRecordPayment(ctx.actor!)) {
    throw new ForbiddenError('Only the support team can record a payment.', { requestId });
  }
  const [invoice] = await ctx.tx
    .select()
    .from(invoices)
    .where(eq(invoices.requestId, requestId))
    .for('update');
  const stage = `Not allowed at stage "${STAGE_LABELS[loaded.row.stage as Stage]}"`;
  if (invoice?.mode !== 'sent') {
    throw new ConflictError(`${stage}: there is no invoice to pay.`, {
      stage: loaded.row.stage,
      allowedActions: [],
      requestId,
    });
  }
  if (invoice.paidAt) {
    throw new ConflictError(`${stage}: the invoice is already paid.`, {
      stage: loaded.row.stage,
      allowedActions: [],
      requestId,
    });
  }
  // A voided invoice is not to be paid (issue 7): support refunds what still arrives instead.
  const [voided] = await ctx.tx.select().from(invoiceVoids).where(eq(invoiceVoids.invoiceId, invoice.id));
  if (voided) {
    throw new ConflictError(`${stage}: the invoice was voided, so there is nothing to pay.`, {
      stage: loaded.row.stage,
      allowedActions: [],
      requestId,
    });
  }
  const paidAt = input.paidAt ? new Date(input.paidAt) : ctx.now;
  await ctx.tx
    .update(invoices)
    .set({ paidAt, paymentMethod: input.method, paymentReference: input.reference })
    .where(eq(invoices.id, invoice.id));
  record(ctx, {
    type: 'request.payment_recorded',
    requestId,
    clientId: loaded.row.clientId,
    data: { method: input.method, amountCents: invoice.amountCents, paidAt: paidAt.toISOString() },
  });
  return loaded;
}
