// Prepared documents (issue 6, procedure step 4): the letters and reports a therapist writes from the
// practice's templates, and the preparation notes for a verbal discussion, each with versions and
// the supervisor's review. Bodies of the routes and the shapes they answer, shared with the web app.
import { z } from 'zod';

export const DRAFT_KINDS = ['letter', 'report', 'verbal_notes'] as const;
export type DraftKind = (typeof DRAFT_KINDS)[number];

export const DRAFT_KIND_LABELS: Readonly<Record<DraftKind, string>> = {
  letter: 'Letter',
  report: 'Report',
  verbal_notes: 'Notes for a verbal discussion',
};

/**
 * draft: saved, still the preparer's; submitted: with the supervisor (its words never change from
 * here on); changes_requested: the supervisor asked for changes (a new version answers them);
 * approved: the supervisor approved it (a letter or report is rendered with the letterhead).
 */
export const DRAFT_VERSION_STATES = ['draft', 'submitted', 'changes_requested', 'approved'] as const;
export type DraftVersionState = (typeof DRAFT_VERSION_STATES)[number];

export const DRAFT_VERSION_STATE_LABELS: Readonly<Record<DraftVersionState, string>> = {
  draft: 'Not sent yet',
  submitted: 'Waiting for the supervisor',
  changes_requested: 'Changes asked for',
  approved: 'Approved',
};

/** The practice's built-in templates (server: drafts/templates.ts holds their words). */
export const DRAFT_TEMPLATES = [
  'treatment_summary',
  'court_letter',
  'school_letter',
  'employer_letter',
  'verbal_discussion_notes',
] as const;
export type DraftTemplateKey = (typeof DRAFT_TEMPLATES)[number];

export const DRAFT_COMMENT_KINDS = ['comment', 'changes_requested'] as const;
export type DraftCommentKind = (typeof DRAFT_COMMENT_KINDS)[number];

export const DRAFT_ABILITIES = ['create_draft', 'write_version', 'submit_version', 'review_version'] as const;
export type DraftAbility = (typeof DRAFT_ABILITIES)[number];

const text = (max: number) => z.string().trim().min(1, 'Required.').max(max);

export const MAX_DRAFT_TITLE = 200;
export const MAX_DRAFT_BODY = 20_000;

/** A built-in template's key, or the id of one of the practice's own templates. */
export const templateKeySchema = z.union([z.enum(DRAFT_TEMPLATES), z.uuid()], {
  error: 'Choose one of the templates offered.',
});

/** Start a document from a template; the recipient and purpose default to the request's. */
export const createDraftSchema = z.object({
  template: templateKeySchema,
  recipient: text(300).nullish(),
  purpose: text(1000).nullish(),
});

/** Save a new version: its title and body (blank lines separate paragraphs). */
export const saveDraftVersionSchema = z.object({
  title: text(MAX_DRAFT_TITLE),
  body: text(MAX_DRAFT_BODY),
});

export const draftCommentSchema = z.object({ body: text(4000) });

export const draftChangesSchema = z.object({ reason: text(4000) });

export const draftApproveSchema = z.object({ comment: z.string().trim().max(4000).nullish() });

const person = z.object({ id: z.uuid(), name: z.string() });

export const draftCommentView = z.object({
  id: z.uuid(),
  kind: z.enum(DRAFT_COMMENT_KINDS),
  body: z.string(),
  author: person,
  createdAt: z.iso.datetime(),
});

export const draftVersionView = z.object({
  id: z.uuid(),
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  state: z.enum(DRAFT_VERSION_STATES),
  author: person,
  createdAt: z.iso.datetime(),
  submittedAt: z.iso.datetime().nullable(),
  decidedBy: person.nullable(),
  decidedAt: z.iso.datetime().nullable(),
  /** The approved letter or report as a PDF with the letterhead (a file of the request). */
  fileId: z.uuid().nullable(),
  superseded: z.boolean(),
  comments: z.array(draftCommentView),
});

export const draftView = z.object({
  id: z.uuid(),
  requestId: z.uuid(),
  kind: z.enum(DRAFT_KINDS),
  /** A built-in template's key or the id of the practice's own template. */
  template: z.string(),
  templateLabel: z.string(),
  createdBy: person,
  createdAt: z.iso.datetime(),
  /** Newest first. */
  versions: z.array(draftVersionView),
});

export const draftTemplateView = z.object({
  key: z.string(),
  /** Shipped with Release Desk, or the practice's own (an admin's). */
  builtIn: z.boolean(),
  kind: z.enum(DRAFT_KINDS),
  label: z.string(),
  description: z.string(),
});

export const draftsListView = z.object({
  drafts: z.array(draftView),
  /** The templates this request's documents may start from (by its deliverable). */
  templates: z.array(draftTemplateView),
  abilities: z.array(z.enum(DRAFT_ABILITIES)),
  /** What the request-level approval still waits for, in plain words (empty when nothing). */
  outstanding: z.array(z.string()),
});

/**
 * The facts a practice's own template may name, as {{placeholder}}: the request's, filled in when a
 * document is started. Anything else is refused (a 400 naming it).
 */
export const DRAFT_TEMPLATE_PLACEHOLDERS = [
  'client',
  'dateOfBirth',
  'recipient',
  'purpose',
  'datesOfService',
  'records',
  'therapist',
  'practice',
] as const;
export type DraftTemplatePlaceholder = (typeof DRAFT_TEMPLATE_PLACEHOLDERS)[number];

/** An admin adds or edits one of the practice's own templates. */
export const practiceTemplateSchema = z.object({
  kind: z.enum(DRAFT_KINDS),
  label: text(100),
  description: z.string().trim().max(300).default(''),
  title: text(MAX_DRAFT_TITLE),
  body: text(MAX_DRAFT_BODY),
  /** false: no new document starts from it (those that did keep its name). */
  active: z.boolean().default(true),
});

export const practiceTemplateView = z.object({
  id: z.uuid(),
  kind: z.enum(DRAFT_KINDS),
  label: z.string(),
  description: z.string(),
  title: z.string(),
  body: z.string(),
  active: z.boolean(),
  updatedBy: person,
  updatedAt: z.iso.datetime(),
});

export type PracticeTemplateView = z.infer<typeof practiceTemplateView>;
export type DraftView = z.infer<typeof draftView>;
export type DraftVersionView = z.infer<typeof draftVersionView>;
export type DraftCommentView = z.infer<typeof draftCommentView>;
export type DraftTemplateView = z.infer<typeof draftTemplateView>;
export type DraftsListView = z.infer<typeof draftsListView>;
