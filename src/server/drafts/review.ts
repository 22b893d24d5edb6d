// What approving a version and asking for changes share (procedure step 4, the supervisor's Task #2):
// load and lock the request (scoped: 404) -> the therapist's supervisor, never the version's author
// (403) -> while the records are prepared (409) -> only the latest version, sent and not yet decided
// (409). The two commands (commands/approve-draft-version.ts, request-draft-changes.ts) then record
// their decision.
import type { Ctx } from '../context.js';
import { enforceFileDecision } from '../documents/storage.js';
import { ConflictError } from '../errors.js';
import { decideDraftReview } from '../policies/drafts.js';
import type { LoadedRequest } from '../queries/visible-requests.js';
import {
  assertPreparationStage,
  type DraftRow,
  draftOf,
  loadDraftContext,
  type VersionRow,
  versionOf,
} from './queries.js';

export interface DecisionTarget {
  loaded: LoadedRequest;
  draft: DraftRow;
  version: VersionRow;
}

export async function loadDecisionTarget(
  ctx: Ctx,
  requestId: string,
  draftId: string,
  versionId: string,
): Promise<DecisionTarget> {
  const { loaded, reviewer } = await loadDraftContext(ctx, requestId, { forUpdate: true });
  const { row } = loaded;
  const draft = await draftOf(ctx, row, draftId);
  const { version, latest } = await versionOf(ctx, draft, versionId, { forUpdate: true });
  enforceFileDecision(decideDraftReview(ctx.actor!, loaded.facts, reviewer, version.authorId), row.id);
  assertPreparationStage(row);
  if (version.id !== latest.id) {
    throw new ConflictError(
      `Version ${version.number} was replaced by version ${latest.number}: review the latest version.`,
      { requestId: row.id, versionId },
    );
  }
  if (version.state !== 'submitted') {
    throw new ConflictError(
      version.state === 'draft'
        ? `Version ${version.number} has not been sent for review yet.`
        : `Version ${version.number} was already ${version.state === 'approved' ? 'approved' : 'sent back for changes'}.`,
      { requestId: row.id, versionId, state: version.state },
    );
  }
  return { loaded, draft, version };
}
