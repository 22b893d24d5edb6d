// From thread message to email (issue 5; convention 6). Each thread message becomes at most one
// outbound email, with a stable Message-ID, recorded with its send job in one transaction:
// - `queueThreadEmails(ctx, ids)` runs in the transaction that posted the messages (instructions);
// - `dispatchPending(services)` picks up any message posted by code that does not call it (letters,
//   links, the ladder, staff messages): the thread message is itself the durable outbox, so nothing
//   committed is ever skipped, and the unique key on the message keeps it to one email.
// Without SMTP_URL the email is kept in the outbox (status 'outbox') and shown in the app.

import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gte, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { parsePracticeSettings } from '../../shared/schemas/practice-settings.js';
import type { Ctx, Services } from '../context.js';
import { SYSTEM_META } from '../context.js';
import type { Db } from '../db/connect.js';
import { clients, practices, requests, threadMessages, users } from '../db/schema.js';
import { mailState, mailThreadAddresses, outboundEmails } from '../db/schema-mail.js';
import { deliveryLinks } from '../db/schema-packets.js';
import { inTransaction } from '../db/tx.js';
import { send } from '../jobs/send.js';
import { issueStatusLink, statusLinkUrl } from '../portal/status-link.js';
import { bareAddress, messageIdFor, newReplyToken, replyAddress } from './addresses.js';
import {
  type ComposedEmail,
  composeEmail,
  initials,
  NOT_EMAILED_KINDS,
  paragraphs,
  requesterLink,
  requestLink,
} from './compose.js';
import { sealedBodyColumns } from './outbox-body.js';
import { internalParticipants, type Participant, requesterParticipants } from './participants.js';
import { answerDate, customInstructions, noticeValues } from './requester-notices.js';

export const MAIL_SEND = 'mail.send';

/**
 * Thread messages written before email shipped (migration 0006_mail) are not emailed on upgrade.
 * An administrator may move it with a row in mail_state (a migrated database keeps none, so that
 * `backup restore` finds it empty).
 */
export const MAIL_EPOCH = new Date('2026-11-28T09:37:17Z');

/** The reply address of a thread, created on first use. */
export async function threadToken(
  tx: Db,
  practiceId: string,
  requestId: string,
  thread: string,
): Promise<string> {
  await tx
    .insert(mailThreadAddresses)
    .values({ practiceId, requestId, thread, token: newReplyToken() })
    .onConflictDoNothing({ target: [mailThreadAddresses.requestId, mailThreadAddresses.thread] });
  const [row] = await tx
    .select({ token: mailThreadAddresses.token })
    .from(mailThreadAddresses)
    .where(and(eq(mailThreadAddresses.requestId, requestId), eq(mailThreadAddresses.thread, thread)));
  return row!.token;
}

type MessageRow = typeof threadMessages.$inferSelect;
type RequestRow = typeof requests.$inferSelect;

/** Who receives this message by email (never its author). */
async function recipientsFor(ctx: Ctx, message: MessageRow, request: RequestRow, authorEmail: string | null) {
  let list: Participant[];
  if (message.thread === 'internal') {
    list = await internalParticipants(ctx.tx, request);
  } else if (message.kind === 'secure_link' || message.kind === 'secure_link_code') {
    // The link's own recipient (who may not be the requester): from the link the message belongs to.
    const linkId = message.idempotencyKey?.match(/^delivery-link:([0-9a-f-]{36}):/)?.[1];
    const [link] = linkId
      ? await ctx.tx
          .select({ email: deliveryLinks.recipientEmail, name: deliveryLinks.recipientName })
          .from(deliveryLinks)
          .where(eq(deliveryLinks.id, linkId))
      : [];
    const email = bareAddress(link?.email ?? request.requesterEmail);
    list = email
      ? [{ email, userId: null, name: link?.name ?? request.requesterName, side: 'requester' }]
      : [];
  } else {
    const all = await requesterParticipants(ctx.tx, request);
    // A requester's own reply goes to support; anything else on the thread goes to the requester.
    const fromRequester =
      (message.kind === 'email_reply' || message.kind === 'portal_message') && message.authorId === null;
    list = all.filter((p) =>
      fromRequester
        ? p.side === 'staff'
        : p.side === 'requester' && p.email === bareAddress(request.requesterEmail),
    );
  }
  return list.filter((p) => p.email !== authorEmail).map((p) => p.email);
}

/** Kinds whose email is not about the request's status (a secure link, a code): no status link added. */
const NO_STATUS_LINK = ['secure_link', 'secure_link_code', 'portal_code'];

