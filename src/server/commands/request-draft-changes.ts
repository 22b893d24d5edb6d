// The supervisor asks for changes to a version (procedure step 4, the supervisor's Task #2): the
// reason is kept as a sealed comment on the version, the version is marked "changes asked for", and
// the preparer answers with a new version. Audited (never the reason's words), one transaction.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DraftView, draftChangesSchema } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { draftComments, draftVersions } from '../db/schema-drafts.js';
import { presentDrafts } from '../drafts/queries.js';
import { loadDecisionTarget } from '../drafts/review.js';
import { sealComment } from '../drafts/seal.js';

export async function requestDraftChanges(
  ctx: Ctx,
  requestId: string,
  draftId: string,
  versionId: string,
  input: z.infer<typeof draftChangesSchema>,
): Promise<DraftView> {
  const { loaded, draft, version } = await loadDecisionTarget(ctx, requestId, draftId, versionId);
  const { row } = loaded;
  await ctx.tx
    .update(draftVersions)
    .set({ state: 'changes_requested', decidedBy: ctx.actor!.id, decidedAt: ctx.now })
    .where(eq(draftVersions.id, version.id));
  const id = randomUUID();
  await ctx.tx.insert(draftComments).values({
    id,
    practiceId: row.practiceId,
    requestId: row.id,
    versionId: version.id,
    kind: 'changes_requested',
    bodySealed: sealComment(ctx, id, input.reason),
    authorId: ctx.actor!.id,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'draft.changes_requested',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      draftId: draft.id,
      kind: draft.kind,
      versionId: version.id,
      number: version.number,
      commentId: id,
    },
  });
  return (await presentDrafts(ctx, row)).find((d) => d.id === draft.id)!;
}
