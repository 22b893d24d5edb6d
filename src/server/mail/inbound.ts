// Inbound email (issue 5): every message received, by the built-in SMTP receiver or from the IMAP
// mailbox, goes through `receiveEmail`. It is kept whole (sealed), then:
// - an auto-reply, bounce or list copy is set aside ('loop'), never posted, never answered;
// - the same Message-ID again is dropped ('duplicate');
// - it is matched to its thread by the plus token of the reply address, then In-Reply-To, then
//   References, then the request number in the subject;
// - from a participant of that thread it is posted there (quoted history and signature trimmed for
//   display), its attachments become files of the request through the staff upload's own check
//   (attachments.ts: images made upright PDF pages, damaged, disguised, bomb and protected files
//   refused and reported to the sender);
// - anything else (a stranger, nothing matched) waits in the triage queue for support: never
//   dropped, never silently attached.
import { createHash, hkdfSync, randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { record } from '../audit/record.js';
import type { Actor, Ctx, Services } from '../context.js';
import { SYSTEM_META } from '../context.js';
import { seal, unsealWithRing } from '../crypto/seal.js';
import type { Db } from '../db/connect.js';
import { practices, requests, threadMessages, users } from '../db/schema.js';
import { inboundEmails, mailThreadAddresses, outboundEmails } from '../db/schema-mail.js';
import { inTransaction } from '../db/tx.js';
import { bareAddress, normalizeMessageId, normalizeReferences, tokensIn } from './addresses.js';
import { queueRefusal, storeAttachments } from './attachments.js';
import { queueThreadEmails } from './dispatch.js';
import { automaticReason } from './loops.js';
import { type Participant, participantsOf } from './participants.js';
import { trimReply } from './trim.js';

export interface Envelope {
  via: 'smtp' | 'imap';
  /** MAIL FROM ('' for a bounce's null sender), when known. */
  mailFrom?: string | null;
  /** RCPT TO addresses, when known (the receiver knows them; IMAP uses the headers). */
  rcptTo?: string[];
  /** IMAP: a message over the size limit, not downloaded (recorded with its size). */
  tooLargeBytes?: number;
}

export interface ReceiveResult {
  inboundId: string | null;
  status: 'threaded' | 'triage' | 'loop' | 'duplicate' | 'malformed';
  requestId: string | null;
  thread: string | null;
  threadMessageId: string | null;
}

export { MAX_ATTACHMENTS } from './attachments.js';

const REQUEST_NUMBER = /\bR-\d{4}-\d{4,}\b/;

export function inboundKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'release-desk inbound-mail v1', 32));
}

export function sealRaw(masterKey: Buffer, id: string, raw: Buffer): Buffer {
  return seal(inboundKey(masterKey), raw, `inbound:${id}`);
}

export function openRaw(masterKey: Buffer, id: string, sealed: Buffer): Buffer {
  return unsealWithRing(masterKey, 'inbound-mail', sealed, `inbound:${id}`); // either key during keys rotate
}

function addressesOf(field: ParsedMail['to']): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

function headerGetter(parsed: ParsedMail) {
  const lines = new Map<string, string>();
  for (const h of parsed.headerLines) {
    const value = h.line.slice(h.line.indexOf(':') + 1).trim();
    if (!lines.has(h.key)) lines.set(h.key, value);
  }
  return (name: string) => lines.get(name.toLowerCase());
}

interface Match {
  requestId: string;
  thread: 'internal' | 'requester' | null;
  matchedBy: 'token' | 'in_reply_to' | 'references' | 'subject';
}

