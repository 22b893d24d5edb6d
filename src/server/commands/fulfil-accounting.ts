// The accounting is sent to the client (rule TIME-4): the request is marked fulfilled, by whom and
// when, and the accounting exactly as provided is kept with it (164.528(d)). A fee the client was
// not told in advance and did not agree to blocks it (FEE-7).
import { eq } from 'drizzle-orm';
import type { AccountingFulfilmentInput } from '../../shared/schemas/accounting.js';
import { clientFor, findAccountingRequest, liveAccounting, practiceTimeZone } from '../accounting/queries.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { accountingRequests } from '../db/schema-accounting.js';
import { ConflictError } from '../errors.js';
import { canHandleAccounting } from '../policies/accounting.js';

export async function fulfilAccounting(
  ctx: Ctx,
  clientId: string,
  accountingRequestId: string,
  input: AccountingFulfilmentInput,
): Promise<void> {
  const client = await clientFor(ctx, clientId, canHandleAccounting);
  const row = await findAccountingRequest(ctx, client, accountingRequestId, { forUpdate: true });
  if (row.fulfilledAt) {
    throw new ConflictError(
      `The accounting was already sent on ${row.fulfilledAt.toISOString()}; nothing was changed (TIME-4).`,
      { rule: 'TIME-4', accountingRequestId },
    );
  }
  const feeAgreed = row.feeAgreed || input.feeAgreed === true;
  // rule FEE-7: a fee for a later accounting is told in advance, so the client can withdraw or narrow.
  if (row.feeCents > 0 && !feeAgreed) {
    throw new ConflictError(
      `The fee of $${(row.feeCents / 100).toFixed(2)} must be told to the client in advance and agreed before the accounting is sent; they may withdraw or narrow the request instead (FEE-7).`,
      { rule: 'FEE-7', accountingRequestId },
    );
  }
  const timeZone = await practiceTimeZone(ctx, client.row.practiceId);
  const accounting = await liveAccounting(ctx, client, row, timeZone);
  await ctx.tx
    .update(accountingRequests)
    .set({
      fulfilledAt: ctx.now,
      fulfilledBy: ctx.actor!.id,
      fulfilmentMethod: input.method,
      feeAgreed,
      providedEntries: accounting.entries,
      notes: input.notes ? [row.notes, input.notes].filter(Boolean).join('\n') : row.notes,
    })
    .where(eq(accountingRequests.id, row.id));
  record(ctx, {
    type: 'accounting.fulfilled',
    clientId: client.row.id,
    data: {
      rule: 'TIME-4',
      accountingRequestId,
      method: input.method,
      entries: accounting.entries.length,
      disclosureIds: accounting.entries.map((e) => e.disclosureId),
      late: ctx.now.getTime() > row.dueAt.getTime(),
      feeCents: row.feeCents,
    },
  });
}