/**
 * Issue 7: the requester's email gets its own status link (a new token, only its hash stored, 90
 * days), in place of the plain portal address the thread message keeps, so the token is never on
 * the thread. Emails to staff and link or code emails are left as they are.
 */
async function withStatusLink(
  ctx: Ctx,
  message: MessageRow,
  request: RequestRow,
  recipients: readonly string[],
  composed: ComposedEmail,
): Promise<ComposedEmail> {
  const requester = bareAddress(request.requesterEmail);
  if (message.thread !== 'requester' || NO_STATUS_LINK.includes(message.kind)) return composed;
  if (!requester || !recipients.includes(requester)) return composed;
  const plain = requesterLink(ctx.services.config.publicUrl, request.number);
  if (!composed.text.includes(plain) && !composed.html.includes(plain)) return composed;
  const token = await issueStatusLink(ctx, {
    practiceId: request.practiceId,
    requestId: request.id,
    email: requester,
  });
  const url = statusLinkUrl(ctx.services.config.publicUrl, token);
  return {
    ...composed,
    text: composed.text.split(plain).join(url),
    html: composed.html.split(plain).join(url),
  };
}

/**
 * Create the email of each thread message (once) and queue its send job, in the caller's transaction.
 * `emailBodies` gives an email its own body in place of the message's (a portal code: the thread
 * says only that a code was sent; the code is in the email alone, read in the Outbox audited).
 */
export async function queueThreadEmails(
  ctx: Ctx,
  messageIds: readonly string[],
  emailBodies: Readonly<Record<string, string>> = {},
): Promise<number> {
  let queued = 0;
  const mail = ctx.services.config.mail;
  for (const messageId of messageIds) {
    const [message] = await ctx.tx.select().from(threadMessages).where(eq(threadMessages.id, messageId));
    if (!message || (NOT_EMAILED_KINDS as readonly string[]).includes(message.kind)) continue;
    const [request] = await ctx.tx.select().from(requests).where(eq(requests.id, message.requestId));
    if (!request) continue;
    const [practice] = await ctx.tx
      .select({
        name: practices.name,
        settings: practices.settings,
        timeZone: practices.timeZone,
        phone: practices.privacyOfficerPhone,
        email: practices.privacyOfficerEmail,
      })
      .from(practices)
      .where(eq(practices.id, request.practiceId));
    const [client] = await ctx.tx
      .select({ firstName: clients.firstName, lastName: clients.lastName })
      .from(clients)
      .where(eq(clients.id, request.clientId));
    const [author] = message.authorId
      ? await ctx.tx
          .select({ name: users.name, email: users.email })
          .from(users)
          .where(eq(users.id, message.authorId))
      : [];
    // An emailed reply from outside (authorId null) names its sender in its first line.
    const replySender =
      message.kind === 'email_reply' && !author
        ? (message.body.match(/^By email from (.+?):\n/)?.[1] ?? null)
        : null;
    const authorEmail = author ? author.email.toLowerCase() : bareAddress(replySender);
    const recipients = await recipientsFor(ctx, message, request, authorEmail);
    const token = await threadToken(ctx.tx, request.practiceId, request.id, message.thread);
    const [previous] = await ctx.tx
      .select({ messageId: outboundEmails.messageId, references: outboundEmails.references })
      .from(outboundEmails)
      .where(and(eq(outboundEmails.requestId, request.id), eq(outboundEmails.thread, message.thread)))
      .orderBy(desc(outboundEmails.createdAt))
      .limit(1);
    let composed = composeEmail({
      thread: message.thread as 'internal' | 'requester',
      kind: message.kind,
      subject: message.subject,
      body: emailBodies[message.id] ?? message.body,
      authorName: author?.name ?? (replySender ? replySender.replace(/\s*<[^>]*>$/, '') : null),
      writtenByPerson: Boolean(author) || message.kind === 'email_reply',
      requestNumber: request.number,
      requestId: request.id,
      clientInitials: client ? initials(client.firstName, client.lastName) : '?',
      practiceName: practice?.name ?? 'The practice',
      publicUrl: ctx.services.config.publicUrl,
      includeStaffMessageText: mail.includeStaffMessageText,
      language: request.language === 'es' ? 'es' : 'en',
    });
    // The practice's own words for the instructions email, when an admin wrote them (templates.ts).
    if (message.kind === 'instructions' && message.authorId === null) {
      const custom = customInstructions(parsePracticeSettings(practice?.settings).mailTemplates, {
        ...noticeValues({
          requestNumber: request.number,
          practice: {
            name: practice?.name ?? 'The practice',
            phone: practice?.phone ?? null,
            email: practice?.email ?? null,
          },
          dueDate: answerDate(request.legalDueAt, practice?.timeZone ?? 'UTC'),
          link: requestLink(ctx.services.config.publicUrl, request.id),
        }),
        instructions: message.body,
        clientInitials: client ? initials(client.firstName, client.lastName) : '?',
      });
      if (custom)
        composed = {
          subject: custom.subject,
          text: custom.text,
          html: paragraphs(custom.text),
          carriesCode: false,
        };
    }
    // Issue 7: an email to the requester carries a fresh status link to the portal (its own token).
    composed = await withStatusLink(ctx, message, request, recipients, composed);
    const id = randomUUID();
    const references = previous ? [...previous.references, previous.messageId].slice(-10) : [];
    const status = recipients.length === 0 ? 'no_recipients' : mail.smtpUrl ? 'queued' : 'outbox';
    const inserted = await ctx.tx
      .insert(outboundEmails)
      .values({
        id,
        practiceId: request.practiceId,
        requestId: request.id,
        threadMessageId: message.id,
        thread: message.thread,
        kind: message.kind,
        messageId: messageIdFor(mail, id),
        inReplyTo: previous?.messageId ?? null,
        references,
        replyTo: replyAddress(mail, token),
        recipients,
        subject: composed.subject,
        // rule SEC-4, SEC-5: the body (codes, link tokens, what staff wrote) is sealed at rest.
        ...sealedBodyColumns(ctx.services.config.masterKey, id, composed),
        carriesCode: composed.carriesCode,
        status,
        createdAt: ctx.now,
      })
      .onConflictDoNothing({ target: outboundEmails.threadMessageId })
      .returning({ id: outboundEmails.id });
    if (inserted.length === 0) continue;
    if (status === 'queued') {
      await send(ctx, MAIL_SEND, { outboundId: id }, { singletonKey: `mail:${id}` });
      queued += 1;
    }
  }
  return queued;
}