async function matchThread(
  ctx: Ctx,
  parsed: ParsedMail,
  rcpt: string[],
  from: string | null,
): Promise<Match | null> {
  const mail = ctx.services.config.mail;
  const get = headerGetter(parsed);
  const candidates = [
    ...rcpt,
    ...addressesOf(parsed.to),
    ...addressesOf(parsed.cc),
    ...['delivered-to', 'x-original-to', 'envelope-to'].flatMap((h) => (get(h) ? [get(h)!] : [])),
  ];
  const tokens = tokensIn(mail, candidates);
  if (tokens.length > 0) {
    const [row] = await ctx.tx
      .select({ requestId: mailThreadAddresses.requestId, thread: mailThreadAddresses.thread })
      .from(mailThreadAddresses)
      .where(inArray(mailThreadAddresses.token, tokens));
    if (row) return { requestId: row.requestId, thread: row.thread as Match['thread'], matchedBy: 'token' };
  }
  const byMessageId = async (ids: string[]) => {
    if (ids.length === 0) return null;
    const [row] = await ctx.tx
      .select({ requestId: outboundEmails.requestId, thread: outboundEmails.thread })
      .from(outboundEmails)
      .where(inArray(outboundEmails.messageId, ids));
    return row ?? null;
  };
  const inReplyTo = normalizeMessageId(parsed.inReplyTo);
  const direct = inReplyTo ? await byMessageId([inReplyTo]) : null;
  if (direct)
    return {
      requestId: direct.requestId,
      thread: direct.thread as Match['thread'],
      matchedBy: 'in_reply_to',
    };
  const refs = await byMessageId(normalizeReferences(parsed.references).reverse());
  if (refs)
    return { requestId: refs.requestId, thread: refs.thread as Match['thread'], matchedBy: 'references' };
  const number = parsed.subject?.match(REQUEST_NUMBER)?.[0];
  if (number) {
    const rows = await ctx.tx
      .select({ id: requests.id, practiceId: requests.practiceId })
      .from(requests)
      .where(eq(requests.number, number));
    // The same number can exist in several practices: the sender's own practice decides.
    let chosen = rows.length === 1 ? rows[0] : undefined;
    if (!chosen && from && rows.length > 1) {
      const staff = await ctx.tx
        .select({ practiceId: users.practiceId })
        .from(users)
        .where(sql`lower(${users.email}) = ${from}`);
      chosen = rows.find((r) => staff.some((s) => s.practiceId === r.practiceId));
    }
    if (chosen) return { requestId: chosen.id, thread: null, matchedBy: 'subject' };
  }
  return null;
}

/** The practice of a message that matched nothing: the only practice, when there is one. */
async function soloPractice(tx: Db): Promise<string | null> {
  const rows = await tx.select({ id: practices.id }).from(practices).limit(2);
  return rows.length === 1 ? rows[0]!.id : null;
}

