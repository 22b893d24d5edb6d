import type { z } from 'zod';
import {
  PSYCHOTHERAPY_NOTE_EXCEPTION_LABELS,
  type recordExceptionSchema,
} from '../../shared/schemas/authorizations.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { privacyApprovals } from '../db/schema-rules.js';
import { decideApproveException } from '../policies/authorizations.js';
import { loadForCompliance } from './record-authorization.js';

/**
 * rule AUTH-4: psychotherapy notes go out without their own authorization only under one of the
 * narrow exceptions of 164.508(a)(2), with the privacy officer's recorded approval naming it.
 */
export async function approveException(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof recordExceptionSchema>,
) {
  const { row } = await loadForCompliance(ctx, requestId, decideApproveException);
  const [inserted] = await ctx.tx
    .insert(privacyApprovals)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      kind: input.kind,
      detail: {
        exception: input.exception,
        label: PSYCHOTHERAPY_NOTE_EXCEPTION_LABELS[input.exception],
        note: input.note,
      },
      approvedBy: ctx.actor!.id,
      approvedAt: ctx.now,
    })
    .returning();
  record(ctx, {
    type: 'privacy.exception_approved',
    requestId: row.id,
    clientId: row.clientId,
    data: { approvalId: inserted!.id, kind: input.kind, exception: input.exception },
  });
  return inserted!;
}