/**
 * Email every thread message posted since email began that has none yet, and re-queue the emails
 * whose retry is due. Runs every few seconds in the server (runtime.ts); tests call it directly.
 */
export async function dispatchPending(services: Services, limit = 200): Promise<number> {
  return inTransaction(services, SYSTEM_META, null, async (ctx) => {
    // One dispatcher at a time across instances; the unique key would stop doubles anyway.
    const [lock] = (
      await ctx.client.query("select pg_try_advisory_xact_lock(hashtext('release-desk:mail-dispatch')) as ok")
    ).rows as { ok: boolean }[];
    if (!lock?.ok) return 0;
    const [state] = await ctx.tx.select().from(mailState).where(eq(mailState.id, 1));
    const since = state?.dispatchSince ?? MAIL_EPOCH;
    const pending = await ctx.tx
      .select({ id: threadMessages.id, practiceId: threadMessages.practiceId })
      .from(threadMessages)
      .leftJoin(outboundEmails, eq(outboundEmails.threadMessageId, threadMessages.id))
      .where(and(isNull(outboundEmails.id), gte(threadMessages.createdAt, since)))
      .orderBy(asc(threadMessages.createdAt), asc(threadMessages.id))
      .limit(limit);
    let count = 0;
    for (const p of pending) {
      ctx.practiceId = p.practiceId;
      count += await queueThreadEmails(ctx, [p.id]);
    }
    // Retries that are due (the send job recorded the failure and when to try again).
    const due = await ctx.tx
      .select({ id: outboundEmails.id })
      .from(outboundEmails)
      .where(
        and(
          eq(outboundEmails.status, 'retrying'),
          isNotNull(outboundEmails.nextAttemptAt),
          lte(outboundEmails.nextAttemptAt, ctx.now),
        ),
      )
      .limit(limit);
    for (const d of due) {
      await ctx.tx.update(outboundEmails).set({ nextAttemptAt: null }).where(eq(outboundEmails.id, d.id));
      await send(ctx, MAIL_SEND, { outboundId: d.id }, { singletonKey: `mail:${d.id}:${Date.now()}` });
      count += 1;
    }
    return count;
  });
}

/** Emails the SMTP server has not taken yet (for the banner and the health of the mail system). */
export async function undeliveredCount(tx: Db, practiceId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.practiceId, practiceId),
        sql`${outboundEmails.status} in ('queued', 'retrying', 'failed')`,
      ),
    );
  return row?.n ?? 0;
}
