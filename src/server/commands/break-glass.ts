import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import type { breakGlassSchema } from '../../shared/schemas/request-actions.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { breakGlass, practices } from '../db/schema.js';
import { ForbiddenError } from '../errors.js';
import { canBreakGlass } from '../policies/practice.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

/**
 * rule SEC-2 (164.312(a)(2)(ii) emergency access): the privacy officer may act on any task of a
 * request for a limited time, with a written reason; audited and flagged on the request.
 */
export async function breakTheGlass(ctx: Ctx, requestId: string, input: z.infer<typeof breakGlassSchema>) {
  const actor = ctx.actor!;
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  if (!canBreakGlass(actor, loaded.row.practiceId)) {
    throw new ForbiddenError('Only the privacy officer can use emergency access.', { requestId });
  }
  const [p] = await ctx.tx
    .select({ settings: practices.settings })
    .from(practices)
    .where(eq(practices.id, loaded.row.practiceId));
  const minutes = parsePracticeSettings(p?.settings).breakGlassMinutes;
  const expiresAt = new Date(ctx.now.getTime() + minutes * 60_000);
  await ctx.tx.insert(breakGlass).values({
    practiceId: loaded.row.practiceId,
    userId: actor.id,
    requestId,
    reason: input.reason,
    createdAt: ctx.now,
    expiresAt,
  });
  record(ctx, {
    type: 'access.break_glass',
    requestId,
    clientId: loaded.row.clientId,
    data: { reason: input.reason, expiresAt: expiresAt.toISOString(), flagged: true },
  });
  return { expiresAt };
}
