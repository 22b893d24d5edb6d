import type { z } from 'zod';
import type { endRequestSchema, noRecordsSchema } from '../../shared/schemas/request-actions.js';
import type { Ctx } from '../context.js';
import { threadMessages } from '../db/schema.js';
import { NO_RECORDS_LETTER_NAME, noRecordsLetter } from '../letters/no-records-letter.js';
import { letterContext, storeLetter } from '../letters/store.js';
import { inlineWords, threadLanguage } from '../mail/requester-messages-es.js';
import { postRequesterNotice } from '../mail/requester-thread.js';
import { runTransition } from './support/transition.js';

/**
 * The message to the requester goes on the requester thread (sent by email once mail is set up); the
 * subject's words in the request's language (issue 7).
 */
async function tellRequester(
  ctx: Ctx,
  row: { id: string; practiceId: string; number: string; language: string },
  subject: string,
  body: string,
) {
  await ctx.tx.insert(threadMessages).values({
    practiceId: row.practiceId,
    requestId: row.id,
    thread: 'requester',
    authorId: ctx.actor!.id,
    kind: 'notice',
    subject: inlineWords(threadLanguage(row.language)).subject(row.number, subject),
    body,
    createdAt: ctx.now,
  });
}

/**
 * rule REV-7: when the practice holds none of the records, the request ends with a written answer,
 * saying so and, where known, where to ask instead: a letter kept on the request, and a message to
 * the requester that goes with it.
 */
export async function recordNoRecords(ctx: Ctx, requestId: string, input: z.infer<typeof noRecordsSchema>) {
  const whereToAsk = input.whereToAsk?.trim() || null;
  // Kept on the request for staff, in English.
  const answer = inlineWords('en').noRecordsAnswer(input.writtenAnswer, whereToAsk);
  return runTransition(ctx, requestId, {
    action: 'record_no_records',
    input: { writtenAnswer: input.writtenAnswer },
    requestChanges: { endReason: 'no_records', endLetter: answer },
    after: async ({ row }) => {
      const lc = await letterContext(ctx, row);
      const letter = await storeLetter(
        ctx,
        row,
        NO_RECORDS_LETTER_NAME,
        noRecordsLetter({
          ...lc.facts,
          asked: lc.asked(row.kind),
          received: lc.long(row.receivedAt),
          requested: { documentClasses: row.documentClasses, dateFrom: row.dateFrom, dateTo: row.dateTo },
          writtenAnswer: input.writtenAnswer,
          whereToAsk,
        }),
      );
      // Issue 7: Release Desk's words in the request's language; the written answer as typed.
      const words = inlineWords(threadLanguage(row.language));
      await tellRequester(
        ctx,
        row,
        words.noRecordsSubject,
        `${words.noRecordsAnswer(input.writtenAnswer, whereToAsk)}\n\n${words.letterAttached(letter.name)}`,
      );
      // Issue 5, rule REL-2: the status in plain words (the answer itself is read in the app).
      await postRequesterNotice(ctx, row, 'requester_status', `ended:${row.id}`, { endStage: 'no_records' });
      return { rule: 'REV-7', whereToAsk, letterFileId: letter.id };
    },
  });
}

/** Withdrawn (the requester no longer wants it) or cancelled: a reason, and a message to the requester. */
export async function endRequest(
  ctx: Ctx,
  requestId: string,
  action: 'withdraw' | 'cancel',
  input: z.infer<typeof endRequestSchema>,
) {
  const result = await runTransition(ctx, requestId, {
    action,
    input: { reason: input.reason, messageToRequester: input.messageToRequester },
    requestChanges: { endReason: input.reason, endLetter: input.messageToRequester },
    auditData: { reason: input.reason },
  });
  const { row } = result.loaded;
  // The staff's message as typed; the subject in the request's language.
  await tellRequester(
    ctx,
    row,
    inlineWords(threadLanguage(row.language)).ended(action),
    input.messageToRequester,
  );
  // Issue 5, rule REL-2: the status in plain words, emailed as is (the message above is read in the app).
  await postRequesterNotice(ctx, row, 'requester_status', `ended:${row.id}`, {
    endStage: action === 'withdraw' ? 'withdrawn' : 'cancelled',
  });
  return result;
}
