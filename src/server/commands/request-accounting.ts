// A client's request for an accounting of disclosures: its own record on its own clock (rule
// TIME-4: 60 calendar days from receipt, end of day in the practice's zone; one 30-day extension
// with a written reason, before the deadline), the period it covers (REL-4) and its fee (FEE-7).
import { and, eq } from 'drizzle-orm';
import type { AccountingExtensionInput, AccountingRequestInput } from '../../shared/schemas/accounting.js';
import { addCalendarDays, localDate } from '../../shared/time.js';
import { clientFor, findAccountingRequest, practiceTimeZone } from '../accounting/queries.js';
import { accountingFeeDecision, accountingPeriod } from '../accounting/rules.js';
import { record } from '../audit/record.js';
import { accountingClock, checkExtension, EXTENSION_MAX_DAYS } from '../clocks/extension.js';
import type { Ctx } from '../context.js';
import { accountingRequests } from '../db/schema-accounting.js';
import { BadRequestError, ConflictError } from '../errors.js';
import { canHandleAccounting } from '../policies/accounting.js';

export async function requestAccounting(
  ctx: Ctx,
  clientId: string,
  input: AccountingRequestInput,
): Promise<{ accountingRequestId: string }> {
  // Lock the client so two requests recorded at once both see each other for FEE-7.
  const client = await clientFor(ctx, clientId, canHandleAccounting, { forUpdate: true });
  const { practiceId } = client.row;
  const timeZone = await practiceTimeZone(ctx, practiceId);
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : ctx.now;
  // rule TIME-4: the clock starts at receipt; a receipt in the future is a typing mistake.
  if (receivedAt.getTime() > ctx.now.getTime() + 60_000) {
    const message =
      'The request cannot be received in the future: the 60-day clock starts at receipt (TIME-4).';
    throw new BadRequestError(message, [{ path: 'body.receivedAt', message }]);
  }
  const receivedOn = localDate(receivedAt, timeZone);
  // rule REL-4: the last 6 years, or a shorter period asked for.
  const period = accountingPeriod(
    { from: input.periodFrom ?? null, to: input.periodTo ?? null },
    receivedOn,
    localDate(ctx.now, timeZone),
  );
  if (!period.ok)
    throw new BadRequestError(period.message, [{ path: `body.${period.field}`, message: period.message }]);

  // rule FEE-7: the first accounting in any 12 months is free.
  const previous = await ctx.tx
    .select({ receivedAt: accountingRequests.receivedAt })
    .from(accountingRequests)
    .where(
      and(eq(accountingRequests.clientId, client.row.id), eq(accountingRequests.practiceId, practiceId)),
    );
  const fee = accountingFeeDecision(
    receivedOn,
    previous.map((p) => localDate(p.receivedAt, timeZone)),
  );
  if (fee.free && input.feeCents > 0) {
    const message = `${fee.note} No fee may be charged for it.`;
    throw new BadRequestError(message, [{ path: 'body.feeCents', message }]);
  }

  const clock = accountingClock(receivedAt, timeZone);
  const [row] = await ctx.tx
    .insert(accountingRequests)
    .values({
      practiceId,
      clientId: client.row.id,
      requesterName: input.requester.name,
      requesterRelationship: input.requester.relationship,
      requesterContact: input.requester.contact ?? null,
      receivedAt,
      channel: input.channel,
      periodFrom: period.from,
      periodTo: period.to,
      dueAt: clock.dueAt,
      feeFree: fee.free,
      feeCents: fee.free ? 0 : input.feeCents,
      feeAgreed: !fee.free && input.feeCents > 0 && input.feeAgreed,
      notes: input.notes ?? null,
      createdBy: ctx.actor!.id,
      createdAt: ctx.now,
    })
    .returning({ id: accountingRequests.id });
  record(ctx, {
    type: 'accounting.requested',
    clientId: client.row.id,
    data: {
      accountingRequestId: row!.id,
      receivedAt: receivedAt.toISOString(),
      periodFrom: period.from,
      periodTo: period.to,
      dueAt: clock.dueAt.toISOString(),
      feeFree: fee.free,
      feeCents: fee.free ? 0 : input.feeCents,
    },
  });
  return { accountingRequestId: row!.id };
}

/**
 * rule TIME-4: one 30-day extension, with a written reason, decided before the deadline. A second
 * one, or one after the deadline, is a 409 naming TIME-4; nothing changes.
 */
export async function extendAccounting(
  ctx: Ctx,
  clientId: string,
  accountingRequestId: string,
  input: AccountingExtensionInput,
): Promise<void> {
  const client = await clientFor(ctx, clientId, canHandleAccounting);
  const row = await findAccountingRequest(ctx, client, accountingRequestId, { forUpdate: true });
  if (row.fulfilledAt) {
    throw new ConflictError('The accounting was already sent: there is nothing to extend (TIME-4).', {
      rule: 'TIME-4',
      accountingRequestId,
    });
  }
  const timeZone = await practiceTimeZone(ctx, client.row.practiceId);
  const original = row.originalDueAt ?? row.dueAt;
  const newDueDate = addCalendarDays(localDate(original, timeZone), EXTENSION_MAX_DAYS);
  const check = checkExtension(
    { rule: 'TIME-4', dueAt: row.dueAt, originalDueAt: row.originalDueAt, extendedAt: row.extendedAt },
    newDueDate,
    ctx.now,
    timeZone,
  );
  if (!check.ok) {
    if (check.status === 409) throw new ConflictError(check.message, { rule: 'TIME-4', accountingRequestId });
    throw new BadRequestError(check.message, [{ path: 'body', message: check.message }]);
  }
  await ctx.tx
    .update(accountingRequests)
    .set({
      dueAt: check.newDueAt,
      originalDueAt: row.dueAt,
      extendedAt: ctx.now,
      extendedBy: ctx.actor!.id,
      extensionReason: input.reason,
    })
    .where(eq(accountingRequests.id, row.id));
  record(ctx, {
    type: 'accounting.extended',
    clientId: client.row.id,
    data: {
      rule: 'TIME-4',
      accountingRequestId,
      from: row.dueAt.toISOString(),
      to: check.newDueAt.toISOString(),
      reason: input.reason,
    },
  });
}
