// Step 1 of the procedure: the request is made. Support records it (any channel), the number is
// allocated in the same transaction, both clocks start, and the instructions job is queued.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { CreateRequestInput } from '../../shared/schemas/requests.js';
import { legalDue, localDate } from '../../shared/time.js';
import { tasksOnCreate } from '../../shared/workflow-tasks.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { clients, requestCounters, requests, users } from '../db/schema.js';
import { BadRequestError, ForbiddenError } from '../errors.js';
import { send } from '../jobs/send.js';
import { postRequesterNotice } from '../mail/requester-thread.js';
import { canCreateRequest } from '../policies/practice.js';
import { rulesAtIntake } from '../queries/rule-packs.js';
import { openTasks, practiceDurations } from './support/tasks.js';

/** `R-<year>-<n>`, at least four digits, per practice and year, allocated under the counter's row lock. */
async function allocateNumber(ctx: Ctx, practiceId: string, year: number): Promise<string> {
  const [row] = await ctx.tx
    .insert(requestCounters)
    .values({ practiceId, year, last: 1 })
    .onConflictDoUpdate({
      target: [requestCounters.practiceId, requestCounters.year],
      set: { last: sql`${requestCounters.last} + 1` },
    })
    .returning({ last: requestCounters.last });
  return `R-${year}-${String(row!.last).padStart(4, '0')}`;
}

export async function createRequest(ctx: Ctx, input: CreateRequestInput) {
  const actor = ctx.actor!;
  if (!canCreateRequest(actor, actor.practiceId)) {
    throw new ForbiddenError('Only the support team or the privacy officer can record a new request.');
  }
  const [client] = await ctx.tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, input.clientId), eq(clients.practiceId, actor.practiceId)));
  if (!client)
    throw new BadRequestError('No such client.', [
      { path: 'body.clientId', message: 'No such client in this practice.' },
    ]);
  const therapistId = input.therapistId ?? client.therapistId;
  if (!therapistId) {
    throw new BadRequestError(
      'This client has no assigned therapist: choose the therapist for the request.',
      [{ path: 'body.therapistId', message: 'Required: the client has no assigned therapist.' }],
    );
  }
  const [therapist] = await ctx.tx
    .select({ roles: users.roles, active: users.active })
    .from(users)
    .where(and(eq(users.id, therapistId), eq(users.practiceId, actor.practiceId)));
  if (!therapist?.roles.includes('therapist')) {
    throw new BadRequestError("The request's therapist must be a therapist of this practice.", [
      { path: 'body.therapistId', message: 'Not a therapist of this practice.' },
    ]);
  }
  const receivedAt = new Date(input.receivedAt);
  // rule TIME-1: the legal clock starts at receipt; a receipt in the future is a typing mistake.
  if (receivedAt.getTime() > ctx.now.getTime() + 60_000) {
    throw new BadRequestError('The received date is in the future.', [
      { path: 'body.receivedAt', message: 'Cannot be later than now (TIME-1).' },
    ]);
  }
  const { settings, timeZone } = await practiceDurations(ctx.tx, actor.practiceId);
  // rule TIME-3: the packs in force on the receipt date; access gets the shorter deadline, even one
  // counsel has not yet confirmed (it is then a warning on the request).
  const packs = await rulesAtIntake(ctx, { ...input, practiceId: actor.practiceId, receivedAt, timeZone });
  const due = legalDue(input.kind, receivedAt, timeZone, {
    returnOrComplianceDate: input.documentDueDate ?? null,
    practiceTargetDays: settings.targetCalendarDays,
    accessCalendarDays: packs.accessCalendarDays,
  });
  if (!due.ok)
    throw new BadRequestError(due.message, [
      { path: 'body.documentDueDate', message: `${due.message} (${due.rule})` },
    ]);

  const number = await allocateNumber(
    ctx,
    actor.practiceId,
    Number(localDate(ctx.now, timeZone).slice(0, 4)),
  );
  const [row] = await ctx.tx
    .insert(requests)
    .values({
      practiceId: actor.practiceId,
      number,
      kind: input.kind,
      kindSubtype: input.kindSubtype ?? null,
      clientId: client.id,
      therapistId,
      requesterName: input.requester.name,
      requesterOrganization: input.requester.organization ?? null,
      requesterRelationship:
        input.requester.relationship ?? (input.kind === 'client_access' ? 'client' : null),
      requesterEmail: input.requester.email ?? null,
      requesterPhone: input.requester.phone ?? null,
      requesterAddress: input.requester.address ?? null,
      // rule KIND-2: the named recipient in its own fields (the portal's signing form reads them).
      recipientName: input.recipient?.name ?? null,
      recipientOrganization: input.recipient?.organization ?? null,
      recipientEmail: input.recipient?.email ?? null,
      recipientAddress: input.recipient?.address ?? null,
      documentClasses: input.documentClasses,
      dateFrom: input.dateFrom ?? null,
      dateTo: input.dateTo ?? null,
      purpose: input.purpose ?? null,
      deliverable: input.deliverable,
      deliveryFormat: input.deliveryFormat,
      receivedAt,
      channel: input.channel,
      neededBy: input.neededBy ?? null,
      documentDueDate: input.documentDueDate ?? null,
      legalDueAt: due.dueAt,
      legalDueBasis: due.basis,
      notes: input.notes ?? null,
      language: input.language ?? 'en',
      federalPackId: packs.federalPackId,
      statePackId: packs.statePackId,
      stage: 'request_made',
      createdBy: actor.id,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  const request = row!;
  const opened = await openTasks(ctx, { ...request, kind: input.kind }, tasksOnCreate());
  record(ctx, {
    type: 'request.created',
    requestId: request.id,
    clientId: client.id,
    data: {
      number,
      kind: input.kind,
      channel: input.channel,
      receivedAt: receivedAt.toISOString(),
      legalDueAt: due.dueAt.toISOString(),
      legalDueBasis: due.basis,
      rule: due.rule,
      rulePacks: packs.rules.packs.map((p) => `${p.jurisdiction} v${p.version}`),
      therapistId,
      opened: opened.map((t) => ({ id: t.id, type: t.type })),
    },
  });
  await send(ctx, 'thread.post-instructions', {
    requestId: request.id,
    practiceId: request.practiceId,
    action: 'created',
    stage: 'request_made',
    at: ctx.now.toISOString(),
    taskIds: opened.map((t) => t.id),
    key: randomUUID(),
  });
  // Issue 5, rule REL-2: the requester's acknowledgement (request number, what happens next, who to
  // contact), emailed in this transaction.
  await postRequesterNotice(ctx, request, 'requester_acknowledgement', `ack:${request.id}`);
  return request;
}
