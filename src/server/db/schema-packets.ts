// Packets and their delivery (issue 6; rules REL-2, REL-5, SCOPE-1, PART2-1, AUTH-5). A packet is
// what leaves the practice: a cover letter and the approved records, stamped on every page, stored
// as an encrypted file. Once released it never changes (a trigger, migration 0005): a change makes
// a new version with a new hash. A delivery link is the secure way to it: only hashes of its token
// and codes are stored.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { SECOND_CHANNELS } from '../../shared/schemas/request-extras.js';
import { id, inList, tstz } from './columns.js';
import { files, practices, requests, users } from './schema.js';
import { authorizations } from './schema-rules.js';

/** queued (the job will assemble it), ready, blocked (SCOPE-1 or a bad source: `problem` says why), superseded, released. */
export const PACKET_STATUSES = ['queued', 'ready', 'blocked', 'superseded', 'released'] as const;
export type PacketStatus = (typeof PACKET_STATUSES)[number];

/** The second channel a third-party recipient must pass besides the emailed code (REL-2). */
export { SECOND_CHANNELS, type SecondChannel } from '../../shared/schemas/request-extras.js';

export const packets = pgTable(
  'packets',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** 1, 2, 3… per request: any change is a new version (REL-5). */
    version: integer('version').notNull(),
    status: text('status').notNull().default('queued'),
    /** The record files (purpose 'record') in the order they appear after the cover letter. */
    sourceFileIds: uuid('source_file_ids').array().notNull(),
    /** The assembled PDF (a file of purpose 'packet'), its SHA-256 and page count, once ready. */
    fileId: uuid('file_id').references(() => files.id),
    sha256: text('sha256'),
    pageCount: integer('page_count'),
    size: integer('size'),
    /** PART2-1: Part 2 material is included, so the 42 CFR 2.32 notice is in the packet. */
    part2: boolean('part2').notNull().default(false),
    /** Why assembly was blocked (SCOPE-1: naming the document) or failed on a source. */
    problem: text('problem'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: tstz('requested_at').notNull(),
    assembledAt: tstz('assembled_at'),
    releasedAt: tstz('released_at'),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('packets_request_version_key').on(t.requestId, t.version),
    index('packets_practice_idx').on(t.practiceId),
    check('packets_status_check', inList('status', PACKET_STATUSES)),
    check(
      'packets_ready_check',
      sql`status not in ('ready', 'released') or (file_id is not null and sha256 is not null and page_count is not null)`,
    ),
  ],
);

export const deliveryLinks = pgTable(
  'delivery_links',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    packetId: uuid('packet_id')
      .notNull()
      .references(() => packets.id),
    /** SHA-256 of the 256-bit random token in the link; the token itself is never stored (REL-2). */
    tokenHash: text('token_hash').notNull(),
    recipientName: text('recipient_name').notNull(),
    recipientEmail: text('recipient_email').notNull(),
    secondChannel: text('second_channel').notNull(),
    /** Hashes (HMAC with a key derived from the master key) of the emailed code and the phone code. */
    codeHash: text('code_hash').notNull(),
    phoneCodeHash: text('phone_code_hash'),
    /** Wrong codes in a row; at the limit the link locks. */
    attempts: integer('attempts').notNull().default(0),
    lockedAt: tstz('locked_at'),
    /** After the codes are confirmed: a short-lived download grant (hashed), one at a time. */
    grantHash: text('grant_hash'),
    grantExpiresAt: tstz('grant_expires_at'),
    expiresAt: tstz('expires_at').notNull(),
    maxDownloads: integer('max_downloads').notNull().default(5),
    downloads: integer('downloads').notNull().default(0),
    revokedAt: tstz('revoked_at'),
    /** Null when Release Desk revoked it (AUTH-5, a superseded packet). */
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokeReason: text('revoke_reason'),
    /** The authorization the release relies on (AUTH-5: its revocation disables the link). */
    authorizationId: uuid('authorization_id').references(() => authorizations.id),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('delivery_links_token_key').on(t.tokenHash),
    index('delivery_links_request_idx').on(t.requestId),
    index('delivery_links_authorization_idx').on(t.authorizationId),
    check('delivery_links_channel_check', inList('second_channel', SECOND_CHANNELS)),
    check('delivery_links_downloads_check', sql`downloads >= 0 and downloads <= max_downloads`),
    check('delivery_links_max_check', sql`max_downloads between 1 and 20`),
    check('delivery_links_phone_check', sql`(second_channel = 'phone_code') = (phone_code_hash is not null)`),
  ],
);
