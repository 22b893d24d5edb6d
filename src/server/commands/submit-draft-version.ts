// Send a version to the supervisor (procedure step 4, the supervisor's Task #2): load and lock the
// request (scoped: 404) -> the preparer only (403) -> while the records are prepared (409) -> only
// the latest version, only once (409) -> from here on its words never change -> audited.
import { eq } from 'drizzle-orm';
import type { DraftView } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { draftVersions } from '../db/schema-drafts.js';
import { enforceFileDecision } from '../documents/storage.js';
import {
  assertPreparationStage,
  draftOf,
  loadDraftContext,
  presentDrafts,
  versionOf,
} from '../drafts/queries.js';
import { ConflictError } from '../errors.js';
import { decideDraftWrite } from '../policies/drafts.js';

export async function submitDraftVersion(
  ctx: Ctx,
  requestId: string,
  draftId: string,
  versionId: string,
): Promise<DraftView> {
  const { loaded } = await loadDraftContext(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  enforceFileDecision(decideDraftWrite(ctx.actor!, loaded.facts), row.id);
  const draft = await draftOf(ctx, row, draftId);
  const { version, latest } = await versionOf(ctx, draft, versionId, { forUpdate: true });
  assertPreparationStage(row);
  if (version.id !== latest.id) {
    throw new ConflictError(
      `Version ${version.number} was replaced by version ${latest.number}: send the latest version.`,
      { requestId: row.id, versionId },
    );
  }
  if (version.state !== 'draft') {
    throw new ConflictError(`Version ${version.number} was already sent to the supervisor.`, {
      requestId: row.id,
      versionId,
      state: version.state,
    });
  }
  await ctx.tx
    .update(draftVersions)
    .set({ state: 'submitted', submittedAt: ctx.now })
    .where(eq(draftVersions.id, version.id));
  record(ctx, {
    type: 'draft.version_submitted',
    requestId: row.id,
    clientId: row.clientId,
    data: { draftId: draft.id, kind: draft.kind, versionId: version.id, number: version.number },
  });
  return (await presentDrafts(ctx, row)).find((d) => d.id === draft.id)!;
}
