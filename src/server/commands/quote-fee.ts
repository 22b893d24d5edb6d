// Fee quotes (rules FEE-1 to FEE-5): support quotes the fee to the client in advance, by kind and by
// the rules the request was decided under; the client's agreement is recorded; the invoice then
// follows the accepted quote line for line (record-invoice.ts), with nothing about treatment
// balances (FEE-4). The quote keeps the rule values it used, so history never changes.
import { and, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { RequestKind } from '../../shared/request-kinds.js';
import { type FeeCode, isFeeCode } from '../../shared/rule-packs.js';
import { acceptFeeQuoteSchema, feeQuoteSchema } from '../../shared/schemas/request-extras.js';
import { OPEN_STAGES } from '../../shared/workflow-stages.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { invoices } from '../db/schema.js';
import { feeQuotes } from '../db/schema-rules.js';
import { BadRequestError, ConflictError, ForbiddenError } from '../errors.js';
import { postRequesterNotice } from '../mail/requester-thread.js';
import { canQuoteFee } from '../policies/request-support.js';
import { rulesForRequest } from '../queries/rule-packs.js';
import { findVisibleRequest, type RequestRow } from '../queries/visible-requests.js';
import { computeFeeQuote, mentionsTreatmentCharges } from '../rules/fees.js';
import { practiceDurations } from './support/tasks.js';

// The bodies are shared with the web app (src/shared/schemas/request-extras.ts).
export { acceptFeeQuoteSchema, feeQuoteSchema };

type QuoteRow = typeof feeQuotes.$inferSelect;

async function latestQuote(ctx: Ctx, requestId: string): Promise<QuoteRow | undefined> {
  const [q] = await ctx.tx
    .select()
    .from(feeQuotes)
    .where(eq(feeQuotes.requestId, requestId))
    .orderBy(desc(feeQuotes.quotedAt))
    .limit(1);
  return q;
}

/** Load the request for a fee action: visible (404), support's (403), before the invoice (409). */
async function loadForFees(ctx: Ctx, requestId: string, what: string): Promise<RequestRow> {
  const { row } = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  if (!canQuoteFee(ctx.actor!)) {
    throw new ForbiddenError(`Only the support team can ${what}.`, { requestId, rule: 'FEE-3' });
  }
  const [invoice] = await ctx.tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(eq(invoices.requestId, row.id));
  if (invoice || !(OPEN_STAGES as readonly string[]).includes(row.stage)) {
    throw new ConflictError(
      invoice
        ? 'The invoice is already recorded: a fee is quoted before it (FEE-3).'
        : `The request is ${row.stage}: no fee can be quoted now.`,
      { stage: row.stage, requestId },
    );
  }
  return row;
}

export async function quoteFee(ctx: Ctx, requestId: string, input: z.infer<typeof feeQuoteSchema>) {
  const row = await loadForFees(ctx, requestId, 'quote a fee');
  const { timeZone } = await practiceDurations(ctx.tx, row.practiceId);
  const rules = await rulesForRequest(ctx, row, timeZone);
  const result = computeFeeQuote(row.kind as RequestKind, row.deliveryFormat, rules, input);
  if (!result.ok) {
    throw new BadRequestError(
      result.errors.map((e) => e.message).join(' '),
      result.errors.map((e) => ({ path: `body.${e.field}`, message: `${e.message} (${e.rule})` })),
    );
  }
  // Quotes are ordered by time; a clock standing still never makes two of them tie.
  const previous = await latestQuote(ctx, row.id);
  const quotedAt =
    previous && previous.quotedAt.getTime() >= ctx.now.getTime()
      ? new Date(previous.quotedAt.getTime() + 1)
      : ctx.now;
  const [quote] = await ctx.tx
    .insert(feeQuotes)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      basis: result.basis,
      lines: result.lines,
      totalCents: result.totalCents,
      rules: { ...result.rulesUsed, notes: result.notes, warnings: rules.warnings },
      quotedBy: ctx.actor!.id,
      quotedAt,
    })
    .returning();
  record(ctx, {
    type: 'request.fee_quoted',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      quoteId: quote!.id,
      basis: result.basis,
      totalCents: result.totalCents,
      codes: result.lines.map((l) => l.code),
      rule: 'FEE-3',
    },
  });
  // rule FEE-3, REL-2: the fee is told to the requester in advance, in plain words, on their thread.
  await postRequesterNotice(ctx, row, 'requester_fee_quote', `fee-quote:${quote!.id}`, {
    feeTotalCents: result.totalCents,
  });
  return { quote: quote!, rules };
}

