import type { z } from 'zod';
import { isAccessKind, type RequestKind } from '../../shared/request-kinds.js';
import type { DenialGround, SupervisorDecision } from '../../shared/review-decisions.js';
import type { supervisorReviewSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { threadMessages } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import {
  DENIAL_LETTER_NAME,
  denialLetter,
  denialMessage,
  type ScopeFacts,
} from '../letters/denial-letter.js';
import {
  DENIAL_REVIEW_LETTER_NAME,
  denialReviewLetter,
  denialReviewMessage,
  type ReviewOutcome,
} from '../letters/denial-review-outcome.js';
import { letterContext, storeLetter } from '../letters/store.js';
import { denialMessageEs, denialReviewMessageEs } from '../mail/requester-messages-es.js';
import { postRequesterNotice } from '../mail/requester-thread.js';
import type { LoadedRequest, TaskRow } from '../queries/visible-requests.js';
import { runTransition } from './support/transition.js';

type ReviewInput = z.infer<typeof supervisorReviewSchema>;

interface DiscussionResult {
  outcome?: string;
  narrowedScope?: Record<string, unknown> | null;
}

/** The latest completed client discussion, for REV-2's "only at the client's request / agreement". */
function lastDiscussion(tasks: TaskRow[]): DiscussionResult {
  const done = tasks
    .filter((t) => t.type === 'client_discussion' && t.state === 'done')
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));
  return (done[0]?.result ?? {}) as DiscussionResult;
}

/**
 * rule REV-4: a supervisor review that follows a denial is the independent review of that denial
 * (the request was reopened after it, reopen-after-denial.ts): the last decision recorded on a
 * completed review was a denial.
 */
function reviewsADenial(tasks: TaskRow[]): boolean {
  const decided = tasks
    .filter((t) => t.type === 'supervisor_review' && t.state === 'done' && t.result?.decision)
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0));
  const last = decided[0]?.result?.decision as SupervisorDecision | undefined;
  return last === 'deny' || last === 'decline';
}

/**
 * The letter the decision calls for, stored as a 'letter' file in this transaction, with a note on
 * the thread: the denial letter (REV-3, REV-4, REV-5) for an access denial in whole or in part, or
 * the outcome of a denial's review (REV-4), whatever it decided. Nothing for other decisions.
 */
async function writeDecisionLetter(
  ctx: Ctx,
  loaded: LoadedRequest,
  input: ReviewInput,
  approved: ScopeFacts | null,
): Promise<Record<string, unknown> | undefined> {
  const { row } = loaded;
  const kind = row.kind as RequestKind;
  // rule REV-5: 164.524(d) governs access requests (KIND-1, 2, 6); other kinds' declines carry their
  // reason in the review's letter text (REV-2).
  if (!isAccessKind(kind)) return undefined;
  const denies = input.decision === 'deny' || input.decision === 'deny_partial';
  const reviewing = reviewsADenial(loaded.tasks);
  if (!denies && !reviewing) return undefined;

  const lc = await letterContext(ctx, row);
  // A copy the client directs to someone else (KIND-2): the denial goes to the client, never to the
  // recipient the client named.
  const toClient = kind === 'client_directed';
  const facts = { ...lc.facts, recipient: toClient ? lc.client : lc.facts.recipient };
  const base = {
    ...facts,
    kind,
    clientName: lc.clientName,
    received: lc.long(row.receivedAt),
    requested: { documentClasses: row.documentClasses, dateFrom: row.dateFrom, dateTo: row.dateTo },
  };
  const releaseBy = row.legalDueAt > ctx.now ? lc.long(row.legalDueAt) : null;
  const ground = input.denialGround as DenialGround;
  const explanation = input.denialLetter ?? '';

  let letter: Awaited<ReturnType<typeof storeLetter>>;
  let message: { subject: string; body: string };
  let kindOfLetter: 'denial' | 'denial_review_outcome';
  if (reviewing) {
    // rule REV-4: the reviewer's decision is written to the requester, whatever it is.
    const outcome: ReviewOutcome =
      input.decision === 'deny'
        ? { outcome: 'upheld', ground, explanation }
        : input.decision === 'deny_partial'
          ? { outcome: 'upheld_in_part', ground, explanation, approved: approved!, releaseBy }
          : { outcome: 'overturned' };
    letter = await storeLetter(
      ctx,
      row,
      DENIAL_REVIEW_LETTER_NAME,
      denialReviewLetter({ ...base, ...outcome }),
    );
    // Issue 7: the note in the request's language (the letter already is).
    message =
      lc.language === 'es'
        ? denialReviewMessageEs({ ...facts, outcome: outcome.outcome }, letter.name)
        : denialReviewMessage({ ...facts, outcome: outcome.outcome }, letter.name);
    kindOfLetter = 'denial_review_outcome';
  } else {
    // rule REV-3, REV-4, REV-5: the plain-language denial letter of 164.524(d)(2).
    const partial = input.decision === 'deny_partial' ? { approved: approved!, releaseBy } : null;
    letter = await storeLetter(
      ctx,
      row,
      DENIAL_LETTER_NAME,
      denialLetter({ ...base, ground, explanation, partial }),
    );
    message =
      lc.language === 'es'
        ? denialMessageEs({ ...facts, ground, partial }, letter.name)
        : denialMessage({ ...facts, ground, partial }, letter.name);
    kindOfLetter = 'denial';
  }
  const [posted] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      // KIND-2: the named recipient must not read why the client's records were withheld; staff
      // send the letter to the client.
      thread: toClient ? 'internal' : 'requester',
      authorId: ctx.actor!.id,
      kind: kindOfLetter === 'denial' ? 'denial_letter' : 'denial_review_outcome',
      subject: message.subject,
      body: toClient
        ? `The letter ${letter.name} is addressed to the client, ${lc.clientName}: send it to them, not to the recipient named in the request (KIND-2).\n\n${message.body}`
        : message.body,
      createdAt: ctx.now,
    })
    .returning({ id: threadMessages.id });
  return { letter: kindOfLetter, letterFileId: letter.id, letterMessageId: posted!.id };
}

