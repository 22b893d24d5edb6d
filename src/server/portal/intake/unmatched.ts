// A public-form submission whose client is not found, held without telling the sender (issue 7).
//
// Why a provisional client (clients.portal_unmatched) and not a holding table: answering "we could
// not match" told anyone with an email address whether a person is a client of a mental-health
// practice, itself protected health information. So every submission is answered the same way: a
// request number, the confirmation page and the acknowledgement email. The request must then exist,
// with its legal clock running from receipt (TIME-1), its files and its requester thread, exactly
// like a matched one; a holding table would have needed a second copy of all of that (files,
// emails, status page, the no-records letter) and a conversion step. A provisional client keeps one
// path: the request is an ordinary request in support's intake queue, labelled "not matched", and
// support either matches it to the real client (`matchPortalClient`) or ends it with the written
// no-records answer (REV-7, the existing action). The intake check cannot be completed before the
// match (VER-1 still support's job; complete-intake.ts).
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { matchPortalClientSchema } from '../../../shared/schemas/portal-intake.js';
import { record } from '../../audit/record.js';
import type { Ctx } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { clients, requests, tasks, users } from '../../db/schema.js';
import { BadRequestError, ConflictError, ForbiddenError } from '../../errors.js';
import { canCreateRequest } from '../../policies/practice.js';
import { findVisibleRequest } from '../../queries/visible-requests.js';

const PLACEHOLDER_NAME = 'Not matched yet (online form)';

/**
 * The therapist a held request names until support matches it (requests.therapist_id is required):
 * an inactive, password-less row per practice. Nobody signs in as it, so nothing about the held
 * request reaches any therapist before support has matched the client.
 */
/** The line the held request's notes carry until support matches it (then it says it was matched). */
export const UNMATCHED_NOTE =
  'NOT MATCHED: the name and date of birth matched none of our clients. Match the request to the client, or end it with the no-records letter (REV-7).';
const MATCHED_NOTE =
  'Matched to the client by support after the online form (the requester’s name is kept as they typed it).';

export async function unmatchedTherapist(tx: Db, practiceId: string): Promise<string> {
  const email = `portal-unmatched+${practiceId}@release-desk.invalid`;
  await tx
    .insert(users)
    .values({
      practiceId,
      email,
      name: PLACEHOLDER_NAME,
      roles: ['therapist'],
      active: false,
      passwordHash: null,
    })
    .onConflictDoNothing();
  const [row] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
  return row!.id;
}

/** The provisional client: the name and date of birth as the sender typed them, flagged. */
export async function provisionalClient(
  ctx: Ctx,
  practiceId: string,
  c: { firstName: string; lastName: string; dateOfBirth: string },
) {
  const [row] = await ctx.tx
    .insert(clients)
    .values({
      practiceId,
      firstName: c.firstName,
      lastName: c.lastName,
      dateOfBirth: c.dateOfBirth,
      therapistId: null,
      portalUnmatched: true,
      createdAt: ctx.now,
    })
    .returning({ id: clients.id, firstName: clients.firstName, lastName: clients.lastName });
  return row!;
}

/**
 * Support names the real client of a held request (and its therapist when the client has none).
 * The provisional client row stays, flagged, as the record of what the sender typed.
 */
export async function matchPortalClient(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof matchPortalClientSchema>,
) {
  const actor = ctx.actor!;
  const loaded = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  if (!canCreateRequest(actor, loaded.row.practiceId)) {
    throw new ForbiddenError('Only the support team or the privacy officer can match a request to a client.');
  }
  const [current] = await ctx.tx
    .select({ unmatched: clients.portalUnmatched })
    .from(clients)
    .where(eq(clients.id, loaded.row.clientId));
  if (!current?.unmatched) throw new ConflictError('This request’s client is already matched.');
  if (!['request_made'].includes(loaded.row.stage)) {
    throw new ConflictError('This request has ended; it cannot be matched to a client now.');
  }
  const [client] = await ctx.tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, input.clientId), eq(clients.practiceId, loaded.row.practiceId)));
  if (!client || client.portalUnmatched) {
    throw new BadRequestError('No such client.', [
      { path: 'body.clientId', message: 'Choose a client of this practice.' },
    ]);
  }
  const therapistId = input.therapistId ?? client.therapistId;
  const [therapist] = therapistId
    ? await ctx.tx
        .select({ roles: users.roles, active: users.active })
        .from(users)
        .where(and(eq(users.id, therapistId), eq(users.practiceId, loaded.row.practiceId)))
    : [];
  if (!therapist?.active || !therapist.roles.includes('therapist')) {
    throw new BadRequestError('Choose the therapist for the request: this client has none assigned.', [
      { path: 'body.therapistId', message: 'An active therapist of this practice.' },
    ]);
  }
  const placeholder = loaded.row.therapistId;
  await ctx.tx
    .update(requests)
    .set({
      clientId: client.id,
      therapistId: therapistId!,
      notes: sql`replace(${requests.notes}, ${UNMATCHED_NOTE}, ${MATCHED_NOTE})`,
      updatedAt: ctx.now,
    })
    .where(eq(requests.id, loaded.row.id));
  // Anything handed to the placeholder goes to the real therapist.
  await ctx.tx
    .update(tasks)
    .set({ assigneeId: therapistId! })
    .where(and(eq(tasks.requestId, loaded.row.id), eq(tasks.assigneeId, placeholder)));
  record(ctx, {
    type: 'request.client_matched',
    requestId: loaded.row.id,
    clientId: client.id,
    data: { provisionalClientId: loaded.row.clientId, therapistId },
  });
}
