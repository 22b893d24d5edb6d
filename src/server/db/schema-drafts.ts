// Prepared documents (issue 6, procedure step 4, the supervisor's Task #2): the letters and reports a
// therapist writes from the practice's templates, and the preparation notes for a verbal discussion.
// - drafts: one document on a request (its kind and the template it started from);
// - draft_versions: each saved version, its title and body sealed (AES-256-GCM, associated data
//   `draft_version:<id>`), its author and time; once submitted its words never change, and the
//   supervisor's decision (changes asked, or approved) is recorded on it. An approved letter or
//   report is rendered with the letterhead and stored as a file (`file_id`); a later version
//   supersedes it (`superseded_at`), and a superseded rendering never goes into a packet;
// - draft_comments: the supervisor's comments and reasons for changes, sealed the same way.
// Hand-written SQL in the migration keeps versions and comments (no DELETE) and a decided version's
// decision unchangeable.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DRAFT_COMMENT_KINDS, DRAFT_KINDS, DRAFT_VERSION_STATES } from '../../shared/schemas/drafts.js';
import { bytea, id, inList, tstz } from './columns.js';
import { files, practices, requests, users } from './schema.js';

export const drafts = pgTable(
  'drafts',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    kind: text('kind').notNull(),
    /** The built-in template it started from (drafts/templates.ts). */
    template: text('template').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('drafts_request_idx').on(t.requestId),
    check('drafts_kind_check', inList('kind', DRAFT_KINDS)),
  ],
);

export const draftVersions = pgTable(
  'draft_versions',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    draftId: uuid('draft_id')
      .notNull()
      .references(() => drafts.id),
    /** 1, 2, 3… per draft. */
    number: integer('number').notNull(),
    /** JSON { title, body } sealed with the 'draft-content' key, associated data `draft_version:<id>`. */
    contentSealed: bytea('content_sealed').notNull(),
    state: text('state').notNull().default('draft'),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
    submittedAt: tstz('submitted_at'),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: tstz('decided_at'),
    /** The approved letter or report, rendered with the letterhead (a 'record' file of the request). */
    fileId: uuid('file_id').references(() => files.id),
    /** A later version was saved: this one is no longer the draft's current version. */
    supersededAt: tstz('superseded_at'),
  },
  (t) => [
    uniqueIndex('draft_versions_number_key').on(t.draftId, t.number),
    index('draft_versions_request_idx').on(t.requestId),
    index('draft_versions_file_idx').on(t.fileId),
    check('draft_versions_state_check', inList('state', DRAFT_VERSION_STATES)),
    check(
      'draft_versions_decided_check',
      sql`state not in ('approved', 'changes_requested') or (decided_by is not null and decided_at is not null)`,
    ),
  ],
);

export const draftComments = pgTable(
  'draft_comments',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    requestId: uuid('request_id')
      .notNull()
      .references(() => requests.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => draftVersions.id),
    kind: text('kind').notNull().default('comment'),
    /** The words, sealed with the 'draft-content' key, associated data `draft_comment:<id>`. */
    bodySealed: bytea('body_sealed').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('draft_comments_version_idx').on(t.versionId),
    check('draft_comments_kind_check', inList('kind', DRAFT_COMMENT_KINDS)),
  ],
);

/**
 * The practice's own templates, added and edited by an admin beside the built-in ones: words with
 * {{placeholders}} for the request's facts (never health information themselves, so not sealed).
 * A template is never deleted (documents name it); `active` false hides it from new documents.
 */
export const draftTemplates = pgTable(
  'draft_templates',
  {
    id: id(),
    practiceId: uuid('practice_id')
      .notNull()
      .references(() => practices.id),
    kind: text('kind').notNull(),
    label: text('label').notNull(),
    description: text('description').notNull().default(''),
    title: text('title').notNull(),
    body: text('body').notNull(),
    active: boolean('active').notNull().default(true),
    updatedBy: uuid('updated_by')
      .notNull()
      .references(() => users.id),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('draft_templates_practice_idx').on(t.practiceId),
    check('draft_templates_kind_check', inList('kind', DRAFT_KINDS)),
  ],
);
