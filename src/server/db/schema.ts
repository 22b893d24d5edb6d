// The database schema. Every row belongs to a practice (the tenant; convention 10). Enumerations
// are checked by the database, from the same lists the workflow uses, so a value the transition
// table does not know can never be stored.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
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
import { REQUEST_KINDS } from '../../shared/request-kinds.js';
import { ROLES } from '../../shared/roles.js';
import { STAGES } from '../../shared/workflow-stages.js';
import { TASK_STATES, TASK_TYPES } from '../../shared/workflow-tasks.js';
import { bytea, id, inList, tstz } from './columns.js';

const practiceRef = () =>
  uuid('practice_id')
    .notNull()
    .references(() => practices.id);

export const practices = pgTable('practices', {
  id: id(),
  name: text('name').notNull(),
  state: text('state').notNull(),
  timeZone: text('time_zone').notNull(),
  privacyOfficerName: text('privacy_officer_name'),
  privacyOfficerEmail: text('privacy_officer_email'),
  privacyOfficerPhone: text('privacy_officer_phone'),
  /** Step durations, practice targets and other practice rules; validated by shared/schemas. */
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  isDemo: boolean('is_demo').notNull().default(false),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/**
 * Versioned rule data (deadlines, fee caps, notices), each value with its source and a `verified`
 * flag. Shipped packs have no practice; a practice's privacy officer or admin adds new versions,
 * never edits one (a trigger rejects UPDATE and DELETE), and each request keeps the packs it was
 * decided under (rule TIME-3).
 */
export const rulePacks = pgTable(
  'rule_packs',
  {
    id: id(),
    practiceId: uuid('practice_id').references(() => practices.id),
    /** 'US' for the federal baseline, or a state code such as 'CA'. */
    jurisdiction: text('jurisdiction').notNull(),
    version: integer('version').notNull(),
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    notes: text('notes'),
    createdBy: uuid('created_by'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rule_packs_version_key').on(
      sql`coalesce(${t.practiceId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.jurisdiction,
      t.version,
    ),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    practiceId: practiceRef(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    roles: text('roles').array().notNull(),
    passwordHash: text('password_hash'),
    active: boolean('active').notNull().default(true),
    /** TOTP secret, encrypted with the master key (never stored in clear). */
    mfaSecretEnc: bytea('mfa_secret_enc'),
    mfaEnrolledAt: tstz('mfa_enrolled_at'),
    /** The TOTP time step last accepted: a code is good once, never replayed within its window. */
    mfaLastStep: bigint('mfa_last_step', { mode: 'number' }),
    /** Demo accounts alone may skip the second factor. */
    isDemo: boolean('is_demo').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: tstz('locked_until'),
    lastLoginAt: tstz('last_login_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    deactivatedAt: tstz('deactivated_at'),
  },
  (t) => [
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    index('users_practice_idx').on(t.practiceId),
    check(
      'users_roles_check',
      sql.raw(`roles <@ array[${ROLES.map((r) => `'${r}'`).join(',')}]::text[] and cardinality(roles) > 0`),
    ),
  ],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: tstz('used_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** One-time sign-in links printed by `admin create` (only the SHA-256 of the token is stored). */
export const signInTokens = pgTable('sign_in_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id),
  expiresAt: tstz('expires_at').notNull(),
  usedAt: tstz('used_at'),
});

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the cookie's token; the token itself is never stored. */
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    practiceId: practiceRef(),
    /** 'mfa': password accepted, second factor pending; 'enroll': must enrol; 'full': signed in. */
    stage: text('stage').notNull(),
    csrfToken: text('csrf_token').notNull(),
    /** Encrypted TOTP secret offered during enrolment, before it is confirmed. */
    pendingMfaSecretEnc: bytea('pending_mfa_secret_enc'),
    mfaFailures: integer('mfa_failures').notNull().default(0),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    check('sessions_stage_check', sql`${t.stage} in ('mfa', 'enroll', 'full')`),
  ],
);

export const supervisionLinks = pgTable(
  'supervision_links',
  {
    practiceId: practiceRef(),
    /** A supervisee has one supervisor, so links form chains up to a top (then the privacy officer). */
    superviseeId: uuid('supervisee_id')
      .notNull()
      .references(() => users.id),
    supervisorId: uuid('supervisor_id')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.superviseeId] }),
    index('supervision_supervisor_idx').on(t.supervisorId),
    check('supervision_not_self', sql`${t.superviseeId} <> ${t.supervisorId}`),
  ],
);

export const clients = pgTable(
  'clients',
  {
    id: id(),
    practiceId: practiceRef(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
    isMinor: boolean('is_minor').notNull().default(false),
    therapistId: uuid('therapist_id').references(() => users.id),
    email: text('email'),
    phone: text('phone'),
    address: text('address'),
    /**
     * Issue 7 (privacy): a provisional client made by the public form when the name and date of birth
     * matched no client with a therapist. Support matches the request to the real client or answers
     * it with the no-records letter (REV-7); the form's answer never says which (it would disclose
     * who is a client).
     */
    portalUnmatched: boolean('portal_unmatched').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('clients_practice_idx').on(t.practiceId), index('clients_therapist_idx').on(t.therapistId)],
);

export const requestCounters = pgTable(
  'request_counters',
  {
    practiceId: practiceRef(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practiceId, t.year] })],
);

export const requests = pgTable(
  'requests',
  {
    id: id(),
    practiceId: practiceRef(),
    number: text('number').notNull(),
    kind: text('kind').notNull(),
    kindSubtype: text('kind_subtype'),
    stage: text('stage').notNull().default('request_made'),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    therapistId: uuid('therapist_id')
      .notNull()
      .references(() => users.id),
    requesterName: text('requester_name').notNull(),
    requesterOrganization: text('requester_organization'),
    requesterRelationship: text('requester_relationship'),
    requesterEmail: text('requester_email'),
    requesterPhone: text('requester_phone'),
    requesterAddress: text('requester_address'),
    /** rule KIND-2, AUTH-1: whom the client directs the copy to (the named recipient), when not the requester. */
    recipientName: text('recipient_name'),
    recipientOrganization: text('recipient_organization'),
    recipientEmail: text('recipient_email'),
    recipientAddress: text('recipient_address'),
    documentClasses: text('document_classes').array().notNull(),
    dateFrom: date('date_from', { mode: 'string' }),
    dateTo: date('date_to', { mode: 'string' }),
    purpose: text('purpose'),
    deliverable: text('deliverable').notNull(),
    deliveryFormat: text('delivery_format').notNull(),
    receivedAt: tstz('received_at').notNull(),
    channel: text('channel').notNull(),
    neededBy: date('needed_by', { mode: 'string' }),
    /** Return or compliance date entered from a subpoena or order (TIME-5). */
    documentDueDate: date('document_due_date', { mode: 'string' }),
    legalDueAt: tstz('legal_due_at').notNull(),
    /** 'law' (a legal deadline), 'document' (from the subpoena/order), 'target' (practice target). */
    legalDueBasis: text('legal_due_basis').notNull(),
    notes: text('notes'),
    /** The rule packs the request is decided under (rule TIME-3): the federal baseline and the state's. */
    federalPackId: uuid('federal_pack_id').references(() => rulePacks.id),
    statePackId: uuid('state_pack_id').references(() => rulePacks.id),
    /** rule TIME-2: one extension for access, with its written notice; the first due date is kept. */
    extendedAt: tstz('extended_at'),
    extensionReason: text('extension_reason'),
    originalLegalDueAt: tstz('original_legal_due_at'),
    /** A second request for the same records, merged into the first (its clock does not restart). */
    duplicateOfId: uuid('duplicate_of_id'),
    /** What may be released after the supervisor's decision (narrowed at the client's request, or a partial denial). */
    approvedScope: jsonb('approved_scope').$type<Record<string, unknown>>(),
    /** Why the request ended (denied, no records, withdrawn, cancelled) and the letter or message sent. */
    endReason: text('end_reason'),
    endLetter: text('end_letter'),
    endedAt: tstz('ended_at'),
    /** Issue 7: the requester's language for the portal and the requester emails ('en' or 'es'). */
    language: text('language').notNull().default('en'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('requests_number_key').on(t.practiceId, t.number),
    index('requests_practice_stage_idx').on(t.practiceId, t.stage),
    index('requests_therapist_idx').on(t.therapistId),
    index('requests_legal_due_idx').on(t.legalDueAt),
    check('requests_kind_check', inList('kind', REQUEST_KINDS)),
    check('requests_stage_check', inList('stage', STAGES)),
    check('requests_basis_check', sql`legal_due_basis in ('law', 'document', 'target')`),
    check('requests_language_check', sql`language in ('en', 'es')`),
  ],
);

export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    type: text('type').notNull(),
    /** A named person, or (when null) the queue of everyone with `assigneeRole` (support, clinical services). */
    assigneeId: uuid('assignee_id').references(() => users.id),
    assigneeRole: text('assignee_role'),
    state: text('state').notNull().default('open'),
    dueAt: tstz('due_at').notNull(),
    openedAt: tstz('opened_at').notNull(),
    /** When the task started waiting on the requester (its step clock is paused meanwhile; TIME-1). */
    waitingSince: tstz('waiting_since'),
    pausedMs: bigint('paused_ms', { mode: 'number' }).notNull().default(0),
    completedAt: tstz('completed_at'),
    completedBy: uuid('completed_by').references(() => users.id),
    /** The structured outcome of the task (discussion, review, invoice, preparation, release). */
    result: jsonb('result').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('tasks_request_idx').on(t.requestId),
    index('tasks_assignee_open_idx').on(t.assigneeId, t.state),
    index('tasks_due_idx').on(t.dueAt),
    index('tasks_queue_idx').on(t.practiceId, t.assigneeRole, t.state),
    check('tasks_owner_check', sql`assignee_id is not null or assignee_role is not null`),
    check('tasks_type_check', inList('type', TASK_TYPES)),
    check('tasks_state_check', inList('state', TASK_STATES)),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** 'sent' | 'no_fee' | 'waived'; payment is tracked alongside (FEE-6). */
    mode: text('mode').notNull(),
    amountCents: integer('amount_cents').notNull().default(0),
    lines: jsonb('lines').$type<{ description: string; amountCents: number }[]>().notNull().default([]),
    sentAt: tstz('sent_at'),
    paidAt: tstz('paid_at'),
    paymentMethod: text('payment_method'),
    paymentReference: text('payment_reference'),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('invoices_request_key').on(t.requestId),
    check('invoices_mode_check', sql`mode in ('sent', 'no_fee', 'waived')`),
    check('invoices_amount_check', sql`amount_cents >= 0`),
  ],
);

export const threadMessages = pgTable(
  'thread_messages',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** 'internal' (staff) or 'requester'; nothing internal ever reaches the requester. */
    thread: text('thread').notNull(),
    /** null for messages written by Release Desk itself (instructions). */
    authorId: uuid('author_id').references(() => users.id),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** A stable key per side effect, so a retried job never posts twice. */
    idempotencyKey: text('idempotency_key'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('thread_messages_request_idx').on(t.requestId, t.createdAt),
    uniqueIndex('thread_messages_idem_key').on(t.practiceId, t.idempotencyKey),
    check('thread_messages_thread_check', sql`thread in ('internal', 'requester')`),
  ],
);

export const files = pgTable(
  'files',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** 'request' (the request document), 'authorization', 'legal_document', 'record', 'letter'. */
    purpose: text('purpose').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    documentClass: text('document_class'),
    /** rule SCOPE-3: the dates the document covers, checked against the authorized range before release. */
    dateFrom: date('date_from', { mode: 'string' }),
    dateTo: date('date_to', { mode: 'string' }),
    /**
     * The content: a blob of the same practice, hash and size (schema-blobs.ts; the composite
     * foreign key is in migration 0008). Rows written before 0008 hold their content in the four
     * legacy columns below until boot moves them to a blob (documents/legacy-files.ts).
     */
    blobId: uuid('blob_id'),
    /** Legacy (before 0008): per-file key wrapped by the master key; the file id is the associated data. */
    wrappedKey: bytea('wrapped_key'),
    iv: bytea('iv'),
    authTag: bytea('auth_tag'),
    ciphertext: bytea('ciphertext'),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('files_request_idx').on(t.requestId),
    index('files_blob_idx').on(t.blobId),
    // The content is in exactly one place: a blob, or (written before 0008) the legacy columns.
    check(
      'files_content_check',
      sql`(blob_id is not null and wrapped_key is null and iv is null and auth_tag is null and ciphertext is null)
        or (blob_id is null and wrapped_key is not null and iv is not null and auth_tag is not null and ciphertext is not null)`,
    ),
  ],
);

export const disclosures = pgTable(
  'disclosures',
  {
    id: id(),
    practiceId: practiceRef(),
    requestId: uuid('request_id').references(() => requests.id),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id),
    kind: text('kind').notNull(),
    disclosedAt: tstz('disclosed_at').notNull(),
    recipientName: text('recipient_name').notNull(),
    recipientAddress: text('recipient_address'),
    description: text('description').notNull(),
    purpose: text('purpose').notNull(),
    deliverable: text('deliverable').notNull(),
    releasedBy: uuid('released_by')
      .notNull()
      .references(() => users.id),
    packetSha256: text('packet_sha256'),
    /** rule REL-3: a disclosure that should not have happened (e.g. the wrong recipient), recorded by the privacy officer. */
    impermissible: boolean('impermissible').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('disclosures_client_idx').on(t.clientId, t.disclosedAt)],
);

export const breakGlass = pgTable(
  'break_glass',
  {
    id: id(),
    practiceId: practiceRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    reason: text('reason').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('break_glass_request_idx').on(t.requestId, t.userId)],
);

/** Append-only (a trigger rejects UPDATE, DELETE and TRUNCATE); one HMAC chain per practice (SEC-3). */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** null only for events with no practice (e.g. a failed login for an unknown email). */
    practiceId: uuid('practice_id').references(() => practices.id),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: tstz('at').notNull(),
    type: text('type').notNull(),
    actorId: uuid('actor_id'),
    actorName: text('actor_name'),
    actorRole: text('actor_role'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: uuid('request_id'),
    clientId: uuid('client_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHmac: text('prev_hmac').notNull(),
    hmac: text('hmac').notNull(),
  },
  (t) => [
    uniqueIndex('audit_chain_key').on(
      sql`coalesce(${t.practiceId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.seq,
    ),
    // A request's history, newest first, without scanning every view of it.
    index('audit_request_seq_idx').on(t.requestId, t.seq),
    index('audit_type_idx').on(t.practiceId, t.type, t.at),
  ],
);

/** Fingerprints of the keys kept outside the database, so a wrong key is refused at boot. */
export const instanceKeys = pgTable('instance_keys', {
  purpose: text('purpose').primaryKey(),
  fingerprint: text('fingerprint').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});
