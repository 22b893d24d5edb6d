// What support (and later the portal) sees of a request's payment (issue 7): the invoice with each
// line, whether it is paid, how, refunds, a void, the online payment pages and any discrepancy, and
// when online payment is not set up, how to pay the practice directly. rule FEE-4: only this invoice.
import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { FEE_CODE_LABELS, isFeeCode } from '../../shared/rule-packs.js';
import { PAYMENT_SESSION_STATUSES, REFUND_SOURCES } from '../../shared/schemas/payments.js';
import type { Ctx } from '../context.js';
import { paymentRefunds, paymentSessions } from '../db/schema-payments.js';
import { contactLine } from '../mail/requester-notices.js';
import { practiceContact } from '../mail/requester-thread.js';
import { PAYMENT_ACTIONS, type PaymentAction, paymentAbilities } from '../policies/payments.js';
import { loadForPayment, type PaymentFacts, paymentFacts } from './invoice.js';

const iso = z.iso.datetime();

export const paymentSummarySchema = z.object({
  invoice: z
    .object({
      id: z.uuid(),
      mode: z.string(),
      amountCents: z.number().int(),
      lines: z.array(z.object({ label: z.string(), description: z.string(), amountCents: z.number().int() })),
      sentAt: iso.nullable(),
      paidAt: iso.nullable(),
      paymentMethod: z.string().nullable(),
      paymentReference: z.string().nullable(),
      refundedCents: z.number().int(),
      voided: z.object({ reason: z.string(), voidedAt: iso }).nullable(),
    })
    .nullable(),
  refunds: z.array(
    z.object({
      id: z.uuid(),
      source: z.enum(REFUND_SOURCES),
      amountCents: z.number().int(),
      reason: z.string(),
      reference: z.string().nullable(),
      createdAt: iso,
    }),
  ),
  sessions: z.array(
    z.object({
      id: z.uuid(),
      status: z.enum(PAYMENT_SESSION_STATUSES),
      amountCents: z.number().int(),
      url: z.string().nullable(),
      expiresAt: iso,
      createdAt: iso,
      completedAt: iso.nullable(),
      problem: z.string().nullable(),
    }),
  ),
  /** Stripe keys are set: the requester can pay online. */
  online: z.boolean(),
  /** Without Stripe: how to pay the practice directly, in plain words. */
  payDirectly: z.string().nullable(),
  abilities: z.array(z.enum(PAYMENT_ACTIONS)),
});

export type PaymentSummary = z.infer<typeof paymentSummarySchema>;

/** The actions that make sense in the invoice's state (the policy decided who; this decides when). */
function possibleNow(action: PaymentAction, facts: PaymentFacts, online: boolean): boolean {
  const { invoice, voided } = facts;
  const payable = invoice?.mode === 'sent' && !voided && !invoice.paidAt;
  switch (action) {
    case 'view':
      return true;
    case 'start_checkout':
      return payable && online;
    case 'void':
      return payable;
    case 'refund':
      return Boolean(invoice?.paidAt) && invoice!.amountCents > facts.refundedCents;
    case 'download_receipt':
      return Boolean(invoice?.paidAt);
  }
}

export async function paymentSummary(ctx: Ctx, requestId: string): Promise<PaymentSummary> {
  const loaded = await loadForPayment(ctx, requestId, 'view');
  const facts = await paymentFacts(ctx.tx, loaded.row);
  const { invoice } = facts;
  const refunds = invoice
    ? await ctx.tx
        .select()
        .from(paymentRefunds)
        .where(eq(paymentRefunds.invoiceId, invoice.id))
        .orderBy(paymentRefunds.createdAt)
    : [];
  const sessions = invoice
    ? await ctx.tx
        .select()
        .from(paymentSessions)
        .where(eq(paymentSessions.invoiceId, invoice.id))
        .orderBy(desc(paymentSessions.createdAt))
    : [];
  const online = ctx.services.config.stripe !== null;
  const { contact } = await practiceContact(ctx.tx, loaded.row.practiceId);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    invoice: invoice && {
      id: invoice.id,
      mode: invoice.mode,
      amountCents: invoice.amountCents,
      lines: invoice.lines.map((l) => {
        const code = (l as { code?: unknown }).code;
        return {
          label: isFeeCode(code) ? FEE_CODE_LABELS[code] : l.description,
          description: l.description,
          amountCents: l.amountCents,
        };
      }),
      sentAt: iso(invoice.sentAt),
      paidAt: iso(invoice.paidAt),
      paymentMethod: invoice.paymentMethod,
      paymentReference: invoice.paymentReference,
      refundedCents: facts.refundedCents,
      voided: facts.voided && { reason: facts.voided.reason, voidedAt: facts.voided.voidedAt.toISOString() },
    },
    refunds: refunds.map((r) => ({
      id: r.id,
      source: r.source as (typeof REFUND_SOURCES)[number],
      amountCents: r.amountCents,
      reason: r.reason,
      reference: r.reference,
      createdAt: r.createdAt.toISOString(),
    })),
    sessions: sessions.map((s) => ({
      id: s.id,
      status: s.status as (typeof PAYMENT_SESSION_STATUSES)[number],
      amountCents: s.amountCents,
      url: s.url,
      expiresAt: s.expiresAt.toISOString(),
      createdAt: s.createdAt.toISOString(),
      completedAt: iso(s.completedAt),
      problem: s.problem,
    })),
    online,
    payDirectly: online
      ? null
      : `Pay ${contact.name} directly by check, by card over the phone, or in cash, quoting request ${loaded.row.number}. To arrange it, ${contactLine(contact)}`,
    abilities: paymentAbilities(ctx.actor!, loaded.row.practiceId).filter((a) =>
      possibleNow(a, facts, online),
    ),
  };
}
