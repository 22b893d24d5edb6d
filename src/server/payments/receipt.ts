// The receipt for a paid invoice (issue 7), as a PDF on the practice's letterhead: the request number,
// each line, the amount paid, how and when, and any refund. Rendered on each read from the rows
// (deterministic: created at the payment's time, so the same payment is the same bytes), never stored.
// rule REL-2, SEC-5: no health information: no client name, no kind of record, no reason for the
// request; the lines are named by their fee code (FEE-1's vocabulary). The download is audited.
import { eq } from 'drizzle-orm';
import { FEE_CODE_LABELS, isFeeCode } from '../../shared/rule-packs.js';
import { localDate } from '../../shared/time.js';
import { record } from '../audit/record.js';
import { longDate } from '../clocks/messages.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';
import { paymentRefunds } from '../db/schema-payments.js';
import { letterhead, type PracticeFacts } from '../letters/letterhead.js';
import { formatFee } from '../mail/requester-notices.js';
import { type LetterInput, renderLetter } from '../pdf/letter.js';
import type { RequestRow } from '../queries/visible-requests.js';
import { paymentDescription } from './checkout.js';
import { type InvoiceRow, invoiceConflict, loadForPayment, paymentFacts } from './invoice.js';

const METHOD_WORDS: Record<string, string> = {
  card_online: 'Card, paid online',
  card_by_phone: 'Card, by phone',
  check: 'Check',
  cash: 'Cash',
  online: 'Online',
  other: 'Other',
};

export interface ReceiptFacts {
  practice: PracticeFacts;
  requestNumber: string;
  lines: readonly { code?: unknown; amountCents: number }[];
  amountCents: number;
  method: string | null;
  reference: string | null;
  /** Already written out in the practice's zone. */
  paidOn: string;
  paidAt: Date;
  refunds: readonly { amountCents: number; on: string }[];
}

const label = (code: unknown) => (isFeeCode(code) ? FEE_CODE_LABELS[code] : 'Records request fee');

/** The receipt's words (pure). */
export function receiptLetter(f: ReceiptFacts): LetterInput {
  const refunded = f.refunds.reduce((s, r) => s + r.amountCents, 0);
  return {
    letterhead: letterhead(f.practice),
    reference: f.requestNumber,
    date: f.paidOn,
    title: 'Receipt',
    blocks: [
      { type: 'paragraph', text: `Payment received for ${paymentDescription(f.requestNumber)}. Thank you.` },
      {
        type: 'table',
        columns: ['Charge', 'Amount'],
        widths: [0.75, 0.25],
        rows: [
          ...f.lines.map((l) => [label(l.code), formatFee(l.amountCents)]),
          ['Total', formatFee(f.amountCents)],
        ],
        empty: 'No charges.',
      },
      {
        type: 'fields',
        rows: [
          ['Amount paid', formatFee(f.amountCents)],
          ['Paid by', METHOD_WORDS[f.method ?? ''] ?? 'Recorded by the practice'],
          ['Date paid', f.paidOn],
          ...(f.reference ? ([['Payment reference', f.reference]] as const) : []),
          ...f.refunds.map((r) => ['Refunded', `${formatFee(r.amountCents)} on ${r.on}`] as const),
          ...(refunded > 0
            ? ([['Net paid', formatFee(Math.max(0, f.amountCents - refunded))]] as const)
            : []),
        ],
      },
      {
        type: 'paragraph',
        text: 'This fee covers only preparing and sending the records you asked for. It is separate from any bill for care.',
      },
    ],
    createdAt: f.paidAt,
  };
}

/**
 * The receipt PDF of a paid invoice, from the rows (for staff below, and for the requester's portal):
 * the caller has loaded the request it may see and audits the download.
 */
export async function renderReceipt(
  ctx: Ctx,
  request: Pick<RequestRow, 'practiceId' | 'number'>,
  invoice: InvoiceRow & { paidAt: Date },
): Promise<Buffer> {
  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, request.practiceId));
  const timeZone = practice?.timeZone ?? 'UTC';
  const on = (at: Date) => longDate(localDate(at, timeZone));
  const refunds = await ctx.tx.select().from(paymentRefunds).where(eq(paymentRefunds.invoiceId, invoice.id));
  return renderLetter(
    receiptLetter({
      practice: {
        name: practice?.name ?? 'The practice',
        privacyOfficerName: practice?.privacyOfficerName ?? null,
        privacyOfficerPhone: practice?.privacyOfficerPhone ?? null,
        privacyOfficerEmail: practice?.privacyOfficerEmail ?? null,
      },
      requestNumber: request.number,
      lines: invoice.lines,
      amountCents: invoice.amountCents,
      method: invoice.paymentMethod,
      reference: invoice.paymentReference,
      paidOn: on(invoice.paidAt),
      paidAt: invoice.paidAt,
      refunds: refunds
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((r) => ({ amountCents: r.amountCents, on: on(r.createdAt) })),
    }),
  );
}

/** rule SEC-3: the receipt of a paid invoice, rendered now and its download audited. */
export async function receiptPdf(ctx: Ctx, requestId: string): Promise<{ name: string; data: Buffer }> {
  const loaded = await loadForPayment(ctx, requestId, 'download_receipt');
  const { invoice } = await paymentFacts(ctx.tx, loaded.row);
  if (!invoice?.paidAt)
    throw invoiceConflict('This invoice is not paid yet: there is no receipt.', requestId);
  const data = await renderReceipt(ctx, loaded.row, { ...invoice, paidAt: invoice.paidAt });
  record(ctx, {
    type: 'payment.receipt_downloaded',
    requestId,
    clientId: loaded.row.clientId,
    data: { invoiceId: invoice.id, bytes: data.length },
  });
  return { name: `receipt-${loaded.row.number}.pdf`, data };
}
