import type { z } from 'zod';
import type { escalateReviewSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { runTransition } from './support/transition.js';

/**
 * "If you are not sure, reach out to your supervisor" (the procedure; rules REV-2, TIME-6): the
 * review goes to the reviewer's own supervisor, or from the top of a chain to the privacy officer.
 */
export async function escalateReview(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof escalateReviewSchema>,
) {
  return runTransition(ctx, requestId, {
    action: 'escalate_review',
    taskResult: { escalated: true, question: input.question, recordedAt: ctx.now.toISOString() },
    auditData: { question: input.question },
  });
}
