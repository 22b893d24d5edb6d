// The facts the policies need (rule SEC-2: break glass, the therapist's supervisor chain, the tasks)
// for many requests at once, in a fixed number of queries whatever the number of rows: lists and
// "My tasks" call this instead of loadFacts per row (issue 8: My tasks ran ~6 queries per card).
// The facts are the same as loadFacts builds, so canViewRequest decides exactly as the scoped
// loader does.
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { RequestKind } from '../../shared/request-kinds.js';
import type { Actor, Ctx } from '../context.js';
import type { Db } from '../db/connect.js';
import { breakGlass, requests, tasks } from '../db/schema.js';
import type { RequestFacts } from '../policies/facts.js';
import { canViewRequest } from '../policies/request.js';
import { type RequestRow, type TaskRow, toTaskFact } from './visible-requests.js';

/** Everyone above each of `userIds` in their supervision chain, nearest first (one query). */
export async function supervisorChains(tx: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  const res = await tx.execute<{ start: string; id: string }>(sql`
    with recursive up(start, id, depth) as (
      select supervisee_id, supervisor_id, 1 from supervision_links
      where supervisee_id = any(${sql.param(userIds)}::uuid[])
      union all
      select up.start, s.supervisor_id, up.depth + 1 from supervision_links s join up on s.supervisee_id = up.id
      where up.depth < 50
    )
    select start, id from up order by start, depth`);
  for (const r of res.rows) out.get(r.start)?.push(r.id);
  return out;
}

/** The latest unexpired break-glass grant of the actor on each of these requests (one query). */
async function breakGlassUntil(
  tx: Db,
  actor: Actor,
  requestIds: string[],
  now: Date,
): Promise<Map<string, Date>> {
  if (requestIds.length === 0) return new Map();
  const rows = await tx
    .select({
      requestId: breakGlass.requestId,
      until: sql<Date>`max(${breakGlass.expiresAt})`.mapWith((v) => new Date(v)),
    })
    .from(breakGlass)
    .where(
      and(
        inArray(breakGlass.requestId, requestIds),
        eq(breakGlass.userId, actor.id),
        gt(breakGlass.expiresAt, now),
      ),
    )
    .groupBy(breakGlass.requestId);
  return new Map(rows.map((r) => [r.requestId, r.until]));
}

/** loadFacts for every row, in two queries; `tasksOf` gives each request's tasks (oldest first). */
export async function loadFactsMany(
  tx: Db,
  actor: Actor,
  rows: RequestRow[],
  tasksOf: (requestId: string) => TaskRow[],
  now: Date,
): Promise<Map<string, RequestFacts>> {
  const glass = await breakGlassUntil(
    tx,
    actor,
    rows.map((r) => r.id),
    now,
  );
  const chains = await supervisorChains(tx, [...new Set(rows.map((r) => r.therapistId))]);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        practiceId: row.practiceId,
        kind: row.kind as RequestKind,
        therapistId: row.therapistId,
        supervisorChainOfTherapist: chains.get(row.therapistId) ?? [],
        tasks: tasksOf(row.id).map(toTaskFact),
        breakGlassUntil: glass.get(row.id) ?? null,
      },
    ]),
  );
}

/** Group task rows by request, keeping their order. */
export function tasksByRequest(taskRows: TaskRow[]): (requestId: string) => TaskRow[] {
  const by = new Map<string, TaskRow[]>();
  for (const t of taskRows) {
    const list = by.get(t.requestId);
    if (list) list.push(t);
    else by.set(t.requestId, [t]);
  }
  return (id) => by.get(id) ?? [];
}

/**
 * rule SEC-2: the rows of these ids that the caller may see, in four queries whatever their number:
 * the same facts and the same canViewRequest as findVisibleRequest, so what it would answer 404 for
 * is silently left out here. The order of `ids` is kept.
 */
export async function findVisibleRequests(ctx: Ctx, ids: string[]): Promise<RequestRow[]> {
  const actor = ctx.actor;
  if (!actor || ids.length === 0) return [];
  const rows = await ctx.tx
    .select()
    .from(requests)
    .where(and(inArray(requests.id, ids), eq(requests.practiceId, actor.practiceId)));
  if (rows.length === 0) return [];
  const taskRows = await ctx.tx
    .select()
    .from(tasks)
    .where(
      inArray(
        tasks.requestId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(tasks.openedAt));
  const facts = await loadFactsMany(ctx.tx, actor, rows, tasksByRequest(taskRows), ctx.now);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids
    .map((id) => byId.get(id))
    .filter((row): row is RequestRow => row !== undefined && canViewRequest(actor, facts.get(row.id)!));
}
