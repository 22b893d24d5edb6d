// Emailed attachments (issue 6): each goes through the same check and preparation as a file staff
// upload (documents/content.ts `prepareUpload`): its type judged from its bytes, a JPEG or PNG made a
// PDF page drawn upright by its EXIF orientation (its size bounded before decoding: no zip bomb
// reaches packet assembly), a PDF's structure checked the way the packet reads it, a protected PDF
// opened only when it has no user password. So every file stored from an email is a checked PDF.
// A refused file is listed on the thread with its reason, and the sender is told the reasons,
// never the files' names; the email itself (its words, its other files) is always kept. The same
// file already on the request is kept once (as a staff upload of it would be). A requester whose
// request is in Spanish is told in Spanish (attachment-refusal-es.ts); the thread keeps staff's English.
import { createHash, randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { record } from '../audit/record.js';
import type { Actor, Ctx } from '../context.js';
import { files, practices, type requests, users } from '../db/schema.js';
import { type AttachmentOutcome, outboundEmails } from '../db/schema-mail.js';
import { type PreparedUpload, prepareUpload } from '../documents/content.js';
import { storeFile } from '../documents/storage.js';
import { AppError } from '../errors.js';
import { send } from '../jobs/send.js';
import { messageIdFor, replyAddress } from './addresses.js';
import { refusalReasonEs } from './attachment-refusal-es.js';
import { composeAttachmentRefusal } from './compose.js';
import { MAIL_SEND, threadToken } from './dispatch.js';
import { sealedBodyColumns } from './outbox-body.js';
import type { Participant } from './participants.js';
import { threadLanguage } from './requester-messages-es.js';

/** At most this many attachments become files; the rest are refused (told to the sender). */
export const MAX_ATTACHMENTS = 10;

/** A protected PDF by email: there is no way to send its password with it. */
export const EMAILED_PROTECTED_PDF_MESSAGE =
  'This PDF is protected by a password, and a password cannot be sent with an emailed file. Remove the password (or print it to a new PDF) and send it again; nothing was stored.';

export const UNCHECKABLE_ATTACHMENT_MESSAGE =
  'This file could not be checked, so it was not stored. Send it again, or contact the practice.';

type Request = typeof requests.$inferSelect;

export interface AttachmentInput {
  inboundId: string;
  request: Request;
  sender: Participant;
  parsed: ParsedMail;
  /** Triage: the support member who attached it. */
  attachedBy?: Actor;
}

/**
 * What the sender is told about a refused file: the words a staff upload gets (they name no file),
 * except for a protected PDF, whose upload message asks for a password only the upload form takes.
 */
export function refusalReason(err: unknown): string {
  if (!(err instanceof AppError)) return UNCHECKABLE_ATTACHMENT_MESSAGE;
  if (['encrypted_pdf', 'wrong_pdf_password', 'encrypted_pdf_unsupported'].includes(err.code)) {
    return EMAILED_PROTECTED_PDF_MESSAGE;
  }
  return err.message;
}

/** The file as it is to be stored, or why it is refused. Nothing is written here. */
async function prepare(
  name: string,
  data: Buffer,
): Promise<{ ok: true; prepared: PreparedUpload } | { ok: false; refused: string }> {
  try {
    return { ok: true, prepared: await prepareUpload({ name, data }, { password: null }) };
  } catch (err) {
    return { ok: false, refused: refusalReason(err) };
  }
}

/** Who files.uploaded_by names: the staff sender, the support member attaching from triage, or (a requester's email) the staff member who recorded the request; the audit entry says it came by email. */
async function uploaderOf(ctx: Ctx, input: AttachmentInput): Promise<Actor> {
  const { request, sender } = input;
  const uploaderId = (sender.side === 'staff' && sender.userId) || input.attachedBy?.id || request.createdBy;
  const [uploader] = await ctx.tx.select().from(users).where(eq(users.id, uploaderId));
  return {
    id: uploader!.id,
    practiceId: request.practiceId,
    name: uploader!.name,
    email: uploader!.email,
    roles: uploader!.roles as Actor['roles'],
    active: uploader!.active,
    isDemo: uploader!.isDemo,
  };
}

/** The request's file with these very bytes, received as the request's own papers, if any. */
async function sameFile(ctx: Ctx, request: Request, sha256: string) {
  const [same] = await ctx.tx
    .select({ id: files.id, name: files.name })
    .from(files)
    .where(
      and(
        eq(files.requestId, request.id),
        eq(files.practiceId, request.practiceId),
        eq(files.sha256, sha256),
        eq(files.purpose, 'request'),
      ),
    )
    .orderBy(asc(files.createdAt))
    .limit(1);
  return same ?? null;
}

/**
 * Store an email's attachments as files of the request. A file that fails its check is refused
 * (its reason in the outcome); a failure to store is thrown, so the whole email is refused for now
 * (the sending server tries again) rather than kept with a file silently missing.
 */
export async function storeAttachments(ctx: Ctx, input: AttachmentInput): Promise<AttachmentOutcome[]> {
  const { request, sender, parsed } = input;
  const attached = parsed.attachments.filter((a) => !a.related || a.contentDisposition === 'attachment');
  if (attached.length === 0) return [];
  const actor = await uploaderOf(ctx, input);
  const out: AttachmentOutcome[] = [];
  for (const [i, a] of attached.entries()) {
    const name = (a.filename ?? `attachment-${i + 1}`).slice(0, 200);
    const base = { name, contentType: a.contentType, size: a.size ?? a.content.length };
    if (i >= MAX_ATTACHMENTS) {
      out.push({ ...base, fileId: null, refused: `at most ${MAX_ATTACHMENTS} files are accepted per email` });
      continue;
    }
    const checked = await prepare(name, a.content);
    if (!checked.ok) {
      out.push({ ...base, fileId: null, refused: checked.refused });
      continue;
    }
    const { prepared } = checked;
    const sha256 = createHash('sha256').update(prepared.data).digest('hex');
    // The staff upload's lock: an upload and an email of the same file at once meet here.
    await ctx.client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`upload:${request.id}`]);
    const same = await sameFile(ctx, request, sha256);
    if (same) {
      record(ctx, {
        type: 'file.upload_duplicate',
        requestId: request.id,
        clientId: request.clientId,
        data: {
          fileId: same.id,
          name: same.name,
          uploadedName: prepared.name,
          purpose: 'request',
          sha256,
          receivedBy: 'email',
          inboundId: input.inboundId,
        },
      });
      out.push({ ...base, name: same.name, fileId: same.id, refused: null });
      continue;
    }
    const stored = await storeFile(
      { ...ctx, actor },
      {
        requestId: request.id,
        purpose: 'request',
        name: prepared.name,
        contentType: prepared.contentType,
        data: prepared.data,
      },
    );
    record(ctx, {
      type: 'file.uploaded',
      requestId: request.id,
      clientId: request.clientId,
      data: {
        fileId: stored.id,
        name: stored.name,
        size: stored.size,
        contentType: stored.contentType,
        purpose: stored.purpose,
        sha256: stored.sha256,
        receivedAs: prepared.receivedAs,
        ...(prepared.receivedAs !== 'application/pdf' ? { convertedToPdf: true } : {}),
        ...(prepared.decrypted ? { passwordRemoved: true } : {}),
        receivedBy: 'email',
        inboundId: input.inboundId,
        sender: sender.side,
      },
    });
    out.push({ ...base, name: stored.name, fileId: stored.id, refused: null });
  }
  return out;
}

