import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { RequestKind } from '../../shared/request-kinds.js';
import type { completeIntakeSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { clients } from '../db/schema.js';
import { verifications } from '../db/schema-rules.js';
import { ConflictError } from '../errors.js';
import { assertNoBarrier } from './record-verification.js';
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
  const result = await runTransition(ctx, requestId, {
    action: 'complete_intake',
    taskResult: { verification, notes: input.notes ?? null },
    auditData: { verificationMethod: input.verification.method },
    // rule VER-1: no notarization, in-person visit or proprietary app required of a client.
    check: async (loaded) => {
      // Issue 7: a request the online form could not match is matched (or answered, REV-7) first.
      const [client] = await ctx.tx
        .select({ unmatched: clients.portalUnmatched })
        .from(clients)
        .where(eq(clients.id, loaded.row.clientId));
      if (client?.unmatched) {
        throw new ConflictError(
          'Match this request to the client first (or end it with the no-records letter, REV-7).',
        );
      }
      assertNoBarrier(loaded.row.kind as RequestKind, 'identity', input.verification.method);
    },
  });
  // rule VER-1: the intake's check of the requester's identity is a recorded verification (the release gate reads it).
  await ctx.tx.insert(verifications).values({
    practiceId: result.loaded.row.practiceId,
    requestId: result.loaded.row.id,
    subject: 'identity',
    method: input.verification.method,
    notes: input.verification.notes ?? null,
    verifiedBy: ctx.actor!.id,
    verifiedAt: ctx.now,
  });
  return result;
}
