// rule SEC-3: the privacy officer and administrators read the audit log of their own practice
// (convention 10), newest first, with keyset pagination by the chain's seq. Reading it is itself
// recorded, and the chain check reports only what concerns the caller's practice.
import { and, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { AuditQuery, AuditVerifyView } from '../../shared/schemas/audit.js';
import { endOfLocalDay, isLocalDate, startOfLocalDay } from '../../shared/time.js';
import { NO_PRACTICE, verifyChains } from '../audit/chain.js';
import type { Ctx } from '../context.js';
import { auditEvents, practices } from '../db/schema.js';
import { BadRequestError, ForbiddenError } from '../errors.js';
import { canReadAuditLog } from '../policies/practice.js';

export type AuditEventRow = typeof auditEvents.$inferSelect;

export const AUDIT_LOG_REASON = 'Only the privacy officer or an administrator can read the audit log.';

/** 403 with the reason unless the caller may read the audit log; answers the caller's practice. */
export function authorizeAuditRead(ctx: Ctx): string {
  const actor = ctx.actor;
  if (!actor || !canReadAuditLog(actor, actor.practiceId)) throw new ForbiddenError(AUDIT_LOG_REASON);
  return actor.practiceId;
}

async function practiceTimeZone(ctx: Ctx, practiceId: string): Promise<string> {
  const [p] = await ctx.tx
    .select({ timeZone: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  return p?.timeZone ?? 'UTC';
}

/** A date-time as given, or a whole local day (its start for `from`, its end for `to`). */
function resolveBound(value: string, timeZone: string, edge: 'start' | 'end'): Date {
  if (!isLocalDate(value)) return new Date(value);
  return edge === 'start' ? startOfLocalDay(value, timeZone) : endOfLocalDay(value, timeZone);
}

export interface AuditPage {
  rows: AuditEventRow[];
  nextBefore: number | null;
}

export async function listAuditEvents(ctx: Ctx, f: AuditQuery): Promise<AuditPage> {
  const practiceId = authorizeAuditRead(ctx);
  // The same expression as the chain's unique index, so "newest first by seq" walks the index.
  const where: SQL[] = [sql`coalesce(${auditEvents.practiceId}, ${NO_PRACTICE}::uuid) = ${practiceId}::uuid`];
  if (f.type) where.push(eq(auditEvents.type, f.type));
  if (f.requestId) where.push(eq(auditEvents.requestId, f.requestId));
  if (f.clientId) where.push(eq(auditEvents.clientId, f.clientId));
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId));
  if (f.before !== undefined) where.push(lt(auditEvents.seq, f.before));
  if (f.from !== undefined || f.to !== undefined) {
    const timeZone = await practiceTimeZone(ctx, practiceId);
    const from = f.from === undefined ? null : resolveBound(f.from, timeZone, 'start');
    const to = f.to === undefined ? null : resolveBound(f.to, timeZone, 'end');
    if (from && to && from.getTime() > to.getTime()) {
      throw new BadRequestError('The period ends before it starts.', [
        { path: 'querystring.to', message: 'must not be before `from`' },
      ]);
    }
    if (from) where.push(gte(auditEvents.at, from));
    if (to) where.push(lte(auditEvents.at, to));
  }
  const rows = await ctx.tx
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.seq))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextBefore: more ? (page[page.length - 1]?.seq ?? null) : null };
}

/**
 * Check the chains with verifyChains (which walks every practice's chain) and tell the caller only
 * about their own: a break in another practice's chain is reported without its details.
 */
export async function verifyPracticeChain(ctx: Ctx): Promise<AuditVerifyView> {
  const practiceId = authorizeAuditRead(ctx);
  const result = await verifyChains(ctx.services.database.pool, ctx.services.config.auditKey);
  if (result.ok) {
    return { ok: true, rowsChecked: result.rowsChecked, message: 'The audit log is intact.' };
  }
  const broken = result.firstBroken;
  if (broken && broken.practiceId === practiceId) {
    return {
      ok: false,
      firstBroken: { seq: broken.seq, id: broken.id, reason: broken.reason },
      message: `The audit log of this practice does not verify from row ${broken.seq}: ${broken.reason}.`,
    };
  }
  return {
    ok: false,
    message:
      'The audit log could not be fully verified. Ask the operator to run `release-desk audit verify` on the server.',
  };
}
