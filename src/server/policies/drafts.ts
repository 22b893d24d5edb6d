// Who may see, write and review a request's prepared documents: letters, reports and the notes for
// a verbal discussion (issue 6, procedure step 4; rule SEC-2). Pure functions over loaded facts
// (architecture.md, convention 2). The preparer is whoever holds the request's preparation task now
// (the therapist, or clinical services for copies); the reviewer is the therapist's supervisor, as
// the workflow resolves the `prepared_review` task's owner (commands/support/tasks.ts), or whoever
// holds that task now.
import type { DraftAbility } from '../../shared/schemas/drafts.js';
import { type Actor, holdsNow, type RequestFacts } from './facts.js';
import { canViewRequest } from './request.js';

export type DraftDecision = { allowed: true } | { allowed: false; status: 404 | 403; reason: string };

/** The therapist's supervisor as the workflow resolves them: a person, or a role's queue. */
export interface ReviewerFact {
  assigneeId: string | null;
  assigneeRole: string | null;
}

const ALLOWED: DraftDecision = { allowed: true };
const NOT_FOUND: DraftDecision = { allowed: false, status: 404, reason: 'Request not found.' };

export const WRITE_REFUSED =
  'Only the person preparing the records (who holds the preparation task) can write or send a letter, report or notes.';
export const REVIEW_REFUSED =
  'Only the therapist’s supervisor can comment on, approve or ask for changes to a letter, report or notes.';
export const OWN_VERSION_REFUSED =
  'A version is reviewed by someone other than its author: ask the therapist’s supervisor to review it.';

const preparesNow = (actor: Actor, facts: RequestFacts) =>
  facts.tasks.some((t) => t.type === 'preparation' && holdsNow(actor, t));

const reviewsIt = (actor: Actor, facts: RequestFacts, reviewer: ReviewerFact) =>
  facts.tasks.some((t) => t.type === 'prepared_review' && holdsNow(actor, t)) ||
  (reviewer.assigneeId !== null
    ? reviewer.assigneeId === actor.id
    : !!reviewer.assigneeRole && actor.roles.some((r) => r === reviewer.assigneeRole));

/** rule SEC-2: whoever may see the request may read its prepared documents (each read audited). */
export function decideDraftView(actor: Actor, facts: RequestFacts): DraftDecision {
  return canViewRequest(actor, facts) ? ALLOWED : NOT_FOUND;
}

/** Start a document, save a version, send it for review: the holder of the preparation task. */
export function decideDraftWrite(actor: Actor, facts: RequestFacts): DraftDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  return preparesNow(actor, facts) ? ALLOWED : { allowed: false, status: 403, reason: WRITE_REFUSED };
}

/**
 * The supervisor's Task #2: comment on a version, approve it or ask for changes. Never the version's
 * own author (a supervisor who wrote it asks their own supervisor through the workflow).
 */
export function decideDraftReview(
  actor: Actor,
  facts: RequestFacts,
  reviewer: ReviewerFact,
  authorId: string | null,
): DraftDecision {
  if (!canViewRequest(actor, facts)) return NOT_FOUND;
  if (!reviewsIt(actor, facts, reviewer)) return { allowed: false, status: 403, reason: REVIEW_REFUSED };
  if (authorId !== null && authorId === actor.id) {
    return { allowed: false, status: 403, reason: OWN_VERSION_REFUSED };
  }
  return ALLOWED;
}

export function draftAbilities(actor: Actor, facts: RequestFacts, reviewer: ReviewerFact): DraftAbility[] {
  const out: DraftAbility[] = [];
  if (decideDraftWrite(actor, facts).allowed) out.push('create_draft', 'write_version', 'submit_version');
  if (decideDraftReview(actor, facts, reviewer, null).allowed) out.push('review_version');
  return out;
}
