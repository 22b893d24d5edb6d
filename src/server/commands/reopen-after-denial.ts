import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { reopenAfterDenialSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { users } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { runTransition } from './support/transition.js';

/**
 * rule REV-4: the client may ask for a review of a denial by a licensed professional who took no
 * part in it; the review can overturn it. The privacy officer reopens and names the reviewer. The
 * review ends with the reviewer's supervisor review, whose outcome is written to the requester as a
 * letter (submit-supervisor-review.ts, letters/denial-review-outcome.ts).
 */
export async function reopenAfterDenial(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof reopenAfterDenialSchema>,
) {
  return runTransition(ctx, requestId, {
    action: 'reopen_after_denial_review',
    input: { reason: input.reason },
    ownerContext: { reviewerId: input.reviewerId },
    check: async (loaded) => {
      const [reviewer] = await ctx.tx
        .select()
        .from(users)
        .where(and(eq(users.id, input.reviewerId), eq(users.practiceId, loaded.row.practiceId)));
      const licensed = reviewer?.roles.some((r) => r === 'supervisor' || r === 'therapist');
      const tookPart =
        reviewer?.id === loaded.row.therapistId ||
        loaded.tasks.some(
          (t) =>
            t.type === 'supervisor_review' &&
            (t.completedBy === reviewer?.id || t.assigneeId === reviewer?.id),
        );
      if (!reviewer?.active || !licensed || tookPart) {
        throw new BadRequestError('Choose a licensed clinician who took no part in the denial (REV-4).', [
          {
            path: 'body.reviewerId',
            message: 'Must be an active therapist or supervisor who took no part in the denial.',
          },
        ]);
      }
    },
    requestChanges: { endReason: null, endLetter: null, endedAt: null },
    auditData: { reason: input.reason, reviewerId: input.reviewerId },
  });
}
