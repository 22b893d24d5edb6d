// Payments of a release's invoice (issue 7): Stripe Checkout Sessions, each Stripe event stored once
// (a replay changes nothing), refunds (through Stripe, seen in Stripe, or made outside) and voids.
// rule FEE-4: every amount here is one invoice's; nothing refers to a treatment balance.
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PAYMENT_SESSION_STATUSES, REFUND_SOURCES } from '../../shared/schemas/payments.js';
import { id, inList, tstz } from './columns.js';
import { invoices, practices, requests, users } from './schema.js';

export const paymentSessions = pgTable(
  'payment_sessions',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    stripeSessionId: text('stripe_session_id').notNull(),
    /** Sent with the create call, so a retried or doubled call makes one session at Stripe. */
    idempotencyKey: text('idempotency_key').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: text('currency').notNull(),
    /** Where the requester pays (Stripe's hosted page). */
    url: text('url'),
    status: text('status').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    paymentIntentId: text('payment_intent_id'),
    /** What Stripe reported as paid, when it completed. */
    amountReceivedCents: integer('amount_received_cents'),
    /** A discrepancy in words for support (the amount differs, the invoice was already paid or voided). */
    problem: text('problem'),
    /** The staff member who opened it, or null when the requester did (the portal). */
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: tstz('created_at').notNull(),
    completedAt: tstz('completed_at'),
    expiredAt: tstz('expired_at'),
  },
  (t) => [
    uniqueIndex('payment_sessions_stripe_key').on(t.stripeSessionId),
    uniqueIndex('payment_sessions_idem_key').on(t.idempotencyKey),
    uniqueIndex('payment_sessions_intent_key').on(t.paymentIntentId),
    index('payment_sessions_invoice_idx').on(t.invoiceId),
    check('payment_sessions_status_check', inList('status', PAYMENT_SESSION_STATUSES)),
    check('payment_sessions_amount_check', sql`amount_cents > 0`),
  ],
);

/** Each Stripe event, once (its id is the key): a replayed event finds its row and changes nothing. */
export const stripeEvents = pgTable(
  'stripe_events',
  {
    /** Stripe's event id, evt_… */
    id: text('id').primaryKey(),
    /** The practice it concerned, or null when it named nothing of ours. */
    practiceId: uuid('practice_id').references(() => practices.id),
    type: text('type').notNull(),
    requestId: uuid('request_id').references(() => requests.id),
    /** applied, already_applied, discrepancy, ignored, deferred (a refund seen before its payment), applied_late. */
    outcome: text('outcome').notNull(),
    /** For a deferred refund: the payment it waits for, and Stripe's cumulative refunded amount. */
    paymentIntentId: text('payment_intent_id'),
    amountCents: integer('amount_cents'),
    receivedAt: tstz('received_at').notNull(),
  },
  (t) => [index('stripe_events_deferred_idx').on(t.paymentIntentId).where(sql`outcome = 'deferred'`)],
);

export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    source: text('source').notNull(),
    amountCents: integer('amount_cents').notNull(),
    reason: text('reason').notNull(),
    /** Stripe's refund id (re_…), or how an offline refund was made (check number). */
    reference: text('reference'),
    stripeRefundId: text('stripe_refund_id'),
    /** Null when only Stripe's event told of it. */
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    index('payment_refunds_invoice_idx').on(t.invoiceId),
    uniqueIndex('payment_refunds_stripe_key').on(t.stripeRefundId),
    check('payment_refunds_source_check', inList('source', REFUND_SOURCES)),
    check('payment_refunds_amount_check', sql`amount_cents > 0`),
  ],
);

/** A void of an unpaid invoice: the invoice row stays as it was sent; this says it is not to be paid. */
export const invoiceVoids = pgTable(
  'invoice_voids',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    invoiceId: uuid('invoice_id')
      .notNull()
      .references(() => invoices.id),
    reason: text('reason').notNull(),
    voidedBy: uuid('voided_by')
      .notNull()
      .references(() => users.id),
    voidedAt: tstz('voided_at').notNull(),
  },
  (t) => [uniqueIndex('invoice_voids_invoice_key').on(t.invoiceId)],
);