/** Tell the sender which kinds of files were refused (never their names: REL-2). */
export async function queueRefusal(
  ctx: Ctx,
  inboundId: string,
  request: Request,
  thread: 'internal' | 'requester',
  to: string,
  reasons: string[],
  total: number,
) {
  const mail = ctx.services.config.mail;
  const [practice] = await ctx.tx
    .select({ name: practices.name })
    .from(practices)
    .where(eq(practices.id, request.practiceId));
  // Issue 7: a requester whose request is in Spanish is told in Spanish; staff senders in English.
  const language = thread === 'requester' ? threadLanguage(request.language) : 'en';
  const said =
    language === 'es'
      ? reasons.map((r) => refusalReasonEs(r, EMAILED_PROTECTED_PDF_MESSAGE, UNCHECKABLE_ATTACHMENT_MESSAGE))
      : reasons;
  const fallback = language === 'es' ? 'la consulta' : 'the practice';
  const composed = composeAttachmentRefusal(
    request.number,
    practice?.name ?? fallback,
    said,
    total,
    language,
  );
  const outId = randomUUID();
  const token = await threadToken(ctx.tx, request.practiceId, request.id, thread);
  const status = mail.smtpUrl ? 'queued' : 'outbox';
  await ctx.tx.insert(outboundEmails).values({
    id: outId,
    practiceId: request.practiceId,
    requestId: request.id,
    threadMessageId: null,
    inboundEmailId: inboundId,
    thread,
    kind: 'attachment_refused',
    messageId: messageIdFor(mail, outId),
    replyTo: replyAddress(mail, token),
    recipients: [to],
    subject: composed.subject,
    ...sealedBodyColumns(ctx.services.config.masterKey, outId, composed),
    status,
    createdAt: ctx.now,
  });
  if (status === 'queued')
    await send(ctx, MAIL_SEND, { outboundId: outId }, { singletonKey: `mail:${outId}` });
}
