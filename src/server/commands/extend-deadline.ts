// rule TIME-2: an access request's deadline may be extended once, by at most 30 days, only before it
// passes, and only with a written notice to the requester giving the reason and the new date.
import { eq } from 'drizzle-orm';
import { KIND_LABELS, type RequestKind } from '../../shared/request-kinds.js';
import { formatLocalDate, localDate } from '../../shared/time.js';
import { OPEN_STAGES, STAGE_LABELS, type Stage } from '../../shared/workflow-stages.js';
import { record } from '../audit/record.js';
import { checkExtension, isExtendable } from '../clocks/extension.js';
import { extensionNotice, longDate } from '../clocks/messages.js';
import type { ExtensionInput } from '../clocks/schema.js';
import type { Ctx } from '../context.js';
import { practices, requests, threadMessages } from '../db/schema.js';
import { BadRequestError, ConflictError, ForbiddenError } from '../errors.js';
import { EXTENSION_LETTER_NAME, extensionLetter } from '../letters/extension-notice.js';
import { letterContext, storeLetter } from '../letters/store.js';
import { extensionNoticeEs, threadLanguage } from '../mail/requester-messages-es.js';
import { canExtendDeadline } from '../policies/request-support.js';
import { findVisibleRequest } from '../queries/visible-requests.js';

export async function extendDeadline(ctx: Ctx, requestId: string, input: ExtensionInput): Promise<void> {
  const actor = ctx.actor!;
  const { row } = await findVisibleRequest(ctx, requestId, { forUpdate: true });
  if (!canExtendDeadline(actor)) {
    throw new ForbiddenError('Only the support team or the privacy officer can extend a deadline (TIME-2).', {
      requestId,
    });
  }
  const kind = row.kind as RequestKind;
  // rule TIME-2: the extension exists for access requests only (KIND-1, KIND-2, KIND-6).
  if (!isExtendable(kind)) {
    throw new ConflictError(
      `Only access requests can be extended (TIME-2); a request of kind "${KIND_LABELS[kind]}" has no extension.`,
      { requestId, kind, rule: 'TIME-2' },
    );
  }
  const stage = row.stage as Stage;
  if (!(OPEN_STAGES as readonly Stage[]).includes(stage)) {
    throw new ConflictError(
      `This request has ended (${STAGE_LABELS[stage]}): there is no deadline to extend (TIME-2).`,
      {
        stage,
        requestId,
        rule: 'TIME-2',
      },
    );
  }
  const [practice] = await ctx.tx.select().from(practices).where(eq(practices.id, row.practiceId));
  const tz = practice?.timeZone ?? 'UTC';
  // rule TIME-2: once, before the deadline, at most 30 days after the original date.
  const check = checkExtension(
    {
      rule: 'TIME-2',
      dueAt: row.legalDueAt,
      originalDueAt: row.originalLegalDueAt,
      extendedAt: row.extendedAt,
    },
    input.newDueDate,
    ctx.now,
    tz,
  );
  if (!check.ok) {
    if (check.status === 409) throw new ConflictError(check.message, { requestId, rule: 'TIME-2' });
    throw new BadRequestError(check.message, [{ path: 'body.newDueDate', message: check.message }]);
  }
  await ctx.tx
    .update(requests)
    .set({
      originalLegalDueAt: row.legalDueAt,
      extendedAt: ctx.now,
      extensionReason: input.reason,
      legalDueAt: check.newDueAt,
      updatedAt: ctx.now,
    })
    .where(eq(requests.id, row.id));

  // rule TIME-2: the written notice as a letter (reason, original and new date, the only extension,
  // who to contact), kept on the request as a 'letter' file in this same transaction.
  const received = longDate(localDate(row.receivedAt, tz));
  const originalDue = longDate(localDate(row.legalDueAt, tz));
  const newDue = longDate(input.newDueDate);
  const { facts, long, day } = await letterContext(ctx, row);
  const letter = await storeLetter(
    ctx,
    row,
    EXTENSION_LETTER_NAME,
    // Issue 7: the letter's dates in the request's language (the same days as above).
    extensionLetter({
      ...facts,
      received: long(row.receivedAt),
      originalDue: long(row.legalDueAt),
      newDue: day(input.newDueDate),
      reason: input.reason,
    }),
  );

  // rule TIME-2: the written notice (reason and new date), in plain words, on the requester's thread.
  const contact = [practice?.privacyOfficerName, practice?.privacyOfficerPhone, practice?.privacyOfficerEmail]
    .filter(Boolean)
    .join(', ');
  const noticeText = {
    requesterName: row.requesterName,
    number: row.number,
    received,
    originalDue,
    newDue,
    reason: input.reason,
    practiceName: practice?.name ?? 'The practice',
    contact: contact || null,
    letterName: letter.name,
  };
  // Issue 7: in Spanish for a Spanish request, with the dates written in Spanish (the same days).
  const notice =
    threadLanguage(row.language) === 'es'
      ? extensionNoticeEs({
          ...noticeText,
          received: long(row.receivedAt),
          originalDue: long(row.legalDueAt),
          newDue: day(input.newDueDate),
        })
      : extensionNotice(noticeText);
  const [message] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: row.practiceId,
      requestId: row.id,
      thread: 'requester',
      authorId: actor.id,
      kind: 'extension_notice',
      subject: notice.subject,
      body: notice.body,
      idempotencyKey: `extension:${row.id}`,
      createdAt: ctx.now,
    })
    .returning({ id: threadMessages.id });
  record(ctx, {
    type: 'request.deadline_extended',
    requestId: row.id,
    clientId: row.clientId,
    data: {
      rule: 'TIME-2',
      from: row.legalDueAt.toISOString(),
      to: check.newDueAt.toISOString(),
      newDueDate: input.newDueDate,
      newDue: formatLocalDate(input.newDueDate),
      reason: input.reason,
      noticeMessageId: message!.id,
      letterFileId: letter.id,
    },
  });
}
