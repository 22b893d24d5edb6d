// Save a new version of a letter, report or notes (procedure step 4): load and lock the request
// (scoped: 404) -> the preparer only (403) -> while the records are prepared (409) -> not while the
// latest version is with the supervisor (409) -> the next version, sealed; the one before it is
// superseded (its words never change: versions are only ever added) -> audited, one transaction.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { DraftView, saveDraftVersionSchema } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { draftVersions } from '../db/schema-drafts.js';
import { enforceFileDecision } from '../documents/storage.js';
import { assertPreparationStage, draftOf, loadDraftContext, presentDrafts } from '../drafts/queries.js';
import { openVersion, sealVersion } from '../drafts/seal.js';
import { ConflictError } from '../errors.js';
import { decideDraftWrite } from '../policies/drafts.js';

export async function saveDraftVersion(
  ctx: Ctx,
  requestId: string,
  draftId: string,
  input: z.infer<typeof saveDraftVersionSchema>,
): Promise<DraftView> {
  const { loaded } = await loadDraftContext(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  enforceFileDecision(decideDraftWrite(ctx.actor!, loaded.facts), row.id);
  const draft = await draftOf(ctx, row, draftId);
  assertPreparationStage(row);
  // The request row is locked: versions of its documents are added one at a time.
  const [last] = await ctx.tx
    .select({
      id: draftVersions.id,
      number: draftVersions.number,
      state: draftVersions.state,
      contentSealed: draftVersions.contentSealed,
    })
    .from(draftVersions)
    .where(eq(draftVersions.draftId, draft.id))
    .orderBy(desc(draftVersions.number))
    .limit(1);
  if (!last) throw new ConflictError('This document has no version to follow.', { requestId: row.id });
  if (last.state === 'submitted') {
    throw new ConflictError(
      `Version ${last.number} is with the supervisor: wait for their answer (approved, or changes asked for) before writing a new version.`,
      { requestId: row.id, draftId: draft.id },
    );
  }
  await ctx.tx
    .update(draftVersions)
    .set({ supersededAt: ctx.now })
    .where(and(eq(draftVersions.draftId, draft.id), isNull(draftVersions.supersededAt)));
  const id = randomUUID();
  const number = last.number + 1;
  await ctx.tx.insert(draftVersions).values({
    id,
    practiceId: row.practiceId,
    requestId: row.id,
    draftId: draft.id,
    number,
    // The letter stays addressed to whom it was started for.
    contentSealed: sealVersion(ctx, id, {
      ...input,
      recipient: openVersion(ctx, last.id, last.contentSealed).recipient ?? null,
    }),
    state: 'draft',
    authorId: ctx.actor!.id,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'draft.version_saved',
    requestId: row.id,
    clientId: row.clientId,
    data: { draftId: draft.id, kind: draft.kind, versionId: id, number },
  });
  return (await presentDrafts(ctx, row)).find((d) => d.id === draft.id)!;
}
