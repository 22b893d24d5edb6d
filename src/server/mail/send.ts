// The send job (issue 5): deliver one outbound email over SMTP. At-least-once: the Message-ID is
// the same on every try, so a receiver can drop a duplicate; the server's acceptance is recorded
// first thing after the SMTP conversation, so duplicates stay rare. A temporary failure (server down,
// 4xx) is recorded with when to try again (backoff up to an hour, for three days); a permanent one
// (5xx) fails with its reason, posted on the request's internal thread so staff see it.
// Issue 8 (the outage test): when the server did not answer at all, the email waits on the server,
// not on its own backoff: a probe beside the dispatcher (wakeWhenServerAnswers) brings every such
// email forward as soon as the server answers again, so a 2-minute outage drains in seconds after it
// ends instead of waiting out a 2-4 minute backoff, while a long outage costs one connection a probe.
import { and, eq, gt, like } from 'drizzle-orm';
import { record } from '../audit/record.js';
import { type Ctx, type Services, SYSTEM_META } from '../context.js';
import { requests, threadMessages } from '../db/schema.js';
import { outboundEmails } from '../db/schema-mail.js';
import { inTransaction } from '../db/tx.js';
import { openOutboundBody } from './outbox-body.js';
import { isPermanent, replyTimeoutMs, safeError, transportFor } from './transport.js';

const MINUTE = 60_000;
/** Try for three days before giving up on a temporary failure. */
export const GIVE_UP_AFTER_MS = 3 * 24 * 60 * MINUTE;

/** 30 s, 1, 2, 4, 8, 16, 32 min, then every hour. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 60 * MINUTE);
}

/**
 * The reason of a try that got no SMTP reply at all (refused, reset, timed out): the server was
 * unreachable, so the email waits for the server (the probe matches this prefix), not for a mailbox.
 */
export const NO_ANSWER = 'The mail server did not answer: ';

/** How often the probe checks the server while emails wait on it (one connection each time). */
export const PROBE_INTERVAL_MS = 5_000;

function noAnswer(err: unknown): boolean {
  return typeof (err as { responseCode?: unknown })?.responseCode !== 'number';
}

/**
 * The mail.send job. `signal` (the worker's time limit, jobs/worker.ts) ends a conversation still
 * running then: the connection is closed and the try recorded like one the server did not answer.
 */
