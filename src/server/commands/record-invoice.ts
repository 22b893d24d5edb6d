import type { z } from 'zod';
import type { recordInvoiceSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { invoices } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { invoiceLinesFromQuote } from './quote-fee.js';
import { runTransition } from './support/transition.js';

/**
 * Support sends the invoice, or records no fee or a waiver. The invoice stage ends here; payment is
 * tracked alongside and never holds up preparation (rule FEE-6). A release invoice carries only
 * release charges, never treatment balances (rule FEE-4).
 */
export async function recordInvoice(ctx: Ctx, requestId: string, input: z.infer<typeof recordInvoiceSchema>) {
  const total = input.lines.reduce((sum, l) => sum + l.amountCents, 0);
  if (input.mode === 'sent' && total === 0) {
    throw new BadRequestError('An invoice needs at least one charge; choose "no fee" otherwise.', [
      { path: 'body.lines', message: 'Add the charges, or choose no fee.' },
    ]);
  }
  if (input.mode !== 'sent' && total !== 0) {
    throw new BadRequestError('No fee and a waived fee carry no charges.', [
      { path: 'body.lines', message: 'Must be empty.' },
    ]);
  }
  let lines: { description: string; amountCents: number }[] = input.lines;
  const result = await runTransition(ctx, requestId, {
    action: 'record_invoice',
    input: { invoiceMode: input.mode },
    taskResult: { mode: input.mode, amountCents: total },
    auditData: { mode: input.mode, amountCents: total },
    // rule FEE-3, FEE-4: a sent invoice follows the accepted quote line for line, no treatment charges.
    check: async (loaded) => {
      if (input.mode === 'sent') lines = await invoiceLinesFromQuote(ctx, loaded.row, input.lines);
    },
  });
  await ctx.tx.insert(invoices).values({
    practiceId: result.loaded.row.practiceId,
    requestId,
    mode: input.mode,
    amountCents: total,
    lines,
    sentAt: input.mode === 'sent' ? ctx.now : null,
    createdBy: ctx.actor!.id,
    createdAt: ctx.now,
  });
  return result;
}