export async function acceptFeeQuote(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof acceptFeeQuoteSchema>,
) {
  const row = await loadForFees(ctx, requestId, "record the client's agreement to the fee");
  const latest = await latestQuote(ctx, row.id);
  if (!latest || latest.id !== input.quoteId) {
    throw new ConflictError(
      latest
        ? 'A newer quote was made: the client agrees to the latest one (FEE-3).'
        : 'No fee was quoted yet (FEE-3).',
      { stage: row.stage, requestId, latestQuoteId: latest?.id ?? null },
    );
  }
  if (latest.acceptedAt) {
    throw new ConflictError('The client already agreed to this quote.', { stage: row.stage, requestId });
  }
  const [quote] = await ctx.tx
    .update(feeQuotes)
    .set({ acceptedAt: ctx.now })
    .where(and(eq(feeQuotes.id, latest.id), eq(feeQuotes.requestId, row.id)))
    .returning();
  record(ctx, {
    type: 'request.fee_quote_accepted',
    requestId: row.id,
    clientId: row.clientId,
    data: { quoteId: latest.id, totalCents: latest.totalCents, note: input.note ?? null, rule: 'FEE-3' },
  });
  const { timeZone } = await practiceDurations(ctx.tx, row.practiceId);
  return { quote: quote!, rules: await rulesForRequest(ctx, row, timeZone) };
}

/** Quote and record the client's agreement in one go (the demo seed, or an agreement taken on the spot). */
export async function quoteAndRecordAgreement(
  ctx: Ctx,
  requestId: string,
  input: z.input<typeof feeQuoteSchema>,
  note: string,
) {
  const { quote } = await quoteFee(ctx, requestId, feeQuoteSchema.parse(input));
  return acceptFeeQuote(ctx, requestId, { quoteId: quote.id, note });
}

/**
 * rule FEE-3, FEE-4: a sent invoice follows the client's accepted quote, line for line, and no line
 * names a treatment charge. Returns the quote's lines (with their fee codes) to store on the invoice.
 */
export async function invoiceLinesFromQuote(
  ctx: Ctx,
  row: { id: string },
  lines: readonly { description: string; amountCents: number }[],
): Promise<{ code: FeeCode; description: string; amountCents: number }[]> {
  lines.forEach((l, i) => {
    if (mentionsTreatmentCharges(l.description)) {
      throw new BadRequestError(
        'A release’s invoice never includes, references or waits on treatment charges (FEE-4).',
        [{ path: `body.lines.${i}.description`, message: 'Names a treatment charge (FEE-4).' }],
      );
    }
  });
  const quote = await latestQuote(ctx, row.id);
  if (!quote?.acceptedAt) {
    throw new BadRequestError(
      quote
        ? 'The client has not agreed to the latest fee quote: record their agreement first (FEE-3).'
        : 'Quote the fee to the client first, and record their agreement, before sending an invoice (FEE-3).',
      [{ path: 'body.mode', message: 'An invoice follows the fee quoted in advance and accepted (FEE-3).' }],
    );
  }
  const same =
    quote.lines.length === lines.length &&
    quote.lines.every(
      (q, i) => q.description === lines[i]!.description && q.amountCents === lines[i]!.amountCents,
    );
  if (!same) {
    throw new BadRequestError('The invoice must carry exactly the lines of the accepted quote (FEE-3).', [
      {
        path: 'body.lines',
        message: `Expected: ${quote.lines.map((q) => `${q.description} ${q.amountCents}`).join('; ')} (FEE-3).`,
      },
    ]);
  }
  return quote.lines.map((q, i) => {
    // rule FEE-4: every charge is a fee code; nothing about treatment balances exists in the model.
    if (!isFeeCode(q.code)) {
      throw new BadRequestError('Not a fee code (FEE-4).', [{ path: `body.lines.${i}`, message: 'FEE-4' }]);
    }
    return { code: q.code, description: q.description, amountCents: q.amountCents };
  });
}
