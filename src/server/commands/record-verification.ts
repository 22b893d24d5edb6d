import type { z } from 'zod';
import type { RequestKind } from '../../shared/request-kinds.js';
import type { recordVerificationSchema } from '../../shared/schemas/authorizations.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { verifications } from '../db/schema-rules.js';
import { BadRequestError } from '../errors.js';
import { barrierCheckApplies, barrierMessage, barriersIn } from '../rules/verification.js';
import { checkFile, loadForCompliance } from './record-authorization.js';

/** rule VER-1: refuse (400) a method that amounts to a barrier for a client. */
export function assertNoBarrier(kind: RequestKind, subject: 'identity' | 'authority', method: string): void {
  if (!barrierCheckApplies(kind, subject)) return;
  const found = barriersIn(method);
  if (found.length === 0) return;
  const message = barrierMessage(found);
  throw new BadRequestError(message, [{ path: 'body.method', message }]);
}

/**
 * rule VER-1: how the requester's identity, or a representative's or third party's authority
 * (REP-1, with its proof), was verified; who verified and when come from the caller and the clock.
 */
export async function recordVerification(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof recordVerificationSchema>,
) {
  const loaded = await loadForCompliance(ctx, requestId);
  const { row } = loaded;
  assertNoBarrier(row.kind as RequestKind, input.subject, input.method);
  await checkFile(ctx, loaded, input.fileId);
  const [inserted] = await ctx.tx
    .insert(verifications)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      subject: input.subject,
      method: input.method,
      proofKind: input.proofKind ?? null,
      fileId: input.fileId ?? null,
      notes: input.notes || null,
      verifiedBy: ctx.actor!.id,
      verifiedAt: ctx.now,
    })
    .returning();
  record(ctx, {
    type: 'verification.recorded',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      verificationId: inserted!.id,
      subject: input.subject,
      method: input.method,
      proofKind: input.proofKind ?? null,
    },
  });
  return inserted!;
}
