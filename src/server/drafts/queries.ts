// Reads of a request's prepared documents, and how they are shown. Every read starts from the
// request loaded through the scoped query (visible-requests.ts), so a document of a request the
// caller may not see is simply not found (404).
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { RequestKind } from '../../shared/request-kinds.js';
import {
  DRAFT_KIND_LABELS,
  type DraftCommentKind,
  type DraftKind,
  type DraftVersionState,
  type DraftView,
} from '../../shared/schemas/drafts.js';
import { resolveOwner } from '../commands/support/tasks.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { draftComments, drafts, draftVersions } from '../db/schema-drafts.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { ReviewerFact } from '../policies/drafts.js';
import { findVisibleRequest, type LoadedRequest, type RequestRow } from '../queries/visible-requests.js';
import { templateLabels } from './practice-templates.js';
import { openComment, openVersion } from './seal.js';

export type DraftRow = typeof drafts.$inferSelect;
export type VersionRow = typeof draftVersions.$inferSelect;

export interface DraftContext {
  loaded: LoadedRequest;
  /** The therapist's supervisor, as the workflow resolves the owner of `prepared_review`. */
  reviewer: ReviewerFact;
}

/** Load the request (scoped; locked with `forUpdate`) and who reviews its prepared documents. */
export async function loadDraftContext(
  ctx: Ctx,
  requestId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<DraftContext> {
  const loaded = await findVisibleRequest(ctx, requestId, opts);
  const { row } = loaded;
  const reviewer = await resolveOwner(
    ctx.tx,
    { ...row, kind: row.kind as RequestKind },
    { kind: 'therapist_supervisor' },
  );
  return { loaded, reviewer };
}

/** Letters and notes are written and reviewed while the records are prepared (procedure step 4). */
export function assertPreparationStage(row: RequestRow): void {
  if (row.stage !== 'preparation') {
    throw new ConflictError(
      'Letters, reports and notes are written and reviewed while the records are being prepared (procedure step 4). This request is past that step or not there yet.',
      { requestId: row.id, stage: row.stage },
    );
  }
}

export async function draftsOf(ctx: Ctx, row: Pick<RequestRow, 'id' | 'practiceId'>): Promise<DraftRow[]> {
  return ctx.tx
    .select()
    .from(drafts)
    .where(and(eq(drafts.requestId, row.id), eq(drafts.practiceId, row.practiceId)))
    .orderBy(asc(drafts.createdAt), asc(drafts.id));
}

export async function versionsOf(
  ctx: Ctx,
  row: Pick<RequestRow, 'id' | 'practiceId'>,
): Promise<VersionRow[]> {
  return ctx.tx
    .select()
    .from(draftVersions)
    .where(and(eq(draftVersions.requestId, row.id), eq(draftVersions.practiceId, row.practiceId)))
    .orderBy(desc(draftVersions.number));
}

/** A document of this request, or 404. */
export async function draftOf(ctx: Ctx, row: RequestRow, draftId: string): Promise<DraftRow> {
  const [d] = await ctx.tx
    .select()
    .from(drafts)
    .where(and(eq(drafts.id, draftId), eq(drafts.requestId, row.id), eq(drafts.practiceId, row.practiceId)));
  if (!d) throw new NotFoundError('letter or notes', { requestId: row.id, draftId });
  return d;
}

/** A version of this document (locked with `forUpdate`), and whether it is the latest; or 404. */
export async function versionOf(
  ctx: Ctx,
  draft: DraftRow,
  versionId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<{ version: VersionRow; latest: VersionRow }> {
  const base = ctx.tx
    .select()
    .from(draftVersions)
    .where(and(eq(draftVersions.draftId, draft.id), eq(draftVersions.practiceId, draft.practiceId)))
    .orderBy(desc(draftVersions.number));
  const all = opts.forUpdate ? await base.for('update') : await base;
  const version = all.find((v) => v.id === versionId);
  if (!version) throw new NotFoundError('version', { requestId: draft.requestId, versionId });
  return { version, latest: all[0]! };
}

/** Every document of the request with its versions (newest first) and comments, the words opened. */
export async function presentDrafts(ctx: Ctx, row: RequestRow): Promise<DraftView[]> {
  const rows = await draftsOf(ctx, row);
  if (rows.length === 0) return [];
  const versions = await versionsOf(ctx, row);
  const comments = await ctx.tx
    .select()
    .from(draftComments)
    .where(and(eq(draftComments.requestId, row.id), eq(draftComments.practiceId, row.practiceId)))
    .orderBy(asc(draftComments.createdAt), asc(draftComments.id));
  const ids = [
    ...new Set([
      ...rows.map((d) => d.createdBy),
      ...versions.flatMap((v) => [v.authorId, v.decidedBy]),
      ...comments.map((c) => c.authorId),
    ]),
  ].filter((x): x is string => !!x);
  const names = new Map(
    (await ctx.tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids))).map(
      (u) => [u.id, u.name],
    ),
  );
  const person = (id: string) => ({ id, name: names.get(id) ?? 'Unknown' });
  const labels = await templateLabels(ctx, row.practiceId);
  return rows.map((d) => ({
    id: d.id,
    requestId: d.requestId,
    kind: d.kind as DraftKind,
    template: d.template,
    templateLabel: labels.get(d.template) ?? DRAFT_KIND_LABELS[d.kind as DraftKind],
    createdBy: person(d.createdBy),
    createdAt: d.createdAt.toISOString(),
    versions: versions
      .filter((v) => v.draftId === d.id)
      .map((v) => {
        const words = openVersion(ctx, v.id, v.contentSealed);
        return {
          id: v.id,
          number: v.number,
          title: words.title,
          body: words.body,
          state: v.state as DraftVersionState,
          author: person(v.authorId),
          createdAt: v.createdAt.toISOString(),
          submittedAt: v.submittedAt?.toISOString() ?? null,
          decidedBy: v.decidedBy ? person(v.decidedBy) : null,
          decidedAt: v.decidedAt?.toISOString() ?? null,
          fileId: v.fileId,
          superseded: v.supersededAt !== null,
          comments: comments
            .filter((c) => c.versionId === v.id)
            .map((c) => ({
              id: c.id,
              kind: c.kind as DraftCommentKind,
              body: openComment(ctx, c.id, c.bodySealed),
              author: person(c.authorId),
              createdAt: c.createdAt.toISOString(),
            })),
        };
      }),
  }));
}
