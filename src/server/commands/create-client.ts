// Support or the privacy officer adds a client of the practice (rule SEC-2: canManageClients). The
// minor flag follows the date of birth and today in the practice's time zone unless it is given.
import { and, eq } from 'drizzle-orm';
import { type CreateClientInput, isMinorOn } from '../../shared/schemas/clients.js';
import { localDate } from '../../shared/time.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { clients, practices, users } from '../db/schema.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { canManageClients } from '../policies/practice.js';

export const MANAGE_CLIENTS_REASON = 'Only the support team or the privacy officer can add or edit clients.';

/** The practice the command works in: the actor's, or (at the command line) the context's. */
export function clientPractice(ctx: Ctx): string {
  const practiceId = ctx.actor?.practiceId ?? ctx.practiceId;
  if (!practiceId) throw new Error('this command needs a practice');
  return practiceId;
}

/** rule SEC-2: 403 with the reason unless the caller may manage clients (the operator may). */
export function authorizeManageClients(ctx: Ctx, practiceId: string): void {
  if (ctx.actor && !canManageClients(ctx.actor, practiceId)) throw new ForbiddenError(MANAGE_CLIENTS_REASON);
}

/** Today's date in the practice's time zone ('YYYY-MM-DD'). */
export async function practiceToday(ctx: Ctx, practiceId: string): Promise<string> {
  const [p] = await ctx.tx
    .select({ timeZone: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, practiceId));
  if (!p) throw new NotFoundError('practice', { practiceId });
  return localDate(ctx.now, p.timeZone);
}

export function assertBornByToday(dateOfBirth: string, today: string): void {
  if (dateOfBirth > today) {
    throw new BadRequestError('The date of birth is in the future.', [
      { path: 'body.dateOfBirth', message: `must not be after today (${today})` },
    ]);
  }
}

/** The assigned therapist must be an active therapist of this practice; anything else is a 400. */
export async function assertActiveTherapist(
  ctx: Ctx,
  practiceId: string,
  therapistId: string,
): Promise<void> {
  const [user] = await ctx.tx
    .select({ roles: users.roles, active: users.active })
    .from(users)
    .where(and(eq(users.id, therapistId), eq(users.practiceId, practiceId)));
  if (!user?.active || !user.roles.includes('therapist')) {
    throw new BadRequestError('The therapist must be an active therapist of this practice.', [
      { path: 'body.therapistId', message: 'not an active therapist of this practice' },
    ]);
  }
}

export async function createClient(ctx: Ctx, input: CreateClientInput): Promise<{ clientId: string }> {
  const practiceId = clientPractice(ctx);
  authorizeManageClients(ctx, practiceId);
  const today = await practiceToday(ctx, practiceId);
  assertBornByToday(input.dateOfBirth, today);
  const therapistId = input.therapistId ?? null;
  if (therapistId) await assertActiveTherapist(ctx, practiceId, therapistId);
  const [row] = await ctx.tx
    .insert(clients)
    .values({
      practiceId,
      firstName: input.firstName,
      lastName: input.lastName,
      dateOfBirth: input.dateOfBirth,
      isMinor: input.isMinor ?? isMinorOn(input.dateOfBirth, today),
      therapistId,
      email: input.email ?? null,
      phone: input.phone ?? null,
      address: input.address ?? null,
      createdAt: ctx.now,
    })
    .returning({ id: clients.id });
  const clientId = row!.id;
  // rule SEC-5: ids only; the client's details stay in the client's row.
  record(ctx, { type: 'client.created', clientId, data: { therapistId } });
  return { clientId };
}
