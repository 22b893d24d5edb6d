import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { DOCUMENT_CLASSES, type RequestKind } from '../../shared/request-kinds.js';
import type { mergeDuplicateSchema } from '../../shared/schemas/request-actions.js';
import { legalDue } from '../../shared/time.js';
import { OPEN_STAGES } from '../../shared/workflow.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { requests, threadMessages } from '../db/schema.js';
import { BadRequestError } from '../errors.js';
import { inlineWords, threadLanguage } from '../mail/requester-messages-es.js';
import { findVisibleRequest } from '../queries/visible-requests.js';
import { duplicatesOf } from '../rules/red-flags.js';
import { practiceDurations } from './support/tasks.js';
import { runTransition } from './support/transition.js';

/**
 * rule REV-6 (a second request for the same records: merge it, don't restart the clock) and
 * TIME-1 (the legal clock starts at the first receipt, on any channel): the newer request ends
 * (withdrawn, superseded) and the earlier one keeps the earliest received-at and asks for all the
 * records either asked for.
 */
export async function mergeDuplicate(
  ctx: Ctx,
  requestId: string,
  input: z.infer<typeof mergeDuplicateSchema>,
) {
  const target = await findVisibleRequest(ctx, input.intoRequestId, { forUpdate: true });
  const result = await runTransition(ctx, requestId, {
    action: 'withdraw',
    input: {
      reason: `Merged into ${target.row.number}`,
      messageToRequester: `We have combined this request with your earlier request ${target.row.number} and will answer both there.`,
    },
    check: async (loaded) => {
      const candidates = await duplicatesOf(ctx.tx, loaded.row);
      const open = (OPEN_STAGES as readonly string[]).includes(target.row.stage);
      if (!open || !candidates.some((c) => c.id === target.row.id)) {
        throw new BadRequestError(
          `${target.row.number} is not an open request for the same client, requester and records.`,
          [{ path: 'body.intoRequestId', message: 'Choose an open request for the same records (REV-6).' }],
        );
      }
    },
    requestChanges: {
      duplicateOfId: target.row.id,
      endReason: `Merged into ${target.row.number}`,
      endLetter: `We have combined this request with your earlier request ${target.row.number} and will answer both there.`,
    },
    auditData: { mergedInto: target.row.id, mergedIntoNumber: target.row.number },
  });
  const dup = result.loaded.row;
  // Issue 7: in the request's language.
  const words = inlineWords(threadLanguage(dup.language));
  const merged = words.merged(target.row.number);
  await ctx.tx.insert(threadMessages).values({
    practiceId: dup.practiceId,
    requestId: dup.id,
    thread: 'requester',
    authorId: ctx.actor!.id,
    kind: 'notice',
    subject: words.subject(dup.number, merged.what),
    body: merged.body,
    createdAt: ctx.now,
  });

  // The earlier request asks for everything either asked for, over both date ranges.
  const classes = DOCUMENT_CLASSES.filter(
    (c) => target.row.documentClasses.includes(c) || dup.documentClasses.includes(c),
  );
  const dateFrom = minDate(target.row.dateFrom, dup.dateFrom);
  const dateTo = maxDate(target.row.dateTo, dup.dateTo);
  const changes: Partial<typeof requests.$inferInsert> = {
    documentClasses: classes,
    dateFrom,
    dateTo,
    updatedAt: ctx.now,
  };
  if (dup.receivedAt < target.row.receivedAt) {
    // rule TIME-1: the clock runs from the first receipt; changing it is audited with the reason.
    const { settings, timeZone } = await practiceDurations(ctx.tx, target.row.practiceId);
    const due = legalDue(target.row.kind as RequestKind, dup.receivedAt, timeZone, {
      returnOrComplianceDate: target.row.documentDueDate,
      practiceTargetDays: settings.targetCalendarDays,
    });
    changes.receivedAt = dup.receivedAt;
    if (due.ok && !target.row.extendedAt) changes.legalDueAt = due.dueAt;
    record(ctx, {
      type: 'request.received_at_changed',
      requestId: target.row.id,
      clientId: target.row.clientId,
      data: {
        from: target.row.receivedAt.toISOString(),
        to: dup.receivedAt.toISOString(),
        reason: `${dup.number}, merged into this request, reached the practice first`,
      },
    });
  }
  await ctx.tx.update(requests).set(changes).where(eq(requests.id, target.row.id));
  await ctx.tx.insert(threadMessages).values({
    practiceId: target.row.practiceId,
    requestId: target.row.id,
    thread: 'internal',
    authorId: ctx.actor!.id,
    kind: 'note',
    subject: `Release of records ${target.row.number}`,
    body: `${dup.number} from the same requester was merged into this request. It now covers everything either asked for.`,
    createdAt: ctx.now,
  });
  record(ctx, {
    type: 'request.merged',
    requestId: target.row.id,
    clientId: target.row.clientId,
    data: { merged: dup.id, mergedNumber: dup.number },
  });
  return result;
}

// ISO dates (YYYY-MM-DD) compare as strings; Math.min/max would turn them into NaN.
function minDate(a: string | null, b: string | null): string | null {
  if (!a || !b) return null; // either asked for everything from the start
  return a < b ? a : b;
}

function maxDate(a: string | null, b: string | null): string | null {
  if (!a || !b) return null; // either asked for everything up to now
  return a > b ? a : b;
}
