import type { z } from 'zod';
import type { postMessageSchema } from '../../shared/schemas/request-actions.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { threadMessages } from '../db/schema.js';
import { ForbiddenError } from '../errors.js';
import { canWriteToRequester } from '../policies/request-support.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

/**
 * A message on one of the request's two threads. Anyone who can see the request may write on the
 * internal thread; only support writes to the requester, and nothing internal ever reaches them.
 */
export async function postMessage(ctx: Ctx, requestId: string, input: z.infer<typeof postMessageSchema>) {
  const actor = ctx.actor!;
  const loaded = await findVisibleRequest(ctx, requestId);
  if (input.thread === 'requester' && !canWriteToRequester(actor)) {
    throw new ForbiddenError('Only the support team writes to the requester.', { requestId });
  }
  const [row] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: loaded.row.practiceId,
      requestId,
      thread: input.thread,
      authorId: actor.id,
      kind: 'message',
      subject: `Release of records ${loaded.row.number}`,
      body: input.body,
      createdAt: ctx.now,
    })
    .returning({ id: threadMessages.id });
  // rule SEC-5: the audit entry says a message was sent, not what it said.
  record(ctx, {
    type: 'thread.message_posted',
    requestId,
    data: { messageId: row!.id, thread: input.thread, kind: 'message' },
  });
  return row!;
}
