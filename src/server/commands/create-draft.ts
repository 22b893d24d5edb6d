// Start a letter, report or verbal-discussion notes from one of the practice's templates (issue 6,
// procedure step 4): load and lock the request (scoped: 404) -> the preparer only (403) -> while
// the records are prepared (409) -> the template must serve the request's deliverable (409) ->
// version 1 with the fields filled from the request, sealed -> audited, one transaction.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Deliverable } from '../../shared/request-kinds.js';
import type { createDraftSchema, DraftView } from '../../shared/schemas/drafts.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { drafts, draftVersions } from '../db/schema-drafts.js';
import { enforceFileDecision } from '../documents/storage.js';
import { templateFacts } from '../drafts/facts.js';
import { resolveTemplate } from '../drafts/practice-templates.js';
import { assertPreparationStage, loadDraftContext, presentDrafts } from '../drafts/queries.js';
import { sealVersion } from '../drafts/seal.js';
import { ConflictError } from '../errors.js';
import { decideDraftWrite } from '../policies/drafts.js';

export async function createDraft(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof createDraftSchema>,
): Promise<DraftView> {
  const { loaded } = await loadDraftContext(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  enforceFileDecision(decideDraftWrite(ctx.actor!, loaded.facts), row.id);
  assertPreparationStage(row);
  const template = await resolveTemplate(ctx, row.practiceId, input.template);
  const deliverable = row.deliverable as Deliverable;
  if (!template.deliverables.includes(deliverable)) {
    throw new ConflictError(
      deliverable === 'verbal'
        ? 'This request is answered by a verbal discussion: prepare it with the notes for a verbal discussion, not a letter.'
        : 'Notes for a verbal discussion are for a request answered by a verbal discussion: this one is answered in writing, so start a letter or report.',
      { requestId: row.id, deliverable, template: input.template },
    );
  }
  const words = template.fill(await templateFacts(ctx, row, input));
  const [draft] = await ctx.tx
    .insert(drafts)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      kind: template.kind,
      template: input.template,
      createdBy: ctx.actor!.id,
      createdAt: ctx.now,
    })
    .returning();
  const versionId = randomUUID();
  await ctx.tx.insert(draftVersions).values({
    id: versionId,
    practiceId: row.practiceId,
    requestId: row.id,
    draftId: draft!.id,
    number: 1,
    contentSealed: sealVersion(ctx, versionId, { ...words, recipient: input.recipient ?? null }),
    state: 'draft',
    authorId: ctx.actor!.id,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'draft.created',
    requestId: row.id,
    clientId: row.clientId,
    data: { draftId: draft!.id, kind: template.kind, template: input.template, versionId, number: 1 },
  });
  return (await presentDrafts(ctx, row)).find((d) => d.id === draft!.id)!;
}
