// The per-request email thread (issue 5; rules REL-2, SEC-5). A thread message (schema.ts) is the
// durable record of what was said; these tables say how it travelled by email:
// - mail_thread_addresses: each thread's reply address records+<token>@<domain> (token unguessable);
// - outbound_emails: one email per thread message, with its stable Message-ID, its recipients, its
//   delivery state (outbox without SMTP, queued, retrying, sent with the server's acceptance, failed);
// - inbound_emails: every message received (built-in SMTP receiver or IMAP), kept whole (encrypted),
//   and where it went: a thread, the triage queue, or set aside as a loop/bounce/duplicate;
// - mail_cursors: how far the IMAP poller has read a mailbox.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, id, inList, tstz } from './columns.js';
import { practices, requests, threadMessages, users } from './schema.js';

export const THREADS = ['internal', 'requester'] as const;
export type ThreadName = (typeof THREADS)[number];

/**
 * outbox: no SMTP configured, kept in the app; queued: the send job will run; retrying: the last try
 * failed and the job retries with backoff; sent: the server accepted it; failed: given up (reason kept);
 * no_recipients: nobody on the thread has an address.
 */
export const OUTBOUND_STATUSES = ['outbox', 'queued', 'retrying', 'sent', 'failed', 'no_recipients'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

/**
 * threaded: posted on its thread; triage: waiting for support (unknown sender, nothing matched);
 * attached / dismissed: triage resolved; loop: an auto-reply or bounce, kept but never posted;
 * duplicate: the same Message-ID again; malformed: not a parseable message (kept raw).
 */
export const INBOUND_STATUSES = [
  'threaded',
  'triage',
  'attached',
  'dismissed',
  'loop',
  'duplicate',
  'malformed',
] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

export const mailThreadAddresses = pgTable(
  'mail_thread_addresses',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    thread: text('thread').notNull(),
    /** 128 random bits, base32: the plus tag of the reply address. */
    token: text('token').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('mail_thread_addresses_token_key').on(t.token),
    uniqueIndex('mail_thread_addresses_thread_key').on(t.requestId, t.thread),
    check('mail_thread_addresses_thread_check', inList('thread', THREADS)),
  ],
);

export interface AttachmentOutcome {
  name: string;
  contentType: string;
  size: number;
  /** The request's file it became, or why it was refused (told to the sender). */
  fileId: string | null;
  refused: string | null;
}

export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** The thread message this email carries (one email per message); null for a refusal notice. */
    threadMessageId: uuid('thread_message_id').references(() => threadMessages.id),
    /** For an automatic answer to an inbound email (refused attachments). */
    inboundEmailId: uuid('inbound_email_id'),
    thread: text('thread').notNull(),
    /** The thread message's kind (instructions, message, secure_link…) or 'attachment_refused'. */
    kind: text('kind').notNull(),
    /** Stable across retries: a receiver can drop a duplicate. "<uuid@domain>". */
    messageId: text('message_id').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    replyTo: text('reply_to').notNull(),
    recipients: text('recipients').array().notNull(),
    subject: text('subject').notNull(),
    /**
     * rule SEC-4, SEC-5: the body (text and HTML, as JSON) sealed with a key derived from the master
     * key, AAD `outbound:<id>` (mail/outbox-body.ts): the requester's emails carry status-link tokens,
     * portal and secure-link codes, link URLs, and an instructions email may carry health information.
     * Every row written since migration 0015 has it; older rows are sealed at boot.
     */
    bodySealed: bytea('body_sealed'),
    /** Only on rows written before 0015 and not yet sealed at boot; null once sealed. */
    text: text('text'),
    html: text('html'),
    /** The body carries a code (secure_link_code): reading it in the outbox is audited. */
    carriesCode: boolean('carries_code').notNull().default(false),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: tstz('next_attempt_at'),
    /** What the SMTP server answered when it accepted the message. */
    accepted: text('accepted').array(),
    rejected: text('rejected').array(),
    serverResponse: text('server_response'),
    sentAt: tstz('sent_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbound_emails_message_key').on(t.threadMessageId),
    uniqueIndex('outbound_emails_message_id_key').on(t.messageId),
    index('outbound_emails_practice_status_idx').on(t.practiceId, t.status, t.createdAt),
    index('outbound_emails_request_idx').on(t.requestId),
    check('outbound_emails_status_check', inList('status', OUTBOUND_STATUSES)),
    check('outbound_emails_thread_check', inList('thread', THREADS)),
    // Sealed, or (written before 0015) plain until boot seals it: never both, never neither.
    check(
      'outbound_emails_body_check',
      sql`(body_sealed is not null and text is null and html is null) or (body_sealed is null and text is not null and html is not null)`,
    ),
  ],
);

export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: id(),
    /** Null only when nothing tells which practice it was for (several practices, no match). */
    practiceId: uuid('practice_id').references(() => practices.id),
    requestId: uuid('request_id').references(() => requests.id),
    thread: text('thread'),
    /** 'smtp' (the built-in receiver) or 'imap' (the polled mailbox). */
    via: text('via').notNull(),
    /** The Message-ID header, or null when the message had none. */
    messageId: text('message_id'),
    /** Message-ID, or a hash of the raw message: the same message twice is stored once as threaded. */
    dedupeKey: text('dedupe_key').notNull(),
    inReplyTo: text('in_reply_to'),
    references: text('references').array().notNull().default(sql`'{}'::text[]`),
    fromAddress: text('from_address'),
    fromName: text('from_name'),
    recipients: text('recipients').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject').notNull().default(''),
    /** How it was matched: token, in_reply_to, references, subject; or null. */
    matchedBy: text('matched_by'),
    status: text('status').notNull(),
    /** Why it waits in triage or was set aside ("not a participant of the thread", "auto-reply"). */
    reason: text('reason'),
    /** The whole message as received, sealed with a key derived from the master key (SEC-4). */
    rawSealed: bytea('raw_sealed'),
    rawSize: integer('raw_size').notNull(),
    attachments: jsonb('attachments').$type<AttachmentOutcome[]>().notNull().default([]),
    threadMessageId: uuid('thread_message_id').references(() => threadMessages.id),
    resolvedBy: uuid('resolved_by').references(() => users.id),
    resolvedAt: tstz('resolved_at'),
    receivedAt: tstz('received_at').notNull(),
  },
  (t) => [
    index('inbound_emails_practice_status_idx').on(t.practiceId, t.status, t.receivedAt),
    index('inbound_emails_dedupe_idx').on(t.dedupeKey),
    index('inbound_emails_request_idx').on(t.requestId),
    check('inbound_emails_status_check', inList('status', INBOUND_STATUSES)),
    check('inbound_emails_via_check', sql`via in ('smtp', 'imap')`),
  ],
);

export const mailCursors = pgTable('mail_cursors', {
  /** "imap:<user>@<host>/<mailbox>" (no password). */
  name: text('name').primaryKey(),
  uidValidity: bigint('uid_validity', { mode: 'number' }).notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/**
 * One row (written by the migration): thread messages from this moment on are emailed; those written
 * before email existed are not sent on upgrade.
 */
export const mailState = pgTable('mail_state', {
  id: integer('id').primaryKey().default(1),
  dispatchSince: tstz('dispatch_since').notNull().defaultNow(),
});
