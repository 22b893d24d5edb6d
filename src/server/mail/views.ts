// What the staff screens read and do about mail (issue 5): the delivery state of a request's
// messages, the outbox (reading a code out by phone is audited), the triage queue and its two
// resolutions. Every function checks the pure policy first; a request goes through the scoped loader.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { record } from '../audit/record.js';
import type { Ctx } from '../context.js';
import { requests, threadMessages } from '../db/schema.js';
import { inboundEmails, outboundEmails } from '../db/schema-mail.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import { decideMail, type MailAction } from '../policies/mail.js';
import { findVisibleRequest } from '../queries/visible-requests.js';
import { bareAddress } from './addresses.js';
import { parseKept, postReply } from './inbound.js';
import { openOutboundBody } from './outbox-body.js';
import { participantsOf } from './participants.js';
import { describeUrl } from './transport.js';
import { trimReply } from './trim.js';

function authorize(ctx: Ctx, action: MailAction): void {
  const decision = decideMail(ctx.actor!, action);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
}

export interface DeliveryLabel {
  status: string;
  /** "sent", "not delivered yet, retrying", "failed: <reason>", "kept in the outbox (email is not set up)". */
  label: string;
}

export function deliveryLabel(row: { status: string; lastError: string | null }): DeliveryLabel {
  switch (row.status) {
    case 'sent':
      return { status: 'sent', label: 'sent' };
    case 'queued':
      return { status: 'queued', label: 'sending' };
    case 'retrying':
      return { status: 'retrying', label: 'not delivered yet, retrying' };
    case 'failed':
      return { status: 'failed', label: `failed: ${row.lastError ?? 'unknown reason'}` };
    case 'outbox':
      return { status: 'outbox', label: 'kept in the outbox (email is not set up)' };
    default:
      return { status: row.status, label: 'nobody on this thread has an email address' };
  }
}

export async function mailStatus(ctx: Ctx) {
  authorize(ctx, 'status');
  const mail = ctx.services.config.mail;
  const [counts] = await ctx.tx
    .select({
      outbox: sql<number>`count(*) filter (where ${outboundEmails.status} = 'outbox')::int`,
      undelivered: sql<number>`count(*) filter (where ${outboundEmails.status} in ('queued', 'retrying'))::int`,
      failed: sql<number>`count(*) filter (where ${outboundEmails.status} = 'failed')::int`,
    })
    .from(outboundEmails)
    .where(eq(outboundEmails.practiceId, ctx.actor!.practiceId));
  const [triage] = await ctx.tx
    .select({ n: sql<number>`count(*)::int` })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.practiceId, ctx.actor!.practiceId), eq(inboundEmails.status, 'triage')));
  return {
    delivering: Boolean(mail.smtpUrl),
    smtp: describeUrl(mail.smtpUrl),
    from: mail.from,
    receiving: {
      smtpPort: mail.inboundSmtpPort ?? null,
      imap: describeUrl(mail.imapUrl),
    },
    outbox: counts?.outbox ?? 0,
    undelivered: counts?.undelivered ?? 0,
    failed: counts?.failed ?? 0,
    triage: triage?.n ?? 0,
  };
}

/** The delivery state of each emailed message of a request the caller may see. */
export async function requestDelivery(ctx: Ctx, requestId: string) {
  const loaded = await findVisibleRequest(ctx, requestId);
  const rows = await ctx.tx
    .select()
    .from(outboundEmails)
    .where(eq(outboundEmails.requestId, loaded.row.id))
    .orderBy(desc(outboundEmails.createdAt));
  return rows.map((r) => ({
    id: r.id,
    threadMessageId: r.threadMessageId,
    thread: r.thread,
    kind: r.kind,
    recipients: r.recipients.length,
    attempts: r.attempts,
    sentAt: r.sentAt?.toISOString() ?? null,
    ...deliveryLabel(r),
  }));
}

