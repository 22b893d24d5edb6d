// The public request form at /request (issue 7): the emailed verification codes (stored as an HMAC
// only) and the proof-of-work challenges already spent (a challenge is good once). A submission
// itself becomes an ordinary request (channel 'portal'); nothing else is kept here.

import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, tstz } from './columns.js';
import { practices, requests } from './schema.js';

export const portalIntakeCodes = pgTable(
  'portal_intake_codes',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    /** HMAC of the lower-cased address: the rate limit and the lookup, without keeping the address. */
    emailHash: text('email_hash').notNull(),
    /** HMAC of the 6-digit code, bound to this row (never the code). */
    codeHash: text('code_hash').notNull(),
    ip: text('ip'),
    createdAt: tstz('created_at').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    /** Wrong codes (and unmatched submissions) counted against this code; locked at the limit. */
    attempts: integer('attempts').notNull().default(0),
    lockedAt: tstz('locked_at'),
    usedAt: tstz('used_at'),
    /** The request the code was spent on. */
    requestId: uuid('request_id').references(() => requests.id),
  },
  (t) => [
    index('portal_intake_codes_email_idx').on(t.practiceId, t.emailHash, t.createdAt),
    index('portal_intake_codes_ip_idx').on(t.ip, t.createdAt),
    check('portal_intake_codes_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

export const portalIntakeSpentChallenges = pgTable('portal_intake_spent_challenges', {
  /** The challenge's random id (from its signed payload). */
  id: text('id').primaryKey(),
  spentAt: tstz('spent_at').notNull(),
  /** After this the challenge is refused as expired anyway; the row may then be pruned. */
  expiresAt: tstz('expires_at').notNull(),
});