export async function sendEmailJob(
  services: Services,
  data: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<void> {
  const outboundId = String(data.outboundId);
  const smtpUrl = services.config.mail.smtpUrl;
  const db = services.database.db;
  const [found] = await db
    .select({ practiceId: outboundEmails.practiceId })
    .from(outboundEmails)
    .where(eq(outboundEmails.id, outboundId));
  if (!found || !smtpUrl) return; // Without SMTP (removed since) the email stays where it is.
  // Issue 8 (several instances): the email's row stays locked through the SMTP conversation, so a
  // second job for the same email (a pg-boss retry, a re-queue racing another instance) waits, then
  // finds it sent: never two conversations for one email at once. It costs one connection per send.
  await inTransaction(
    services,
    SYSTEM_META,
    null,
    async (ctx) => {
      const [email] = await ctx.tx
        .select()
        .from(outboundEmails)
        .where(eq(outboundEmails.id, outboundId))
        .for('update');
      if (!email || email.status === 'sent' || email.status === 'failed' || email.status === 'no_recipients')
        return;
      // The time limit passed while this waited for the row: the job has failed and is retried.
      if (signal?.aborted) return;
      await converse(ctx, smtpUrl, email, signal);
    },
    { practiceId: found.practiceId },
  );
}

type OutboundRow = typeof outboundEmails.$inferSelect;

/** One SMTP conversation for a locked email, and what came of it, in the caller's transaction. */
async function converse(ctx: Ctx, smtpUrl: string, email: OutboundRow, signal?: AbortSignal): Promise<void> {
  const services = ctx.services;
  // rule SEC-4: the body is sealed at rest, opened only for the SMTP conversation.
  const body = openOutboundBody(services.config.masterKey, email);
  let info: { accepted?: unknown[]; rejected?: unknown[]; response?: string } | null = null;
  let error: unknown = null;
  try {
    info = await transportFor(smtpUrl, replyTimeoutMs(services.config.mail)).sendMail({
      from: services.config.mail.from,
      to: email.recipients,
      replyTo: email.replyTo,
      subject: email.subject,
      text: body.text,
      html: body.html,
      messageId: email.messageId,
      inReplyTo: email.inReplyTo ?? undefined,
      references: email.references.length > 0 ? email.references : undefined,
      headers: {
        'Auto-Submitted': email.kind === 'attachment_refused' ? 'auto-replied' : 'auto-generated',
        'X-Release-Desk-Request': email.id,
      },
      signal,
    });
  } catch (err) {
    error = err;
  }
  // The time of the answer (the transaction began before the conversation).
  const now = services.now();
  const attempts = email.attempts + 1;
  if (info) {
    const accepted = (info.accepted ?? []).map(String);
    const rejected = (info.rejected ?? []).map(String);
    await ctx.tx
      .update(outboundEmails)
      .set({
        status: 'sent',
        attempts,
        accepted,
        rejected,
        serverResponse: (info.response ?? '').slice(0, 500),
        sentAt: now,
        lastError: null,
        nextAttemptAt: null,
      })
      .where(eq(outboundEmails.id, email.id));
    record(ctx, {
      type: 'mail.sent',
      requestId: email.requestId,
      data: {
        outboundId: email.id,
        messageId: email.messageId,
        kind: email.kind,
        thread: email.thread,
        accepted: accepted.length,
        rejected: rejected.length,
        attempts,
      },
    });
    return;
  }
  // Stopped at the job's time limit: nodemailer's "Message sending aborted" says less than why.
  const why = signal?.aborted ? signal.reason : error;
  const reason = noAnswer(error) ? `${NO_ANSWER}${safeError(why)}` : safeError(error);
  const expired = now.getTime() - email.createdAt.getTime() > GIVE_UP_AFTER_MS;
  if (isPermanent(error) || expired) {
    await ctx.tx
      .update(outboundEmails)
      .set({ status: 'failed', attempts, lastError: reason, nextAttemptAt: null })
      .where(eq(outboundEmails.id, email.id));
    const [request] = await ctx.tx
      .select({ number: requests.number })
      .from(requests)
      .where(eq(requests.id, email.requestId));
    // The thread shows it: "failed: <reason>" (a notice on the internal thread, never emailed).
    await ctx.tx
      .insert(threadMessages)
      .values({
        practiceId: email.practiceId,
        requestId: email.requestId,
        thread: 'internal',
        authorId: null,
        kind: 'mail_failed',
        subject: `Email not delivered (${request?.number ?? ''})`,
        body: `An email on the ${email.thread} thread ("${email.subject}") was not delivered. Failed: ${reason}`,
        idempotencyKey: `mail-failed:${email.id}`,
        createdAt: now,
      })
      .onConflictDoNothing();
    record(ctx, {
      type: 'mail.failed',
      requestId: email.requestId,
      data: { outboundId: email.id, messageId: email.messageId, kind: email.kind, attempts, reason },
    });
    return;
  }
  await ctx.tx
    .update(outboundEmails)
    .set({
      status: 'retrying',
      attempts,
      lastError: reason,
      nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
    })
    .where(eq(outboundEmails.id, email.id));
}

/**
 * The probe (runtime.ts, every PROBE_INTERVAL_MS): while an email waits because the server did not
 * answer, ask the server (connect, EHLO, QUIT); once it answers, every such email is due now, and the
 * runtime runs the dispatcher at once to re-queue them. Emails deferred by a 4xx keep their backoff (the
 * server answered; it is their mailbox that is not ready). Safe with several instances: the update
 * only moves a due time, and the dispatcher's lock re-queues each email once.
 */
export async function wakeWhenServerAnswers(services: Services): Promise<number> {
  const smtpUrl = services.config.mail.smtpUrl;
  if (!smtpUrl) return 0;
  const db = services.database.db;
  const waitingOnServer = (now: Date) =>
    and(
      eq(outboundEmails.status, 'retrying'),
      gt(outboundEmails.nextAttemptAt, now),
      like(outboundEmails.lastError, `${NO_ANSWER}%`),
    );
  const [waiting] = await db
    .select({ id: outboundEmails.id })
    .from(outboundEmails)
    .where(waitingOnServer(services.now()))
    .limit(1);
  if (!waiting) return 0;
  try {
    await transportFor(smtpUrl, replyTimeoutMs(services.config.mail)).verify();
  } catch {
    return 0; // Still down: the emails keep their backoff.
  }
  const now = services.now();
  const woken = await db
    .update(outboundEmails)
    .set({ nextAttemptAt: now })
    .where(waitingOnServer(now))
    .returning({ id: outboundEmails.id });
  return woken.length;
}
