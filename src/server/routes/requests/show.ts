// Reading a request for the caller: the scoped loader, the presenter, and (for a real view of its
// details) an audit event (rule SEC-3: every view of health information is recorded).
import { record } from '../../audit/record.js';
import type { Ctx } from '../../context.js';
import { presentRequestDetails } from '../../presenters/request.js';
import { requestContext, requestExtras } from '../../queries/request-details.js';
import { findVisibleRequest } from '../../queries/visible-requests.js';
import { redFlagsFor } from '../../rules/red-flags.js';

export async function showRequest(ctx: Ctx, requestId: string, opts: { recordView: boolean }) {
  const loaded = await findVisibleRequest(ctx, requestId);
  const context = await requestContext(ctx, loaded);
  const extras = await requestExtras(ctx, loaded.row);
  if (opts.recordView) {
    record(ctx, {
      type: 'request.viewed',
      requestId: loaded.row.id,
      clientId: loaded.row.clientId,
      data: loaded.facts.breakGlassUntil ? { viaBreakGlass: true } : {},
    });
  }
  return {
    ...presentRequestDetails(ctx.actor!, context, ctx.now, {
      ...extras,
      breakGlassUntil: loaded.facts.breakGlassUntil ?? null,
    }),
    redFlags: await redFlagsFor(ctx.tx, loaded.row, context.timeZone, ctx.now),
  };
}
