// The receipt for a paid invoice (issue 7), as a PDF on the practice's letterhead: the request number,
// each line, the amount paid, how and when, and any refund. Rendered on each read from the rows
// (deterministic: created at the payment's time, so the same payment is the same bytes), never stored.
// rule REL-2, SEC-5: no health information: no client name, no kind of record, no reason for the
// request; the lines are named by their fee code (FEE-1's vocabulary). The download is audited.
import { eq } from 'drizzle-orm';
import { FEE_CODE_LABELS, type FeeCode, isFeeCode } from '../../shared/rule-packs.js';
import { localDate } from '../../shared/time.js';
import { record } from '../audit/record.js';
import { longDate } from '../clocks/messages.js';
import type { Ctx } from '../context.js';
import { practices } from '../db/schema.js';
import { paymentRefunds } from '../db/schema-payments.js';
import {
  ENGLISH_ON_REQUEST_ES,
  type LetterLanguage,
  letterhead,
  type PracticeFacts,
  SPANISH_PAGE_WORDS,
} from '../letters/letterhead.js';
import { longDateEs } from '../letters/letterhead-es.js';
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
  /** Issue 7: the request's language; 'es' writes the receipt in Spanish. */
  language?: LetterLanguage;
}

const label = (code: unknown) => (isFeeCode(code) ? FEE_CODE_LABELS[code] : 'Records request fee');

/** The receipt's words (pure). */
export function receiptLetter(f: ReceiptFacts): LetterInput {
  if (f.language === 'es') return receiptLetterEs(f);
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

const METHOD_WORDS_ES: Record<string, string> = {
  card_online: 'Tarjeta, pagado en línea',
  card_by_phone: 'Tarjeta, por teléfono',
  check: 'Cheque',
  cash: 'Efectivo',
  online: 'En línea',
  other: 'Otro',
};

const FEE_CODE_LABELS_ES: Readonly<Record<FeeCode, string>> = {
  copy_labor: 'Mano de obra para las copias',
  supplies: 'Materiales (papel, medios portátiles)',
  postage: 'Franqueo',
  summary_preparation: 'Preparación del resumen acordado',
  flat_electronic: 'Tarifa fija, copia electrónica de expedientes electrónicos',
  per_page_copy: 'Copias, por página',
  search: 'Búsqueda',
  retrieval: 'Recuperación',
  verification: 'Verificación',
  review_time: 'Tiempo de revisión',
  system_costs: 'Costos del sistema',
};

const feeEs = (cents: number) => (cents <= 0 ? 'sin costo' : formatFee(cents));

/** The receipt's words in Spanish (pure; the same lines, amounts and references). */
function receiptLetterEs(f: ReceiptFacts): LetterInput {
  const refunded = f.refunds.reduce((s, r) => s + r.amountCents, 0);
  const labelEs = (code: unknown) =>
    isFeeCode(code) ? FEE_CODE_LABELS_ES[code] : 'Cargo por la solicitud de expedientes';
  return {
    letterhead: letterhead(f.practice, 'es'),
    reference: f.requestNumber,
    date: f.paidOn,
    title: 'Recibo',
    blocks: [
      {
        type: 'paragraph',
        text: `Recibimos el pago de la solicitud de expedientes ${f.requestNumber}. Gracias.`,
      },
      {
        type: 'table',
        columns: ['Cargo', 'Monto'],
        widths: [0.75, 0.25],
        rows: [
          ...f.lines.map((l) => [labelEs(l.code), feeEs(l.amountCents)]),
          ['Total', feeEs(f.amountCents)],
        ],
        empty: 'Ningún cargo.',
      },
      {
        type: 'fields',
        rows: [
          ['Monto pagado', feeEs(f.amountCents)],
          ['Forma de pago', METHOD_WORDS_ES[f.method ?? ''] ?? 'Registrado por la consulta'],
          ['Fecha de pago', f.paidOn],
          ...(f.reference ? ([['Referencia del pago', f.reference]] as const) : []),
          ...f.refunds.map((r) => ['Reembolsado', `${feeEs(r.amountCents)} el ${r.on}`] as const),
          ...(refunded > 0 ? ([['Pago neto', feeEs(Math.max(0, f.amountCents - refunded))]] as const) : []),
        ],
      },
      {
        type: 'paragraph',
        text: 'Este cargo cubre solo la preparación y el envío de los expedientes que usted pidió. Es aparte de cualquier factura por atención médica.',
      },
      { type: 'paragraph', text: ENGLISH_ON_REQUEST_ES },
    ],
    createdAt: f.paidAt,
    pageWords: SPANISH_PAGE_WORDS,
  };
}

/**
 * The receipt PDF of a paid invoice, from the rows (for staff below, and for the requester's portal):
 * the caller has loaded the request it may see and audits the download.
 */
export async function renderReceipt(
  ctx: Ctx,
  request: Pick<RequestRow, 'practiceId' | 'number'> & { language?: string },
  invoice: InvoiceRow & { paidAt: Date },
): Promise<Buffer> {
  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, request.practiceId));
  const timeZone = practice?.timeZone ?? 'UTC';
  const language: LetterLanguage = request.language === 'es' ? 'es' : 'en';
  const on = (at: Date) =>
    language === 'es' ? longDateEs(localDate(at, timeZone)) : longDate(localDate(at, timeZone));
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
      language,
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
