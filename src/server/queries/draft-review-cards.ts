// The supervisor's "Letter to review" cards (issue 6, procedure step 4, the supervisor's Task #2):
// one card for each version of a letter, report or verbal-discussion notes sent for review and
// awaiting this caller's decision. Who reviews is decided exactly as the review itself decides it
// (policies/drafts.ts decideDraftReview: the therapist's supervisor as the workflow resolves them,
// never the version's author), so a card shows only where approving would be allowed. The card is
// gone once the version is approved or sent back (its state is no longer 'submitted'). Each request
// goes through the scoped loader (rule SEC-2).
import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { DraftKind } from '../../shared/schemas/drafts.js';
import { ACTIVE_TASK_STATES } from '../../shared/workflow-tasks.js';
import type { ResolvedOwner } from '../commands/support/tasks.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { drafts, draftVersions } from '../db/schema-drafts.js';
import { openVersion } from '../drafts/seal.js';
import { decideDraftReview } from '../policies/drafts.js';
import { presentTask, type RequestContext } from '../presenters/request.js';

/** The card's first words, by kind of document. */
export const REVIEW_CARD_LABELS: Readonly<Record<DraftKind, string>> = {
  letter: 'Letter to review',
  report: 'Report to review',
  verbal_notes: 'Notes to review',
};

export const DRAFT_REVIEW_TYPE = 'draft_review';

export interface ReviewCardDue {
  dueAt: string | null;
  due: string | null;
  daysLeft: number | null;
  overdue: boolean;
  paused: boolean;
}

export interface ReviewCard extends ReviewCardDue {
  /** The version's id (a card's key; the version is what is reviewed). */
  taskId: string;
  type: typeof DRAFT_REVIEW_TYPE;
  label: string;
  state: 'open';
  holder: 'me' | 'queue';
  queueRole: string | null;
  requestId: string;
  /** Who wrote the version (the supervisor's board names them). */
  authorId: string;
}

/** Ids of requests in the caller's practice with a version waiting for review (visibility checked after). */
export async function requestsAwaitingReview(ctx: Ctx, limit: number): Promise<string[]> {
  const rows = await ctx.tx
    .selectDistinct({ requestId: draftVersions.requestId })
    .from(draftVersions)
    .where(
      and(
        eq(draftVersions.practiceId, ctx.actor!.practiceId),
        eq(draftVersions.state, 'submitted'),
        // Nobody reviews what they wrote: their own versions never make a card.
        ne(draftVersions.authorId, ctx.actor!.id),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.requestId);
}

/** The preparation clock: the open preparation task's due date, when the request has one. */
function preparationDue(ctx: Ctx, context: RequestContext): ReviewCardDue {
  const task = context.tasks.find(
    (t) => t.type === 'preparation' && (ACTIVE_TASK_STATES as readonly string[]).includes(t.state),
  );
  if (!task) return { dueAt: null, due: null, daysLeft: null, overdue: false, paused: false };
  const shown = presentTask(ctx.actor!, context, task, ctx.now);
  return {
    dueAt: shown.dueAt,
    due: shown.due,
    daysLeft: shown.daysLeft,
    overdue: shown.overdue,
    paused: shown.state === 'waiting_on_requester',
  };
}

/**
 * Who reviews on each request, as resolveOwner's 'therapist_supervisor' decides it (the nearest
 * active supervisor above the therapist, else the privacy officer's queue; TIME-6), but from the
 * chains already in the facts and one query for who is active, not two queries per request
 * (issue 8). A supervisee has one supervisor, so the chain is what resolveOwner walks step by step.
 */
async function reviewersOf(
  ctx: Ctx,
  contexts: RequestContext[],
): Promise<(context: RequestContext) => ResolvedOwner> {
  const everyone = [...new Set(contexts.flatMap((c) => c.facts.supervisorChainOfTherapist))];
  const active = new Set(
    everyone.length === 0
      ? []
      : (
          await ctx.tx
            .select({ id: users.id })
            .from(users)
            .where(and(inArray(users.id, everyone), eq(users.active, true)))
        ).map((u) => u.id),
  );
  return (context) => {
    const nearest = context.facts.supervisorChainOfTherapist.find((id) => active.has(id));
    return nearest
      ? { assigneeId: nearest, assigneeRole: null }
      : { assigneeId: null, assigneeRole: 'privacy_officer' };
  };
}

/** The cards for versions on these (visible) requests that the caller may approve now. */
export async function reviewCards(ctx: Ctx, contexts: RequestContext[]): Promise<ReviewCard[]> {
  const actor = ctx.actor!;
  const inPreparation = contexts.filter((c) => c.row.stage === 'preparation');
  if (inPreparation.length === 0) return [];
  const versions = await ctx.tx
    .select({ version: draftVersions, kind: drafts.kind })
    .from(draftVersions)
    .innerJoin(drafts, eq(drafts.id, draftVersions.draftId))
    .where(
      and(
        eq(draftVersions.practiceId, actor.practiceId),
        inArray(
          draftVersions.requestId,
          inPreparation.map((c) => c.row.id),
        ),
      ),
    )
    .orderBy(desc(draftVersions.number));
  const reviewerOf = await reviewersOf(ctx, inPreparation);
  const out: ReviewCard[] = [];
  for (const context of inPreparation) {
    const { row } = context;
    const reviewer = reviewerOf(context);
    const latestOf = new Map<string, string>();
    for (const { version } of versions) {
      if (version.requestId === row.id && !latestOf.has(version.draftId))
        latestOf.set(version.draftId, version.id);
    }
    for (const { version, kind } of versions) {
      if (version.requestId !== row.id || version.state !== 'submitted') continue;
      if (latestOf.get(version.draftId) !== version.id) continue;
      if (!decideDraftReview(actor, context.facts, reviewer, version.authorId).allowed) continue;
      const { title } = openVersion(ctx, version.id, version.contentSealed);
      const queue = reviewer.assigneeId === null ? reviewer.assigneeRole : null;
      out.push({
        taskId: version.id,
        type: DRAFT_REVIEW_TYPE,
        label: `${REVIEW_CARD_LABELS[kind as DraftKind]}: ${title} (version ${version.number})`,
        state: 'open',
        holder: queue && reviewer.assigneeId !== actor.id ? 'queue' : 'me',
        queueRole: queue,
        requestId: row.id,
        authorId: version.authorId,
        ...preparationDue(ctx, context),
      });
    }
  }
  return out;
}
