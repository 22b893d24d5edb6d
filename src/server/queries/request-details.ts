// Reads behind the request page and the request list. Everything goes through the scoped loaders
// in visible-requests.ts; this file only gathers what the presenters show.
import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { loadEscalations } from '../clocks/escalations.js';
import type { Ctx } from '../context.js';
import {
  auditEvents,
  clients,
  disclosures,
  invoices,
  practices,
  tasks,
  threadMessages,
  users,
} from '../db/schema.js';
import type { RequestContext } from '../presenters/request.js';
import { loadCompliance } from './authorizations.js';
import { loadFactsMany, tasksByRequest } from './request-facts-batch.js';
import { rulesForRequest } from './rule-packs.js';
import type { LoadedRequest, RequestRow } from './visible-requests.js';

async function peopleOf(ctx: Ctx, practiceId: string): Promise<Map<string, string>> {
  const rows = await ctx.tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(eq(users.practiceId, practiceId));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function timeZoneOf(ctx: Ctx, practiceId: string): Promise<string> {
  const [p] = await ctx.tx
    .select({ tz: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  return p?.tz ?? 'UTC';
}

export async function requestContext(ctx: Ctx, loaded: LoadedRequest): Promise<RequestContext> {
  const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, loaded.row.clientId));
  return {
    ...loaded,
    client: client!,
    people: await peopleOf(ctx, loaded.row.practiceId),
    timeZone: await timeZoneOf(ctx, loaded.row.practiceId),
    escalations: await loadEscalations(ctx.tx, [loaded.row.id]),
  };
}

export async function requestExtras(ctx: Ctx, row: RequestRow) {
  const thread = await ctx.tx
    .select()
    .from(threadMessages)
    .where(eq(threadMessages.requestId, row.id))
    .orderBy(asc(threadMessages.createdAt), asc(threadMessages.id));
  const [invoice] = await ctx.tx.select().from(invoices).where(eq(invoices.requestId, row.id));
  const [disclosure] = await ctx.tx
    .select()
    .from(disclosures)
    // The release's own entry; an impermissible disclosure the privacy officer logged against the
    // request is in the client's disclosure log, not "the disclosure" of this release.
    .where(and(eq(disclosures.requestId, row.id), eq(disclosures.impermissible, false)))
    .orderBy(desc(disclosures.disclosedAt));
  const history = await ctx.tx
    .select({
      at: auditEvents.at,
      type: auditEvents.type,
      actorName: auditEvents.actorName,
      data: auditEvents.data,
    })
    .from(auditEvents)
    // Views are not history (and would crowd it out): leave them out in SQL, before the limit.
    .where(
      and(
        eq(auditEvents.requestId, row.id),
        eq(auditEvents.practiceId, row.practiceId),
        ne(auditEvents.type, 'request.viewed'),
      ),
    )
    .orderBy(desc(auditEvents.seq))
    .limit(200);
  return {
    thread,
    // rule AUTH-1…AUTH-5, VER-1: authorizations, verifications and release blockers (presenters/authorizations.ts).
    compliance: await loadCompliance(ctx, row),
    // rule TIME-3: the rules the request is decided under (its stored packs), with the warnings for
    // unverified values (presenters/rules.ts).
    rules: await rulesForRequest(ctx, row),
    invoice: invoice
      ? {
          mode: invoice.mode,
          amountCents: invoice.amountCents,
          lines: invoice.lines,
          sentAt: invoice.sentAt?.toISOString() ?? null,
          paidAt: invoice.paidAt?.toISOString() ?? null,
          paymentMethod: invoice.paymentMethod,
          paymentReference: invoice.paymentReference,
        }
      : null,
    disclosure: disclosure
      ? {
          id: disclosure.id,
          disclosedAt: disclosure.disclosedAt.toISOString(),
          recipientName: disclosure.recipientName,
          recipientAddress: disclosure.recipientAddress,
          description: disclosure.description,
          purpose: disclosure.purpose,
          deliverable: disclosure.deliverable,
          packetSha256: disclosure.packetSha256,
        }
      : null,
    // Events of this very transaction are chained at commit; show them already.
    history: [
      ...ctx.pendingAudit
        .filter((p) => p.event.requestId === row.id)
        .reverse()
        .map((p) => ({
          at: p.at,
          type: p.event.type,
          actorName: ctx.actor?.name ?? null,
          data: p.event.data ?? {},
        })),
      ...history,
    ].filter((h) => h.type !== 'request.viewed'),
  };
}

/** Contexts for a page of the request list, loading tasks, clients and people in a few queries. */
export async function listContexts(ctx: Ctx, rows: RequestRow[]): Promise<RequestContext[]> {
  const actor = ctx.actor!;
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const taskRows = await ctx.tx
    .select()
    .from(tasks)
    .where(inArray(tasks.requestId, ids))
    .orderBy(asc(tasks.openedAt));
  const clientRows = await ctx.tx
    .select()
    .from(clients)
    .where(
      inArray(
        clients.id,
        rows.map((r) => r.clientId),
      ),
    );
  const people = await peopleOf(ctx, actor.practiceId);
  const timeZone = await timeZoneOf(ctx, actor.practiceId);
  const escalations = await loadEscalations(ctx.tx, ids);
  // The facts of all rows in two queries, not two per row (issue 8: lists and My tasks).
  const tasksOf = tasksByRequest(taskRows);
  const facts = await loadFactsMany(ctx.tx, actor, rows, tasksOf, ctx.now);
  const out: RequestContext[] = [];
  for (const row of rows) {
    out.push({
      row,
      tasks: tasksOf(row.id),
      facts: facts.get(row.id)!,
      client: clientRows.find((c) => c.id === row.clientId)!,
      people,
      timeZone,
      escalations: escalations.filter((e) => e.requestId === row.id),
    });
  }
  return out;
}
