// The supervisor comments on a version (procedure step 4, the supervisor's Task #2): load the
// request (scoped: 404) -> the therapist's supervisor, never the version's author (403) -> while the
// records are prepared (409) -> the comment, sealed -> audited (never its words).
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { DraftView, draftCommentSchema } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { draftComments } from '../db/schema-drafts.js';
import { enforceFileDecision } from '../documents/storage.js';
import {
  assertPreparationStage,
  draftOf,
  loadDraftContext,
  presentDrafts,
  versionOf,
} from '../drafts/queries.js';
import { sealComment } from '../drafts/seal.js';
import { decideDraftReview } from '../policies/drafts.js';

export async function commentDraftVersion(
  ctx: Ctx,
  requestId: string,
  draftId: string,
  versionId: string,
  input: z.infer<typeof draftCommentSchema>,
): Promise<DraftView> {
  const { loaded, reviewer } = await loadDraftContext(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  const draft = await draftOf(ctx, row, draftId);
  const { version } = await versionOf(ctx, draft, versionId);
  enforceFileDecision(decideDraftReview(ctx.actor!, loaded.facts, reviewer, version.authorId), row.id);
  assertPreparationStage(row);
  const id = randomUUID();
  await ctx.tx.insert(draftComments).values({
    id,
    practiceId: row.practiceId,
    requestId: row.id,
    versionId: version.id,
    kind: 'comment',
    bodySealed: sealComment(ctx, id, input.body),
    authorId: ctx.actor!.id,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'draft.commented',
    requestId: row.id,
    clientId: row.clientId,
    data: { draftId: draft.id, versionId: version.id, number: version.number, commentId: id },
  });
  return (await presentDrafts(ctx, row)).find((d) => d.id === draft.id)!;
}
