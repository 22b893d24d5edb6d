// Tables of the compliance engine (compliance.md): authorizations, verifications, the privacy
// officer's recorded approvals, escalations, holidays, fee quotes and red flags. Every row belongs
// to a practice and, where it is about one, to a request.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { id, tstz } from './columns.js';
import { clients, files, practices, requests, tasks, users } from './schema.js';

const practiceRef = () =>
  uuid('practice_id')
    .notNull()
    .references(() => practices.id);
const requestRef = () =>
  uuid('request_id')
    .notNull()
    .references(() => requests.id);
const userRef = (name: string) => uuid(name).references(() => users.id);

/**
 * rule AUTH-1..AUTH-7: a signed authorization as structured fields, so each core element and
 * required statement can be checked by name. Revocation is recorded, never deleted (AUTH-5, AUTH-6).
 */
export const authorizations = pgTable(
  'authorizations',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: requestRef(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    description: text('description'),
    discloser: text('discloser'),
    recipient: text('recipient'),
    purpose: text('purpose'),
    expiresOn: date('expires_on', { mode: 'string' }),
    expiryEvent: text('expiry_event'),
    signedOn: date('signed_on', { mode: 'string' }),
    signerName: text('signer_name'),
    signedByRepresentative: boolean('signed_by_representative').notNull().default(false),
    representativeAuthority: text('representative_authority'),
    statementRevocation: boolean('statement_revocation').notNull().default(false),
    statementConditioning: boolean('statement_conditioning').notNull().default(false),
    statementRedisclosure: boolean('statement_redisclosure').notNull().default(false),
    /** Defects staff found on the form (AUTH-3). */
    improperCompound: boolean('improper_compound').notNull().default(false),
    conditionsTreatment: boolean('conditions_treatment').notNull().default(false),
    knownFalse: boolean('known_false').notNull().default(false),
    /** rule AUTH-4: an authorization for psychotherapy notes only. */
    psychotherapyNotesOnly: boolean('psychotherapy_notes_only').notNull().default(false),
    /** rule PART2-1 / LEGAL-3: the patient's written Part 2 consent. */
    part2Consent: boolean('part2_consent').notNull().default(false),
    documentClasses: text('document_classes').array().notNull().default(sql`'{}'::text[]`),
    dateFrom: date('date_from', { mode: 'string' }),
    dateTo: date('date_to', { mode: 'string' }),
    fileId: uuid('file_id').references(() => files.id),
    /**
     * rule AUTH-7: signed on the form the practice prepared (the plain-language PDF in formFileId);
     * then the signer must receive a copy, and how and when is recorded before release.
     */
    preparedByPractice: boolean('prepared_by_practice').notNull().default(false),
    formFileId: uuid('form_file_id').references(() => files.id),
    signerCopyMethod: text('signer_copy_method'),
    signerCopyGivenOn: date('signer_copy_given_on', { mode: 'string' }),
    revocationReceivedAt: tstz('revocation_received_at'),
    revokedBy: userRef('revoked_by'),
    revocationNote: text('revocation_note'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('authorizations_request_idx').on(t.requestId),
    index('authorizations_client_idx').on(t.clientId),
  ],
);

/** rule VER-1: how identity or authority was verified, by whom and when. */
export const verifications = pgTable(
  'verifications',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: requestRef(),
    /** 'identity' (the requester) or 'authority' (a representative's or third party's; REP-1). */
    subject: text('subject').notNull(),
    method: text('method').notNull(),
    /** REP-1: custody order, guardianship, power of attorney, executor letters… */
    proofKind: text('proof_kind'),
    fileId: uuid('file_id').references(() => files.id),
    notes: text('notes'),
    verifiedBy: uuid('verified_by')
      .notNull()
      .references(() => users.id),
    verifiedAt: tstz('verified_at').notNull(),
  },
  (t) => [
    index('verifications_request_idx').on(t.requestId),
    check('verifications_subject_check', sql`subject in ('identity', 'authority')`),
  ],
);

/**
 * Decisions the privacy officer records by name: an AUTH-4 psychotherapy-notes exception, how state
 * privilege was addressed for a subpoena (LEGAL-2), a Part 2 court order (LEGAL-3).
 */
export const privacyApprovals = pgTable(
  'privacy_approvals',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: requestRef(),
    kind: text('kind').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    approvedBy: uuid('approved_by')
      .notNull()
      .references(() => users.id),
    approvedAt: tstz('approved_at').notNull(),
  },
  (t) => [index('privacy_approvals_request_idx').on(t.requestId, t.kind)],
);

/** rule TIME-6: each rung of the escalation ladder is climbed once per task. */
export const taskEscalations = pgTable(
  'task_escalations',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: requestRef(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id),
    /** 1: the assignee is reminded; 2: their supervisor; 3: the supervisor's supervisor; 4: the privacy officer. */
    level: integer('level').notNull(),
    notifiedUserId: userRef('notified_user_id'),
    notifiedRole: text('notified_role'),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('task_escalations_once_key').on(t.taskId, t.level),
    index('task_escalations_request_idx').on(t.requestId),
  ],
);

/** Days the practice is closed: step clocks skip them like weekends (TIME-6). */
export const practiceHolidays = pgTable(
  'practice_holidays',
  {
    practiceId: practiceRef(),
    date: date('date', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practiceId, t.date] })],
);

/** rule FEE-3: the fee is quoted to the client in advance; the invoice follows the quote. */
export const feeQuotes = pgTable(
  'fee_quotes',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: requestRef(),
    /** 'none', 'actual_cost', 'average_schedule', 'flat' (FEE-2), or 'statutory_schedule' (FEE-5). */
    basis: text('basis').notNull(),
    lines: jsonb('lines').$type<{ code: string; description: string; amountCents: number }[]>().notNull(),
    totalCents: integer('total_cents').notNull(),
    /** The rule pack values the quote was computed under, copied so history never changes. */
    rules: jsonb('rules').$type<Record<string, unknown>>().notNull(),
    quotedBy: uuid('quoted_by')
      .notNull()
      .references(() => users.id),
    quotedAt: tstz('quoted_at').notNull(),
    acceptedAt: tstz('accepted_at'),
  },
  (t) => [
    index('fee_quotes_request_idx').on(t.requestId),
    check('fee_quotes_total_check', sql`total_cents >= 0`),
  ],
);

/** rule REV-6: red flags a supervisor adds by hand (the system's own are computed each time). */
export const redFlags = pgTable(
  'red_flags',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: requestRef(),
    code: text('code').notNull(),
    note: text('note'),
    addedBy: uuid('added_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [index('red_flags_request_idx').on(t.requestId)],
);