/**
 * rule SEC-5: the status link in a requester email is the requester's key to the portal, and a secure
 * download link (`/links/<token>`, REL-2) the recipient's key to the packet; staff read the email in
 * the Outbox with the token masked (the email sent still carries it).
 */
export function maskStatusLinks(text: string): string {
  return text.replace(/\/links\/[A-Za-z0-9_-]+/g, '/links/[hidden]');
}

export async function listOutbox(ctx: Ctx, opts: { status?: string; limit?: number } = {}) {
  authorize(ctx, 'outbox.view');
  const rows = await ctx.tx
    .select({
      email: outboundEmails,
      number: requests.number,
    })
    .from(outboundEmails)
    .innerJoin(requests, eq(requests.id, outboundEmails.requestId))
    .where(
      and(
        eq(outboundEmails.practiceId, ctx.actor!.practiceId),
        opts.status ? eq(outboundEmails.status, opts.status) : undefined,
      ),
    )
    .orderBy(desc(outboundEmails.createdAt))
    .limit(Math.min(opts.limit ?? 100, 500));
  return rows.map(({ email: r, number }) => ({
    id: r.id,
    requestId: r.requestId,
    requestNumber: number,
    thread: r.thread,
    kind: r.kind,
    messageId: r.messageId,
    recipients: r.recipients,
    subject: r.subject,
    // A code is read out only on purpose (audited): the list never carries it (nor opens it).
    text: r.carriesCode ? null : maskStatusLinks(openOutboundBody(ctx.services.config.masterKey, r).text),
    carriesCode: r.carriesCode,
    attempts: r.attempts,
    createdAt: r.createdAt.toISOString(),
    sentAt: r.sentAt?.toISOString() ?? null,
    ...deliveryLabel(r),
  }));
}

/** Support reads a confirmation code out by phone when email is not set up (audited). */
export async function readOutboxCode(ctx: Ctx, id: string) {
  authorize(ctx, 'outbox.read_code');
  const [row] = await ctx.tx
    .select()
    .from(outboundEmails)
    .where(and(eq(outboundEmails.id, id), eq(outboundEmails.practiceId, ctx.actor!.practiceId)));
  if (!row) throw new NotFoundError('email', { id });
  if (!row.carriesCode) throw new ConflictError('This email carries no code.', { id });
  // rule SEC-5: the audit says who read which email's code, never the code.
  record(ctx, {
    type: 'mail.outbox_code_read',
    requestId: row.requestId,
    data: { outboundId: row.id, recipients: row.recipients.length, status: row.status },
  });
  return {
    id: row.id,
    recipients: row.recipients,
    text: openOutboundBody(ctx.services.config.masterKey, row).text,
  };
}

export async function listTriage(ctx: Ctx) {
  authorize(ctx, 'triage.view');
  const rows = await ctx.tx
    .select({ m: inboundEmails, number: requests.number })
    .from(inboundEmails)
    .leftJoin(requests, eq(requests.id, inboundEmails.requestId))
    .where(and(eq(inboundEmails.practiceId, ctx.actor!.practiceId), eq(inboundEmails.status, 'triage')))
    .orderBy(desc(inboundEmails.receivedAt))
    .limit(200);
  return rows.map(({ m, number }) => ({
    id: m.id,
    from: m.fromAddress,
    fromName: m.fromName,
    subject: m.subject,
    reason: m.reason,
    via: m.via,
    requestId: m.requestId,
    requestNumber: number,
    thread: m.thread,
    receivedAt: m.receivedAt.toISOString(),
    size: m.rawSize,
  }));
}

async function loadTriage(ctx: Ctx, id: string) {
  const [row] = await ctx.tx
    .select()
    .from(inboundEmails)
    .where(and(eq(inboundEmails.id, id), eq(inboundEmails.practiceId, ctx.actor!.practiceId)))
    .for('update');
  if (!row) throw new NotFoundError('email', { id });
  return row;
}

