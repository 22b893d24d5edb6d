// rule SEC-2: every read of a client goes through here, so a client the caller may not see is simply
// not found (architecture.md, conventions 3 and 10).
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { ListClientsQuery } from '../../shared/schemas/clients.js';
import type { Actor, Ctx } from '../context.js';
import type { Db } from '../db/connect.js';
import { clients, users } from '../db/schema.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { hasRole } from '../policies/facts.js';
import { type ClientFacts, canViewClient } from '../policies/practice.js';
import { superviseesOf, supervisorChain } from './supervision.js';

export type ClientRow = typeof clients.$inferSelect;

/** A client row with its therapist's name, as the presenter needs it. */
export interface LoadedClient {
  row: ClientRow;
  therapistName: string | null;
}

export const ADMIN_ONLY_REASON = 'Administrators manage users and settings; they do not see client records.';

const selectColumns = { row: clients, therapistName: users.name };

function selectClients(tx: Db) {
  return tx.select(selectColumns).from(clients).leftJoin(users, eq(users.id, clients.therapistId)).$dynamic();
}

export async function clientFacts(tx: Db, row: ClientRow): Promise<ClientFacts> {
  return {
    practiceId: row.practiceId,
    therapistId: row.therapistId,
    supervisorChainOfTherapist: row.therapistId ? await supervisorChain(tx, row.therapistId) : [],
  };
}

/**
 * Load a client the actor may see, or answer 404 (the caller cannot tell "not yours" from "does not
 * exist"). With `forUpdate` the row is locked for the rest of the transaction.
 */
export async function findVisibleClient(
  ctx: Ctx,
  clientId: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedClient> {
  const actor = ctx.actor;
  const notFound = new NotFoundError('client', { clientId });
  if (!actor) throw notFound;
  const base = selectClients(ctx.tx).where(
    and(eq(clients.id, clientId), eq(clients.practiceId, actor.practiceId)),
  );
  const [found] = opts.forUpdate ? await base.for('update', { of: clients }) : await base;
  if (!found) throw notFound;
  const facts = await clientFacts(ctx.tx, found.row);
  if (!canViewClient(actor, facts)) throw notFound;
  return { row: found.row, therapistName: found.therapistName };
}

/** An administrator with no other role has no client list at all (403 with the reason; SEC-2). */
export function isAdminOnly(actor: Actor): boolean {
  return actor.roles.length > 0 && actor.roles.every((r) => r === 'admin');
}

/**
 * canViewClient as SQL, so lists never load what the caller may not see; null means "nothing". The
 * API tests check the two agree for every role.
 */
export async function clientVisibility(tx: Db, actor: Actor): Promise<SQL | null> {
  if (!actor.active) return null;
  if (hasRole(actor, 'support') || hasRole(actor, 'privacy_officer')) return sql`true`;
  const parts: SQL[] = [];
  if (hasRole(actor, 'therapist')) parts.push(eq(clients.therapistId, actor.id));
  if (hasRole(actor, 'supervisor')) {
    const below = await superviseesOf(tx, actor.id);
    if (below.length > 0) parts.push(inArray(clients.therapistId, below));
  }
  // Clinical services work from requests, and admins manage users and settings: no clients.
  return parts.length > 0 ? (or(...parts) ?? null) : null;
}

/** `%text%` for ILIKE, with the wildcards the caller typed taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface ClientPage {
  clients: LoadedClient[];
  total: number;
}

export async function listVisibleClients(ctx: Ctx, f: ListClientsQuery): Promise<ClientPage> {
  const actor = ctx.actor;
  if (!actor) return { clients: [], total: 0 };
  if (isAdminOnly(actor)) throw new ForbiddenError(ADMIN_ONLY_REASON);
  const visible = await clientVisibility(ctx.tx, actor);
  if (!visible) return { clients: [], total: 0 };
  // Issue 7: a provisional client held by the online form is no client to choose; its request shows it.
  const where: SQL[] = [
    eq(clients.practiceId, actor.practiceId),
    visible,
    eq(clients.portalUnmatched, false),
  ];
  if (f.therapistId) where.push(eq(clients.therapistId, f.therapistId));
  if (f.q) {
    const like = likePattern(f.q);
    where.push(
      sql`((${clients.firstName} || ' ' || ${clients.lastName}) ilike ${like}
        or (${clients.lastName} || ' ' || ${clients.firstName}) ilike ${like})`,
    );
  }
  const cond = and(...where);
  const rows = await selectClients(ctx.tx)
    .where(cond)
    .orderBy(asc(clients.lastName), asc(clients.firstName), asc(clients.id))
    .limit(f.limit)
    .offset(f.offset);
  const [count] = await ctx.tx.select({ n: sql<number>`count(*)::int` }).from(clients).where(cond);
  return { clients: rows, total: count?.n ?? 0 };
}