export async function receiveEmail(
  services: Services,
  raw: Buffer,
  envelope: Envelope,
): Promise<ReceiveResult> {
  const mail = services.config.mail;
  const id = randomUUID();
  const base = {
    id,
    via: envelope.via,
    rawSize: envelope.tooLargeBytes ?? raw.length,
    receivedAt: services.now(),
  };
  let parsed: ParsedMail | null = null;
  if (raw.length <= mail.maxMessageBytes && !envelope.tooLargeBytes) {
    try {
      parsed = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2 * 1024 * 1024 });
    } catch {
      parsed = null;
    }
  }
  if (!parsed || (!parsed.from && parsed.headerLines.length === 0)) {
    const size = envelope.tooLargeBytes ?? raw.length;
    const reason = size > mail.maxMessageBytes ? `too large (${size} bytes)` : 'not a parseable email';
    return inTransaction(services, SYSTEM_META, null, async (ctx) => {
      const practiceId = await soloPractice(ctx.tx);
      ctx.practiceId = practiceId;
      await ctx.tx.insert(inboundEmails).values({
        ...base,
        practiceId,
        dedupeKey: `sha256:${sha256(raw)}`,
        status: 'malformed',
        reason,
        rawSealed:
          raw.length > 0 && raw.length <= mail.maxMessageBytes
            ? sealRaw(services.config.masterKey, id, raw)
            : null,
      });
      record(ctx, {
        type: 'mail.received',
        data: { inboundId: id, via: envelope.via, status: 'malformed', reason },
      });
      return { inboundId: id, status: 'malformed', requestId: null, thread: null, threadMessageId: null };
    });
  }
  const p = parsed;
  const messageId = normalizeMessageId(p.messageId);
  const dedupeKey = messageId ?? `sha256:${sha256(raw)}`;
  const fromAddress = bareAddress(p.from?.value[0]?.address ?? null);
  const fromName = p.from?.value[0]?.name || null;
  const get = headerGetter(p);
  const ownFrom = bareAddress(mail.from);
  const loop = automaticReason(
    {
      get,
      envelopeFrom: envelope.mailFrom ?? null,
      fromAddress,
      contentType: get('content-type') ?? null,
    },
    ownFrom ? [ownFrom] : [],
  );

  return inTransaction(services, SYSTEM_META, null, async (ctx) => {
    // One message at a time per Message-ID (two pollers, a retried delivery).
    await ctx.client.query('select pg_advisory_xact_lock(hashtext($1))', [`inbound:${dedupeKey}`]);
    const [seen] = await ctx.tx
      .select({ id: inboundEmails.id })
      .from(inboundEmails)
      .where(and(eq(inboundEmails.dedupeKey, dedupeKey), sql`${inboundEmails.status} <> 'malformed'`))
      .limit(1);
    if (seen)
      return {
        inboundId: seen.id,
        status: 'duplicate',
        requestId: null,
        thread: null,
        threadMessageId: null,
      };

    const rcpt = envelope.rcptTo ?? [];
    const match = loop ? null : await matchThread(ctx, p, rcpt, fromAddress);
    const row = {
      ...base,
      messageId,
      dedupeKey,
      inReplyTo: normalizeMessageId(p.inReplyTo),
      references: normalizeReferences(p.references),
      fromAddress,
      fromName,
      recipients: [
        ...new Set([...rcpt, ...addressesOf(p.to), ...addressesOf(p.cc)].map((a) => a.toLowerCase())),
      ],
      subject: (p.subject ?? '').slice(0, 500),
      rawSealed: sealRaw(services.config.masterKey, id, raw),
    };
    if (loop) {
      const practiceId = await soloPractice(ctx.tx);
      ctx.practiceId = practiceId;
      await ctx.tx.insert(inboundEmails).values({ ...row, practiceId, status: 'loop', reason: loop });
      record(ctx, {
        type: 'mail.received',
        data: { inboundId: id, via: envelope.via, status: 'loop', reason: loop },
      });
      return { inboundId: id, status: 'loop', requestId: null, thread: null, threadMessageId: null };
    }

    const [request] = match
      ? await ctx.tx.select().from(requests).where(eq(requests.id, match.requestId))
      : [];
    const triage = async (reason: string, practiceId: string | null, thread: string | null) => {
      ctx.practiceId = practiceId;
      await ctx.tx.insert(inboundEmails).values({
        ...row,
        practiceId,
        requestId: request?.id ?? null,
        thread,
        matchedBy: match?.matchedBy ?? null,
        status: 'triage',
        reason,
      });
      record(ctx, {
        type: 'mail.received',
        requestId: request?.id ?? null,
        data: {
          inboundId: id,
          via: envelope.via,
          status: 'triage',
          reason,
          matchedBy: match?.matchedBy ?? null,
        },
      });
      return {
        inboundId: id,
        status: 'triage' as const,
        requestId: request?.id ?? null,
        thread,
        threadMessageId: null,
      };
    };
    if (!request || !match) return triage('matches no request', await soloPractice(ctx.tx), null);
    if (!fromAddress) return triage('no sender address', request.practiceId, match.thread);

    // The sender must be on the thread it came to; a subject match picks the thread by the sender.
    let thread = match.thread;
    let sender: Participant | undefined;
    for (const t of thread ? [thread] : (['requester', 'internal'] as const)) {
      sender = (await participantsOf(ctx.tx, request, t)).find((x) => x.email === fromAddress);
      if (sender) {
        thread = t;
        break;
      }
    }
    if (!sender || !thread) {
      return triage(
        match.thread
          ? `the sender is not a participant of the ${match.thread} thread`
          : 'the sender is not a participant of the request',
        request.practiceId,
        match.thread,
      );
    }
    ctx.practiceId = request.practiceId;
    const outcome = await postReply(ctx, { inboundId: id, request, thread, sender, parsed: p, row });
    await ctx.tx.insert(inboundEmails).values({
      ...row,
      practiceId: request.practiceId,
      requestId: request.id,
      thread,
      matchedBy: match.matchedBy,
      status: 'threaded',
      attachments: outcome.attachments,
      threadMessageId: outcome.threadMessageId,
    });
    return {
      inboundId: id,
      status: 'threaded',
      requestId: request.id,
      thread,
      threadMessageId: outcome.threadMessageId,
    };
  });
}

