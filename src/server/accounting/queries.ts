// Scoped reads of the disclosure log and the accounting (rules SEC-2, REL-3, REL-4): the client is
// loaded through visible-clients (404 when the caller may not see them), then the policy answers
// (403 with its reason), then the rows are read.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { type LocalDate, localDate } from '../../shared/time.js';
import type { Ctx } from '../context.js';
import { clients, disclosures, practices, users } from '../db/schema.js';
import { accountingRequests, accountingSuspensions } from '../db/schema-accounting.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Decision } from '../policies/accounting.js';
import type { Actor } from '../policies/facts.js';
import { findVisibleClient, type LoadedClient } from '../queries/visible-clients.js';
import { type CompiledAccounting, compileAccounting } from './compile.js';
import type { AccountingPackRules } from './rules.js';

export type DisclosureRow = typeof disclosures.$inferSelect;
export type SuspensionRow = typeof accountingSuspensions.$inferSelect;
export type AccountingRequestRow = typeof accountingRequests.$inferSelect;

/** The client the caller may see (else 404), and the policy's answer for this action (else 403). */
export async function clientFor(
  ctx: Ctx,
  clientId: string,
  decide: (actor: Actor, practiceId: string) => Decision,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedClient> {
  const client = await findVisibleClient(ctx, clientId, opts);
  const decision = decide(ctx.actor!, client.row.practiceId);
  if (!decision.allowed) throw new ForbiddenError(decision.reason, { clientId });
  return client;
}

export async function practiceTimeZone(ctx: Ctx, practiceId: string): Promise<string> {
  const [p] = await ctx.tx
    .select({ timeZone: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  return p?.timeZone ?? 'UTC';
}

export interface LoadedDisclosure {
  row: DisclosureRow;
  releasedByName: string;
}

/** rule REL-3: every entry of the client's disclosure log, newest first. */
export async function clientDisclosures(ctx: Ctx, client: LoadedClient): Promise<LoadedDisclosure[]> {
  const rows = await ctx.tx
    .select({ row: disclosures, releasedByName: users.name })
    .from(disclosures)
    .innerJoin(users, eq(users.id, disclosures.releasedBy))
    .where(and(eq(disclosures.clientId, client.row.id), eq(disclosures.practiceId, client.row.practiceId)))
    .orderBy(desc(disclosures.disclosedAt), asc(disclosures.id));
  return rows;
}

export interface LoadedSuspension {
  row: SuspensionRow;
  recordedByName: string;
}

export async function clientSuspensions(ctx: Ctx, client: LoadedClient): Promise<LoadedSuspension[]> {
  return ctx.tx
    .select({ row: accountingSuspensions, recordedByName: users.name })
    .from(accountingSuspensions)
    .innerJoin(users, eq(users.id, accountingSuspensions.recordedBy))
    .where(
      and(
        eq(accountingSuspensions.clientId, client.row.id),
        eq(accountingSuspensions.practiceId, client.row.practiceId),
      ),
    )
    .orderBy(asc(accountingSuspensions.startsOn), asc(accountingSuspensions.recordedAt));
}

/** An accounting request of this (visible) client, or 404. */
export async function findAccountingRequest(
  ctx: Ctx,
  client: LoadedClient,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<AccountingRequestRow> {
  const base = ctx.tx
    .select()
    .from(accountingRequests)
    .where(
      and(
        eq(accountingRequests.id, id),
        eq(accountingRequests.clientId, client.row.id),
        eq(accountingRequests.practiceId, client.row.practiceId),
      ),
    )
    .$dynamic();
  const [row] = opts.forUpdate ? await base.for('update') : await base;
  if (!row)
    throw new NotFoundError('accounting request', { clientId: client.row.id, accountingRequestId: id });
  return row;
}

/** rule TIME-4: open only (not yet sent), or all of them. */
export type AccountingListState = 'open' | 'all';

export interface ListedAccountingRequest {
  row: AccountingRequestRow;
  clientName: string;
  fulfilledByName: string;
}

/**
 * rule TIME-4: the accounting requests of the caller's practice (or of one client), the nearest
 * 60-day deadline first. The caller has passed the accounting policy (support, privacy officer),
 * who see every client of the practice.
 */
export async function listAccountingRequests(
  ctx: Ctx,
  practiceId: string,
  filter: { state: AccountingListState; clientId?: string },
): Promise<ListedAccountingRequest[]> {
  const rows = await ctx.tx
    .select({ row: accountingRequests, firstName: clients.firstName, lastName: clients.lastName })
    .from(accountingRequests)
    .innerJoin(clients, eq(clients.id, accountingRequests.clientId))
    .where(
      and(
        eq(accountingRequests.practiceId, practiceId),
        eq(clients.practiceId, practiceId),
        filter.clientId ? eq(accountingRequests.clientId, filter.clientId) : undefined,
        filter.state === 'open' ? isNull(accountingRequests.fulfilledAt) : undefined,
      ),
    )
    .orderBy(asc(accountingRequests.dueAt), asc(accountingRequests.receivedAt), asc(accountingRequests.id));
  const ids = [...new Set(rows.map((r) => r.row.fulfilledBy).filter((id): id is string => !!id))];
  const names =
    ids.length === 0
      ? new Map<string, string>()
      : new Map(
          (
            await ctx.tx
              .select({ id: users.id, name: users.name })
              .from(users)
              .where(and(eq(users.practiceId, practiceId), inArray(users.id, ids)))
          ).map((u) => [u.id, u.name]),
        );
  return rows.map((r) => ({
    row: r.row,
    clientName: `${r.firstName} ${r.lastName}`,
    fulfilledByName: r.row.fulfilledBy ? (names.get(r.row.fulfilledBy) ?? '') : '',
  }));
}

/** The rule pack's say on the accounting. No pack loader exists yet: the federal baseline applies. */
export function accountingPackRules(): AccountingPackRules {
  return {};
}

/** rule REL-4: the accounting of this request as of now (suspensions honoured while they last). */
export async function liveAccounting(
  ctx: Ctx,
  client: LoadedClient,
  row: AccountingRequestRow,
  timeZone: string,
): Promise<CompiledAccounting> {
  const entries = await clientDisclosures(ctx, client);
  const suspensions = await clientSuspensions(ctx, client);
  const today: LocalDate = localDate(ctx.now, timeZone);
  return compileAccounting(
    entries.map((e) => e.row),
    suspensions.map((s) => s.row),
    { from: row.periodFrom, to: row.periodTo },
    today,
    timeZone,
    accountingPackRules(),
  );
}

/** The practice's name and its privacy officer, for the letterhead of the accounting (REL-4). */
export async function practiceLetterhead(ctx: Ctx, practiceId: string) {
  const [p] = await ctx.tx
    .select({
      name: practices.name,
      privacyOfficerName: practices.privacyOfficerName,
      privacyOfficerEmail: practices.privacyOfficerEmail,
      privacyOfficerPhone: practices.privacyOfficerPhone,
    })
    .from(practices)
    .where(eq(practices.id, practiceId));
  if (!p) throw new NotFoundError('practice', { practiceId });
  return p;
}

/** The names of the people a request's view mentions. */
export async function userName(ctx: Ctx, id: string | null): Promise<string> {
  if (!id) return '';
  const [u] = await ctx.tx.select({ name: users.name }).from(users).where(eq(users.id, id));
  return u?.name ?? '';
}
