// The supervisor approves a version (procedure step 4, the supervisor's Task #2). A letter or report
// is rendered with the practice's letterhead and stored as a prepared record of the request in the
// same transaction, so the approval, its PDF and the audit event commit or vanish together; only
// this approved, current version can go in the packet (drafts/gate.ts). Notes for a verbal
// discussion are approved as words: the discussion itself is the release (record-release.ts).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { DraftView, draftApproveSchema } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { draftComments, draftVersions } from '../db/schema-drafts.js';
import { templateLabels } from '../drafts/practice-templates.js';
import { presentDrafts } from '../drafts/queries.js';
import { renderingName, storeApprovedRendering } from '../drafts/render.js';
import { loadDecisionTarget } from '../drafts/review.js';
import { openVersion, sealComment } from '../drafts/seal.js';

export async function approveDraftVersion(
  ctx: Ctx,
  requestId: string,
  draftId: string,
  versionId: string,
  input: z.infer<typeof draftApproveSchema>,
): Promise<DraftView> {
  const { loaded, draft, version } = await loadDecisionTarget(ctx, requestId, draftId, versionId);
  const { row } = loaded;
  let fileId: string | null = null;
  if (draft.kind === 'letter' || draft.kind === 'report') {
    const label = (await templateLabels(ctx, row.practiceId)).get(draft.template) ?? draft.kind;
    const file = await storeApprovedRendering(
      ctx,
      row,
      openVersion(ctx, version.id, version.contentSealed),
      renderingName(label, version.number, row.number),
    );
    fileId = file.id;
  }
  await ctx.tx
    .update(draftVersions)
    .set({ state: 'approved', decidedBy: ctx.actor!.id, decidedAt: ctx.now, fileId })
    .where(eq(draftVersions.id, version.id));
  if (input.comment) {
    const id = randomUUID();
    await ctx.tx.insert(draftComments).values({
      id,
      practiceId: row.practiceId,
      requestId: row.id,
      versionId: version.id,
      kind: 'comment',
      bodySealed: sealComment(ctx, id, input.comment),
      authorId: ctx.actor!.id,
      createdAt: ctx.now,
    });
  }
  record(ctx, {
    type: 'draft.version_approved',
    requestId: row.id,
    clientId: row.clientId,
    data: { draftId: draft.id, kind: draft.kind, versionId: version.id, number: version.number, fileId },
  });
  return (await presentDrafts(ctx, row)).find((d) => d.id === draft.id)!;
}
