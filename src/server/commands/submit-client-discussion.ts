import type { z } from 'zod';
import type { clientDiscussionSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { BadRequestError } from '../errors.js';
import { runTransition } from './support/transition.js';

/**
 * The therapist's Task #1: what the client needs, why, when, and any concerns (rule REV-1). For the
 * client's own records the discussion is offered, never required, and "why" stays optional.
 */
export async function submitClientDiscussion(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof clientDiscussionSchema>,
) {
  if (input.outcome === 'narrow' && !input.narrowedScope) {
    throw new BadRequestError('Say what the client wants released instead.', [
      { path: 'body.narrowedScope', message: 'Required when the client narrows the request.' },
    ]);
  }
  return runTransition(ctx, requestId, {
    action: 'submit_client_discussion',
    input: {
      outcome: input.outcome,
      ...(input.outcome === 'client_withdraws'
        ? { reason: 'The client withdrew the request in the discussion with their therapist.' }
        : {}),
    },
    taskResult: { ...input, recordedAt: ctx.now.toISOString() },
    auditData: { outcome: input.outcome },
    ...(input.outcome === 'client_withdraws'
      ? {
          requestChanges: {
            endReason: 'The client withdrew the request in the discussion with their therapist.',
          },
        }
      : {}),
  });
}
