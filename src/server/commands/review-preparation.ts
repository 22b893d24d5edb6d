import type { z } from 'zod';
import type {
  approvePreparationSchema,
  requestChangesSchema,
  submitPreparationSchema,
} from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { assertDocumentsApproved } from '../drafts/gate.js';
import { runTransition } from './support/transition.js';

/** The therapist's or clinical services' Task #2: prepare the records, then send them for the supervisor's review. */
export async function submitPreparation(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof submitPreparationSchema>,
) {
  return runTransition(ctx, requestId, {
    action: 'submit_preparation',
    taskResult: { notes: input.notes ?? null, submittedAt: ctx.now.toISOString() },
  });
}

/** The supervisor's Task #2: review what was prepared and approve it for release. */
export async function approvePreparation(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof approvePreparationSchema>,
) {
  return runTransition(ctx, requestId, {
    action: 'approve_preparation',
    taskResult: { approved: true, notes: input.notes ?? null },
    // Procedure step 4: a letter or report is approved version by version, and a verbal discussion's
    // notes too, before what was prepared is approved (409 naming what is left).
    check: (loaded) => assertDocumentsApproved(ctx, loaded.row),
  });
}

/** The supervisor's Task #2, the other way: ask the preparer for changes. */
export async function requestChanges(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof requestChangesSchema>,
) {
  return runTransition(ctx, requestId, {
    action: 'request_changes',
    input: { reason: input.reason },
    taskResult: { approved: false, reason: input.reason },
    auditData: { reason: input.reason },
  });
}
