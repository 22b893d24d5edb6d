// Posting a requester notice (issue 5): the words come from requester-notices.ts (pure, REL-2/SEC-5)
// with the practice's own template when it wrote one; the message goes on the requester thread in
// the caller's transaction, once per idempotency key, and its email is queued in that same
// transaction (or kept in the outbox without SMTP).
import { eq } from 'drizzle-orm';
import { parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import type { Db } from '../db/connect.js';
import { practices, threadMessages } from '../db/schema.js';
import { requesterLink } from './compose.js';
import { queueThreadEmails } from './dispatch.js';
import {
  answerDate,
  type NoticeFacts,
  type PracticeContact,
  type RequesterNoticeKind,
  requesterNotice,
} from './requester-notices.js';
import { answerDateEs } from './requester-notices-es.js';

interface NoticeRequest {
  id: string;
  practiceId: string;
  number: string;
  kind: string;
  legalDueAt: Date;
  /** Issue 7: the requester's language ('en' when not given). */
  language?: string;
}

/**
 * rule REV-5, KIND-2: on a copy the client directs to someone else, the requester thread's address is
 * the named recipient's, not the client's: it hears only that the records were released; the
 * acknowledgement, the fee and any ending are the client's business (told by support or by letter).
 */
function toldOnRequesterThread(kind: string, notice: RequesterNoticeKind): boolean {
  return kind !== 'client_directed' || notice === 'requester_ready';
}

/**
 * Who the requester contacts: the practice's name and the privacy officer's phone and email (the
 * practice's records contact; the only contact details a practice keeps).
 */
export async function practiceContact(tx: Db, practiceId: string) {
  const [p] = await tx
    .select({
      name: practices.name,
      phone: practices.privacyOfficerPhone,
      email: practices.privacyOfficerEmail,
      timeZone: practices.timeZone,
      settings: practices.settings,
    })
    .from(practices)
    .where(eq(practices.id, practiceId));
  const contact: PracticeContact = {
    name: p?.name ?? 'The practice',
    phone: p?.phone ?? null,
    email: p?.email ?? null,
  };
  return { contact, timeZone: p?.timeZone ?? 'UTC', settings: parsePracticeSettings(p?.settings) };
}

/** Post a requester notice (once per key) and queue its email in the caller's transaction. */
export async function postRequesterNotice(
  ctx: Ctx,
  request: NoticeRequest,
  kind: RequesterNoticeKind,
  key: string,
  extra: Pick<NoticeFacts, 'feeTotalCents' | 'endStage' | 'method'> = {},
): Promise<string | null> {
  if (!toldOnRequesterThread(request.kind, kind)) return null;
  const { contact, timeZone, settings } = await practiceContact(ctx.tx, request.practiceId);
  // rule REL-2, SEC-5: only the request number, the answer date, the fee, what happens next and
  // who to contact; the template's placeholders allow nothing else.
  const notice = requesterNotice(
    kind,
    {
      requestNumber: request.number,
      practice: contact,
      dueDate:
        request.language === 'es'
          ? answerDateEs(request.legalDueAt, timeZone)
          : answerDate(request.legalDueAt, timeZone),
      link: requesterLink(ctx.services.config.publicUrl, request.number),
      ...extra,
    },
    settings.mailTemplates,
    request.language === 'es' ? 'es' : 'en',
  );
  const inserted = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: request.practiceId,
      requestId: request.id,
      thread: 'requester',
      authorId: null,
      kind,
      subject: notice.subject,
      body: notice.text,
      idempotencyKey: `requester-notice:${key}`,
      createdAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: threadMessages.id });
  const id = inserted[0]?.id ?? null;
  if (!id) return null;
  await queueThreadEmails(ctx, [id]);
  record(ctx, {
    type: 'thread.message_posted',
    requestId: request.id,
    data: { messageId: id, thread: 'requester', kind },
  });
  return id;
}
