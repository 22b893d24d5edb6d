import type { z } from 'zod';
import type { supervisorReviewSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { BadRequestError } from '../errors.js';
import type { TaskRow } from '../queries/visible-requests.js';
import { runTransition } from './support/transition.js';

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
 * The supervisor's Task #1 (rule REV-2): red flags, consequences for the client and the therapeutic
 * relationship, and a decision. For access kinds: release, an agreed summary, or a denial on a
 * REV-3/REV-4 ground only; a partial denial still releases everything not denied (REV-5).
 */
export async function submitSupervisorReview(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof supervisorReviewSchema>,
) {
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
    auditData: {
      decision: input.decision,
      redFlagCount: input.redFlags.length,
      denialGround: input.denialGround ?? null,
    },
  });
}
