import type { z } from 'zod';
import type { addRedFlagSchema } from '../../shared/schemas/request-actions.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { redFlags } from '../db/schema-rules.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { decideAddRedFlag } from '../policies/red-flags.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

/** rule REV-6: a supervisor (or anyone working the request) adds a red flag the system cannot see. */
export async function addRedFlag(ctx: Ctx, requestId: string, input: z.infer<typeof addRedFlagSchema>) {
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  const decision = decideAddRedFlag(ctx.actor!, loaded.facts);
  if (!decision.allowed) {
    if (decision.status === 404) throw new NotFoundError('request', { requestId });
    throw new ForbiddenError(decision.reason, { requestId });
  }
  const [row] = await ctx.tx
    .insert(redFlags)
    .values({
      practiceId: loaded.row.practiceId,
      requestId,
      code: input.code,
      note: input.note,
      addedBy: ctx.actor!.id,
      createdAt: ctx.now,
    })
    .returning({ id: redFlags.id });
  record(ctx, {
    type: 'request.red_flag_added',
    requestId,
    clientId: loaded.row.clientId,
    data: { flagId: row!.id, code: input.code },
  });
  return row!;
}