/**
 * rule REL-2 (issue 5): a denial ends the request, so the requester hears it is closed in plain words,
 * as after a withdrawal, a cancellation or a no-records answer (the letter itself is read in the app).
 * Once per denial: a denial reopened for its review (REV-4) and upheld posts a second notice.
 * postRequesterNotice leaves out a copy the client directs to someone else (KIND-2).
 */
async function tellRequesterClosed(ctx: Ctx, loaded: LoadedRequest): Promise<void> {
  const decidedReviews = loaded.tasks.filter(
    (t) => t.type === 'supervisor_review' && t.state === 'done' && t.result?.decision,
  ).length;
  await postRequesterNotice(
    ctx,
    loaded.row,
    'requester_status',
    `denied:${loaded.row.id}:${decidedReviews}`,
    {
      endStage: 'denied',
    },
  );
}

/**
 * The supervisor's Task #1 (rule REV-2): red flags, consequences for the client and the therapeutic
 * relationship, and a decision. For access kinds: release, an agreed summary, or a denial on a
 * REV-3/REV-4 ground only; a partial denial still releases everything not denied (REV-5).
 */
export async function submitSupervisorReview(ctx: Ctx, requestId: string, input: ReviewInput) {
  const narrowing = input.decision === 'release_narrowed' || input.decision === 'deny_partial';
  return runTransition(ctx, requestId, {
    action: 'submit_supervisor_review',
    input: (loaded) => {
      const discussion = lastDiscussion(loaded.tasks);
      return {
        decision: input.decision,
        denialGround: input.denialGround ?? null,
        denialLetter: input.denialLetter ?? null,
        clientRequestedNarrowing: discussion.outcome === 'narrow',
        clientAgreedToSummary: discussion.outcome === 'summary_agreed',
      };
    },
    check: (loaded) => {
      if (narrowing && !input.approvedScope && !lastDiscussion(loaded.tasks).narrowedScope) {
        throw new BadRequestError('Say what will be released.', [
          { path: 'body.approvedScope', message: 'Required for a narrowed release or a partial denial.' },
        ]);
      }
    },
    taskResult: { ...input, recordedAt: ctx.now.toISOString() },
    requestChanges: (loaded) => {
      if (input.decision === 'deny' || input.decision === 'decline') {
        return { endReason: input.denialGround ?? 'declined', endLetter: input.denialLetter ?? null };
      }
      if (!narrowing) return {};
      return {
        approvedScope: {
          ...(input.approvedScope ?? lastDiscussion(loaded.tasks).narrowedScope ?? {}),
          decision: input.decision,
          ...(input.decision === 'deny_partial'
            ? { denialGround: input.denialGround ?? null, denialLetter: input.denialLetter ?? null }
            : {}),
        },
      };
    },
    after: async (loaded, plan) => {
      const letter = await writeDecisionLetter(
        ctx,
        loaded,
        input,
        narrowing
          ? (input.approvedScope ?? (lastDiscussion(loaded.tasks).narrowedScope as ScopeFacts | null) ?? null)
          : null,
      );
      if (plan.to === 'denied') await tellRequesterClosed(ctx, loaded);
      return letter;
    },
    auditData: {
      decision: input.decision,
      redFlagCount: input.redFlags.length,
      denialGround: input.denialGround ?? null,
    },
  });
}
