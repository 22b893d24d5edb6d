import type { z } from 'zod';
import type { completeIntakeSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { runTransition } from './support/transition.js';

/** Support checks the intake; rule VER-1: the method, who verified and when are recorded. */
export async function completeIntake(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof completeIntakeSchema>,
) {
  const verification = {
    ...input.verification,
    verifiedBy: ctx.actor!.id,
    verifiedAt: ctx.now.toISOString(),
  };
  return runTransition(ctx, requestId, {
    action: 'complete_intake',
    taskResult: { verification, notes: input.notes ?? null },
    auditData: { verificationMethod: input.verification.method },
  });
}
