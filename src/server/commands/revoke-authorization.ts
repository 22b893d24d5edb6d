import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { recordRevocationSchema } from '../../shared/schemas/authorizations.js';
import { localDate } from '../../shared/time.js';
import { OPEN_STAGES } from '../../shared/workflow.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { practices, requests, threadMessages } from '../db/schema.js';
import { authorizations } from '../db/schema-rules.js';
import { disableLinksRelyingOn } from '../delivery/revoke.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { inlineWords, threadLanguage } from '../mail/requester-messages-es.js';
import { namesOf, validate } from '../queries/authorizations.js';
import { isSameSignedForm } from '../rules/authorization.js';
import { loadForCompliance } from './record-authorization.js';

const INTERNAL_NOTICE = (number: string, receivedAt: string) =>
  `The client revoked in writing the authorization that request ${number} relies on (received ${receivedAt}). ` +
  'Release is blocked from that moment (AUTH-5): nothing may go out on it. Anything already released in ' +
  'reliance on it stays released. If the client signs a new authorization, record it on the request.';

/**
 * rule AUTH-5: a revocation is effective from receipt, in writing. It blocks at once every pending
 * release relying on the authorization (the release gate reads revocations at release time): the
 * same signed form recorded on any of the client's requests is marked revoked, and each open
 * request relying on it is told, on its internal thread and on the requester thread, and audited.
 */
export async function revokeAuthorization(
  ctx: Ctx,
  requestId: string,
  authorizationId: string,
  input: z.infer<typeof recordRevocationSchema>,
) {
  const loaded = await loadForCompliance(ctx, requestId);
  const { row } = loaded;
  const [auth] = await ctx.tx
    .select()
    .from(authorizations)
    .where(
      and(
        eq(authorizations.id, authorizationId),
        eq(authorizations.requestId, row.id),
        eq(authorizations.practiceId, row.practiceId),
      ),
    )
    .for('update');
  if (!auth) throw new NotFoundError('authorization', { requestId, authorizationId });
  if (auth.revocationReceivedAt) {
    throw new ConflictError(
      `This authorization was already revoked (received ${auth.revocationReceivedAt.toISOString()}); nothing was changed (AUTH-5).`,
      { requestId, authorizationId, rule: 'AUTH-5' },
    );
  }
  const receivedAt = new Date(input.receivedAt);
  const [practice] = await ctx.tx
    .select({ tz: practices.timeZone })
    .from(practices)
    .where(eq(practices.id, row.practiceId));
  const receivedOn = localDate(receivedAt, practice?.tz ?? 'UTC');
  if (receivedAt.getTime() > ctx.now.getTime() || (auth.signedOn && receivedOn < auth.signedOn)) {
    const message =
      receivedAt.getTime() > ctx.now.getTime()
        ? 'A revocation cannot be received in the future: it is effective from receipt (AUTH-5).'
        : `A revocation cannot be received before the authorization was signed (${auth.signedOn}) (AUTH-5).`;
    throw new BadRequestError(message, [{ path: 'body.receivedAt', message }]);
  }

  // The same signed form relied on by the client's other requests (recorded there as well).
  const candidates = await ctx.tx
    .select()
    .from(authorizations)
    .where(
      and(
        eq(authorizations.practiceId, row.practiceId),
        eq(authorizations.clientId, auth.clientId),
        isNull(authorizations.revocationReceivedAt),
      ),
    );
  const revoked = candidates.filter((c) => c.id === auth.id || isSameSignedForm(auth, c));
  const requestIds = [...new Set(revoked.map((c) => c.requestId))].sort();
  // Lock every request relying on it, so a release in flight either finished first (acted in
  // reliance) or sees the revocation.
  const affected = await ctx.tx
    .select({
      id: requests.id,
      number: requests.number,
      stage: requests.stage,
      clientId: requests.clientId,
      language: requests.language,
    })
    .from(requests)
    .where(and(eq(requests.practiceId, row.practiceId), inArray(requests.id, requestIds)))
    .orderBy(asc(requests.id))
    .for('update');
  await ctx.tx
    .update(authorizations)
    .set({ revocationReceivedAt: receivedAt, revokedBy: ctx.actor!.id, revocationNote: input.note })
    .where(
      inArray(
        authorizations.id,
        revoked.map((c) => c.id),
      ),
    );
  // rule AUTH-5: every secure link relying on it that could still be used is disabled now.
  await disableLinksRelyingOn(
    ctx,
    revoked.map((c) => c.id),
  );

  const open = affected.filter((r) => (OPEN_STAGES as readonly string[]).includes(r.stage));
  for (const r of affected) {
    const isOpen = open.includes(r);
    const messages = isOpen ? await tellEveryone(ctx, row.practiceId, r, input.receivedAt) : [];
    record(ctx, {
      type: 'authorization.revoked',
      requestId: r.id,
      clientId: r.clientId,
      data: {
        authorizationIds: revoked.filter((c) => c.requestId === r.id).map((c) => c.id),
        revokedOn: row.id,
        receivedAt: receivedAt.toISOString(),
        releaseBlocked: isOpen,
      },
    });
    for (const m of messages) {
      record(ctx, {
        type: 'thread.message_posted',
        requestId: r.id,
        data: { messageId: m.id, thread: m.thread, kind: 'notice', after: 'authorization.revoked' },
      });
    }
  }
  const updated = {
    ...auth,
    revocationReceivedAt: receivedAt,
    revokedBy: ctx.actor!.id,
    revocationNote: input.note,
  };
  return {
    authorization: validate(updated, localDate(ctx.now, practice?.tz ?? 'UTC'), ctx.now),
    affectedRequests: open.map((r) => ({ id: r.id, number: r.number })),
    people: await namesOf(ctx, row.practiceId, [auth.createdBy, ctx.actor!.id]),
  };
}

/** rule AUTH-5: "tells everyone on the request": the staff thread and the requester. */
async function tellEveryone(
  ctx: Ctx,
  practiceId: string,
  r: { id: string; number: string; language: string },
  receivedAt: string,
) {
  const { id: requestId, number } = r;
  // Issue 7: the requester's notice in the request's language.
  const words = inlineWords(threadLanguage(r.language));
  const told = words.revoked(number);
  return ctx.tx
    .insert(threadMessages)
    .values([
      {
        practiceId,
        requestId,
        thread: 'internal',
        authorId: null,
        kind: 'notice',
        subject: `Release of records ${number}: authorization revoked`,
        body: INTERNAL_NOTICE(number, receivedAt),
        createdAt: ctx.now,
      },
      {
        practiceId,
        requestId,
        thread: 'requester',
        authorId: null,
        kind: 'notice',
        subject: words.subject(number, told.what),
        body: told.body,
        createdAt: ctx.now,
      },
    ])
    .returning({ id: threadMessages.id, thread: threadMessages.thread });
}
