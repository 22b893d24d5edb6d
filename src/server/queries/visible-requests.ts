// rule SEC-2: every read of a request goes through here, so a request the caller may not see is
// simply not found (architecture.md, convention 3).
import { and, asc, desc, eq, gt, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { RequestKind } from '../../shared/request-kinds.js';
import type { Stage } from '../../shared/workflow.js';
import type { TaskState, TaskType } from '../../shared/workflow-tasks.js';
import type { Actor, Ctx } from '../context.js';
import type { Db } from '../db/connect.js';
import { breakGlass, clients, invoices, requests, tasks } from '../db/schema.js';
import { invoiceVoids } from '../db/schema-payments.js';
import { taskEscalations } from '../db/schema-rules.js';
import { NotFoundError } from '../errors.js';
import type { RequestFacts, TaskFact } from '../policies/facts.js';
import { canViewRequest } from '../policies/request.js';
import { superviseesOf, supervisorChain } from './supervision.js';

export type RequestRow = typeof requests.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

export interface LoadedRequest {
  row: RequestRow;
  tasks: TaskRow[];
  facts: RequestFacts;
}

export async function loadFacts(
  tx: Db,
  actor: Actor,
  row: RequestRow,
  taskRows: TaskRow[],
  now: Date,
): Promise<RequestFacts> {
  const [glass] = await tx
    .select({ until: sql<Date>`max(${breakGlass.expiresAt})`.mapWith((v) => (v ? new Date(v) : null)) })
    .from(breakGlass)
    .where(
      and(eq(breakGlass.requestId, row.id), eq(breakGlass.userId, actor.id), gt(breakGlass.expiresAt, now)),
    );
  return {
    practiceId: row.practiceId,
    kind: row.kind as RequestKind,
    therapistId: row.therapistId,
    supervisorChainOfTherapist: await supervisorChain(tx, row.therapistId),
    tasks: taskRows.map(toTaskFact),
    breakGlassUntil: glass?.until ?? null,
  };
}

export function toTaskFact(t: TaskRow): TaskFact {
  return {
    id: t.id,
    type: t.type as TaskType,
    assigneeId: t.assigneeId,
    assigneeRole: t.assigneeRole,
    state: t.state as TaskState,
    completedBy: t.completedBy,
  };
}

/**
 * Load a request the actor may see, or answer 404. With `forUpdate` the row is locked for the rest
 * of the transaction, so two commands on one request run one after the other.
 */
export async function findVisibleRequest(
  ctx: Ctx,
  requestId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedRequest> {
  const actor = ctx.actor;
  const notFound = new NotFoundError('request', { requestId });
  if (!actor) throw notFound;
  const base = ctx.tx
    .select()
    .from(requests)
    .where(and(eq(requests.id, requestId), eq(requests.practiceId, actor.practiceId)));
  const [row] = opts.forUpdate ? await base.for('update') : await base;
  if (!row) throw notFound;
  const taskRows = await ctx.tx
    .select()
    .from(tasks)
    .where(eq(tasks.requestId, row.id))
    .orderBy(asc(tasks.openedAt));
  const facts = await loadFacts(ctx.tx, actor, row, taskRows, ctx.now);
  if (!canViewRequest(actor, facts)) throw notFound;
  return { row, tasks: taskRows, facts };
}

export interface RequestFilters {
  stage?: Stage[];
  kind?: RequestKind[];
  therapistId?: string;
  overdue?: boolean;
  /** Waiting on an escalation: a review asked up the chain, or a late step climbing the ladder (TIME-6). */
  escalated?: boolean;
  /** An invoice was sent, not voided, and no payment is recorded yet (FEE-6: support's payments to record). */
  awaitingPayment?: boolean;
  q?: string;
  sort?: 'legal_due' | 'received' | 'number';
  limit: number;
  offset: number;
}

/**
 * The same rule as canViewRequest, as SQL, so lists never load what the caller may not see. A
 * test checks the two agree for every role and relationship.
 */
async function visibilityCondition(tx: Db, actor: Actor): Promise<SQL | null> {
  if (!actor.active) return null;
  if (actor.roles.includes('support') || actor.roles.includes('privacy_officer')) return sql`true`;
  const parts: SQL[] = [];
  if (actor.roles.includes('therapist')) parts.push(eq(requests.therapistId, actor.id));
  if (actor.roles.includes('supervisor')) {
    const below = await superviseesOf(tx, actor.id);
    if (below.length > 0) parts.push(inArray(requests.therapistId, below));
  }
  const roleQueues = actor.roles.filter((r) => r !== 'admin');
  parts.push(sql`exists (select 1 from ${tasks} t where t.request_id = ${requests.id} and (
      t.assignee_id = ${actor.id} or t.completed_by = ${actor.id}
      or (t.assignee_id is null and t.state in ('open', 'waiting_on_requester')
          and t.assignee_role = any(${sql.param(roleQueues)}::text[]))))`);
  return or(...parts) ?? null;
}

export async function listVisibleRequests(
  ctx: Ctx,
  f: RequestFilters,
): Promise<{ rows: RequestRow[]; total: number }> {
  const actor = ctx.actor;
  if (!actor) return { rows: [], total: 0 };
  const visible = await visibilityCondition(ctx.tx, actor);
  if (!visible) return { rows: [], total: 0 };
  const where: SQL[] = [eq(requests.practiceId, actor.practiceId), visible];
  if (f.stage?.length) where.push(inArray(requests.stage, f.stage));
  if (f.kind?.length) where.push(inArray(requests.kind, f.kind));
  if (f.therapistId) where.push(eq(requests.therapistId, f.therapistId));
  if (f.overdue) {
    where.push(
      or(
        and(
          lt(requests.legalDueAt, ctx.now),
          inArray(requests.stage, ['request_made', 'client_review', 'invoice', 'preparation']),
        ),
        sql`exists (select 1 from ${tasks} t where t.request_id = ${requests.id}
                 and t.state = 'open' and t.due_at < ${ctx.now})`,
      )!,
    );
  }
  if (f.escalated) {
    // rule REV-2, TIME-6: a supervisor asked their own supervisor and that review is still open, or
    // a step still open has climbed the escalation ladder.
    where.push(sql`(exists (select 1 from ${tasks} e where e.request_id = ${requests.id}
          and e.type = 'supervisor_review' and e.state = 'done' and (e.result ->> 'escalated') = 'true'
          and exists (select 1 from ${tasks} o where o.request_id = ${requests.id}
                      and o.type = 'supervisor_review' and o.state in ('open', 'waiting_on_requester')))
      or exists (select 1 from ${taskEscalations} x join ${tasks} xt on xt.id = x.task_id
          where x.request_id = ${requests.id} and xt.state in ('open', 'waiting_on_requester')))`);
  }
  if (f.awaitingPayment) {
    where.push(sql`exists (select 1 from ${invoices} i where i.request_id = ${requests.id}
                 and i.mode = 'sent' and i.paid_at is null
                 and not exists (select 1 from ${invoiceVoids} v where v.invoice_id = i.id))`);
    where.push(sql`${requests.stage} not in ('denied', 'no_records', 'withdrawn', 'cancelled')`);
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(requests.number, like),
        sql`exists (select 1 from ${clients} c where c.id = ${requests.clientId}
                 and (c.first_name || ' ' || c.last_name) ilike ${like})`,
      )!,
    );
  }
  const order =
    f.sort === 'received'
      ? desc(requests.receivedAt)
      : f.sort === 'number'
        ? desc(requests.number)
        : asc(requests.legalDueAt);
  const cond = and(...where);
  const rows = await ctx.tx
    .select()
    .from(requests)
    .where(cond)
    .orderBy(order, asc(requests.number))
    .limit(f.limit)
    .offset(f.offset);
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(requests).where(cond);
  return { rows, total: count?.n ?? 0 };
}