interface PostReplyInput {
  inboundId: string;
  request: typeof requests.$inferSelect;
  thread: 'internal' | 'requester';
  sender: Participant;
  parsed: ParsedMail;
  row: { subject: string; fromName: string | null; fromAddress: string | null };
  /** Triage: the support member who attached it. */
  attachedBy?: Actor;
}

/** Post an emailed reply on its thread, store its attachments, notify the other participants. */
export async function postReply(ctx: Ctx, input: PostReplyInput) {
  const { request, thread, sender, parsed } = input;
  const text = parsed.text ?? (parsed.html ? htmlToText(parsed.html) : '');
  const trimmed = trimReply(text).slice(0, 20_000);
  const staff = sender.side === 'staff' && sender.userId;
  const label = `${input.row.fromName || sender.name} <${sender.email}>`;
  const attachments = await storeAttachments(ctx, input);
  const listed = attachments.map((a) =>
    a.fileId ? `- ${a.name}: kept with the request's files` : `- ${a.name}: not accepted (${a.refused})`,
  );
  const body = [
    ...(staff ? [] : [`By email from ${label}:`, '']),
    trimmed || '(no text)',
    ...(listed.length > 0 ? ['', 'Attachments:', ...listed] : []),
  ].join('\n');
  const [posted] = await ctx.tx
    .insert(threadMessages)
    .values({
      practiceId: request.practiceId,
      requestId: request.id,
      thread,
      authorId: staff ? sender.userId : null,
      kind: 'email_reply',
      subject: (input.row.subject || `Release of records ${request.number}`).slice(0, 300),
      body,
      idempotencyKey: `inbound:${input.inboundId}`,
      createdAt: ctx.now,
    })
    .returning({ id: threadMessages.id });
  record(ctx, {
    type: 'thread.message_posted',
    requestId: request.id,
    data: { messageId: posted!.id, thread, kind: 'email_reply', inboundId: input.inboundId },
  });
  record(ctx, {
    type: 'mail.received',
    requestId: request.id,
    data: {
      inboundId: input.inboundId,
      status: 'threaded',
      thread,
      sender: staff ? 'staff' : 'requester',
      attachments: attachments.length,
      refused: attachments.filter((a) => !a.fileId).length,
      ...(input.attachedBy ? { attachedBy: input.attachedBy.id } : {}),
    },
  });
  // The others on the thread hear of it by email, under the same privacy rules.
  await queueThreadEmails(ctx, [posted!.id]);
  const refused = attachments.filter((a) => a.refused);
  if (refused.length > 0) {
    await queueRefusal(
      ctx,
      input.inboundId,
      request,
      thread,
      sender.email,
      refused.map((a) => a.refused!),
      attachments.length,
    );
  }
  return { threadMessageId: posted!.id, attachments };
}

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Re-read a kept message (triage attach): parsed again from the sealed original. */
export async function parseKept(masterKey: Buffer, id: string, sealed: Buffer): Promise<ParsedMail> {
  return simpleParser(openRaw(masterKey, id, sealed), { skipImageLinks: true });
}
