import { type AuditEvent, auditEventSchema } from '../../shared/audit-events.js';
import type { Actor, Ctx } from '../context.js';
import { appendToChain, type ChainRow } from './chain.js';

/** rule SEC-3: record an audit event in the command's own transaction (flushed at commit). */
export function record(ctx: Ctx, event: AuditEvent): void {
  ctx.pendingAudit.push({ event: auditEventSchema.parse(event), practiceId: ctx.practiceId, at: ctx.now });
}

export function actorRole(actor: Actor | null): string | null {
  return actor ? actor.roles.join(',') : null;
}

/** Called by the transaction runner as the last statements before COMMIT. */
export async function flushAudit(ctx: Ctx): Promise<void> {
  const rows = takeAuditRows(ctx);
  if (rows.length === 0) return;
  await appendToChain(ctx.client, ctx.services.config.auditKey, rows);
}

/** The transaction's recorded events as chain rows, taken out of the context. */
export function takeAuditRows(ctx: Ctx): Omit<ChainRow, 'seq'>[] {
  const rows = ctx.pendingAudit.map(({ event, practiceId, at }) => {
    const parsed = auditEventSchema.parse(event);
    return {
      practiceId,
      at,
      type: parsed.type,
      actorId: ctx.actor?.id ?? null,
      actorName: ctx.actor?.name ?? null,
      actorRole: actorRole(ctx.actor),
      ip: ctx.meta.ip,
      userAgent: ctx.meta.userAgent,
      requestId: parsed.requestId ?? null,
      clientId: parsed.clientId ?? null,
      data: parsed.data,
    };
  });
  ctx.pendingAudit = [];
  return rows;
}
