// The requester's access to the portal (issue 7; rules REL-2, SEC-4, SEC-5): a status link in every
// requester email (a 256-bit random token; only its SHA-256 is stored), the 6-digit code emailed when
// the link is opened (an HMAC under a key derived from the master key, never the code), and the
// portal session a right code makes (its cookie's token stored as SHA-256 only), bound to one request
// and one requester address.
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, tstz } from './columns.js';
import { practices, requests } from './schema.js';

export const portalLinks = pgTable(
  'portal_links',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    /** SHA-256 of the token in the link (never the token). */
    tokenHash: text('token_hash').notNull(),
    /** The address the link was emailed to: the code goes there and nowhere else. */
    email: text('email').notNull(),
    createdAt: tstz('created_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    /** The latest emailed code (HMAC), when it was sent and until when it is good. */
    codeHash: text('code_hash'),
    codeSentAt: tstz('code_sent_at'),
    codeExpiresAt: tstz('code_expires_at'),
    /** Codes sent in the current window (rate limit) and when that window started. */
    codesSent: integer('codes_sent').notNull().default(0),
    codeWindowStart: tstz('code_window_start'),
    /** Wrong codes in a row; at the limit the link locks (a new email brings a new link). */
    attempts: integer('attempts').notNull().default(0),
    lockedAt: tstz('locked_at'),
  },
  (t) => [
    uniqueIndex('portal_links_token_hash_idx').on(t.tokenHash),
    index('portal_links_request_idx').on(t.requestId),
    check('portal_links_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

export const portalSessions = pgTable(
  'portal_sessions',
  {
    /** SHA-256 of the cookie's token. */
    tokenHash: text('token_hash').primaryKey(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    linkId: uuid('link_id')
      .notNull()
      .references(() => portalLinks.id),
    email: text('email').notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: tstz('created_at').notNull(),
    lastSeenAt: tstz('last_seen_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('portal_sessions_request_idx').on(t.requestId)],
);