/** The text of a message waiting in triage (it may hold health information: the read is audited). */
export async function viewTriage(ctx: Ctx, id: string) {
  authorize(ctx, 'triage.view');
  const row = await loadTriage(ctx, id);
  const parsed = row.rawSealed ? await parseKept(ctx.services.config.masterKey, row.id, row.rawSealed) : null;
  record(ctx, { type: 'mail.triage_viewed', requestId: row.requestId, data: { inboundId: row.id } });
  return {
    id: row.id,
    from: row.fromAddress,
    subject: row.subject,
    reason: row.reason,
    status: row.status,
    text: parsed ? trimReply(parsed.text ?? '') : '',
    attachments: parsed
      ? parsed.attachments.map((a) => ({ name: a.filename ?? 'attachment', size: a.size }))
      : [],
  };
}

/** Support attaches a triaged message to a request's thread, on purpose; its files come along. */
export async function attachTriage(
  ctx: Ctx,
  id: string,
  input: { requestId: string; thread: 'internal' | 'requester' },
) {
  authorize(ctx, 'triage.resolve');
  const row = await loadTriage(ctx, id);
  if (row.status !== 'triage') throw new ConflictError(`This email was already ${row.status}.`, { id });
  if (!row.rawSealed)
    throw new ConflictError('This email was not kept (too large or unreadable): nothing to attach.', { id });
  const loaded = await findVisibleRequest(ctx, input.requestId, { forUpdate: true });
  const parsed = await parseKept(ctx.services.config.masterKey, row.id, row.rawSealed);
  const email = bareAddress(row.fromAddress) ?? 'unknown@invalid';
  const known = (await participantsOf(ctx.tx, loaded.row, input.thread)).find((p) => p.email === email);
  const sender = known ?? { email, userId: null, name: row.fromName ?? email, side: 'requester' as const };
  const outcome = await postReply(ctx, {
    inboundId: row.id,
    request: loaded.row,
    thread: input.thread,
    sender,
    parsed,
    row: { subject: row.subject, fromName: row.fromName, fromAddress: row.fromAddress },
    attachedBy: ctx.actor!,
  });
  await ctx.tx
    .update(inboundEmails)
    .set({
      status: 'attached',
      requestId: loaded.row.id,
      thread: input.thread,
      threadMessageId: outcome.threadMessageId,
      attachments: outcome.attachments,
      resolvedBy: ctx.actor!.id,
      resolvedAt: ctx.now,
    })
    .where(eq(inboundEmails.id, row.id));
  record(ctx, {
    type: 'mail.triage_resolved',
    requestId: loaded.row.id,
    data: {
      inboundId: row.id,
      resolution: 'attached',
      thread: input.thread,
      messageId: outcome.threadMessageId,
    },
  });
  return { threadMessageId: outcome.threadMessageId };
}

export async function dismissTriage(ctx: Ctx, id: string, reason: string) {
  authorize(ctx, 'triage.resolve');
  const row = await loadTriage(ctx, id);
  if (row.status !== 'triage') throw new ConflictError(`This email was already ${row.status}.`, { id });
  await ctx.tx
    .update(inboundEmails)
    .set({
      status: 'dismissed',
      reason: `${row.reason ?? ''}; dismissed: ${reason}`.slice(0, 500),
      resolvedBy: ctx.actor!.id,
      resolvedAt: ctx.now,
    })
    .where(eq(inboundEmails.id, row.id));
  record(ctx, {
    type: 'mail.triage_resolved',
    requestId: row.requestId,
    data: { inboundId: row.id, resolution: 'dismissed', reason },
  });
}

/** Thread messages of a request that came by email (for tests and the request page). */
export async function emailedReplies(ctx: Ctx, requestId: string) {
  return ctx.tx
    .select({ id: threadMessages.id, thread: threadMessages.thread })
    .from(threadMessages)
    .where(and(eq(threadMessages.requestId, requestId), inArray(threadMessages.kind, ['email_reply'])));
}
