// Tables of the accounting of disclosures (45 CFR 164.528; rules REL-4, TIME-4, FEE-7). The
// disclosure entries themselves live in `disclosures` (schema.ts, rule REL-3); these tables hold the
// client's accounting requests, on their own 60-day clock, and the agencies' suspensions.
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, tstz } from './columns.js';
import { clients, practices, users } from './schema.js';

const practiceRef = () =>
  uuid('practice_id')
    .notNull()
    .references(() => practices.id);
const clientRef = () =>
  uuid('client_id')
    .notNull()
    .references(() => clients.id);

/** One row of an accounting as it was provided (164.528(d): the written accounting is kept). */
export interface ProvidedAccountingEntry {
  disclosureId: string;
  date: string;
  recipient: string;
  address: string;
  description: string;
  purpose: string;
}

/**
 * rule TIME-4, FEE-7, REL-4: a client's request for an accounting of disclosures. Its own record,
 * with its own clock (60 calendar days from receipt, one 30-day extension with a written reason),
 * the period it covers (the 6 years before the request, or a shorter period asked for), and its fee
 * (the first accounting in any 12 months is free). Never deleted (a trigger rejects DELETE).
 */
export const accountingRequests = pgTable(
  'accounting_requests',
  {
    id: id(),
    practiceId: practiceRef(),
    clientId: clientRef(),
    requesterName: text('requester_name').notNull(),
    /** 'client' or 'representative' (KIND-6: a personal representative stands in the client's shoes). */
    requesterRelationship: text('requester_relationship').notNull(),
    requesterContact: text('requester_contact'),
    receivedAt: tstz('received_at').notNull(),
    channel: text('channel').notNull(),
    periodFrom: date('period_from', { mode: 'string' }).notNull(),
    periodTo: date('period_to', { mode: 'string' }).notNull(),
    dueAt: tstz('due_at').notNull(),
    /** rule TIME-4: the one extension; the first due date is kept. */
    originalDueAt: tstz('original_due_at'),
    extendedAt: tstz('extended_at'),
    extendedBy: uuid('extended_by').references(() => users.id),
    extensionReason: text('extension_reason'),
    /** rule FEE-7: true when no other accounting request was received in the 12 months before. */
    feeFree: boolean('fee_free').notNull(),
    feeCents: integer('fee_cents').notNull().default(0),
    /** The client was told the fee in advance and agreed to it (164.528(c)(2)). */
    feeAgreed: boolean('fee_agreed').notNull().default(false),
    notes: text('notes'),
    fulfilledAt: tstz('fulfilled_at'),
    fulfilledBy: uuid('fulfilled_by').references(() => users.id),
    fulfilmentMethod: text('fulfilment_method'),
    /** The accounting exactly as it was sent (164.528(d)). */
    providedEntries: jsonb('provided_entries').$type<ProvidedAccountingEntry[]>(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    index('accounting_requests_client_idx').on(t.clientId, t.receivedAt),
    check('accounting_requests_period_check', sql`${t.periodFrom} <= ${t.periodTo}`),
    check(
      'accounting_requests_fee_check',
      sql`${t.feeCents} >= 0 and (not ${t.feeFree} or ${t.feeCents} = 0)`,
    ),
    check(
      'accounting_requests_relationship_check',
      sql`requester_relationship in ('client', 'representative')`,
    ),
  ],
);

/**
 * rule REL-4 (164.528(a)(2)): a health-oversight agency's or law-enforcement official's statement
 * suspending the client's right to an accounting of disclosures to it, for a period. Recorded by the
 * privacy officer; append-only (a trigger rejects UPDATE and DELETE).
 */
export const accountingSuspensions = pgTable(
  'accounting_suspensions',
  {
    id: id(),
    practiceId: practiceRef(),
    clientId: clientRef(),
    agency: text('agency').notNull(),
    reason: text('reason').notNull(),
    /** 'written', or 'oral' (documented, and at most 30 days unless a written statement follows). */
    statement: text('statement').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    until: date('until', { mode: 'string' }).notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: tstz('recorded_at').notNull(),
  },
  (t) => [
    index('accounting_suspensions_client_idx').on(t.clientId),
    check('accounting_suspensions_period_check', sql`${t.startsOn} <= ${t.until}`),
    check('accounting_suspensions_statement_check', sql`statement in ('written', 'oral')`),
  ],
);
