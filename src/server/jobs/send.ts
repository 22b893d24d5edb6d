// Side effects are pg-boss jobs sent on the command's own connection, inside its transaction, so
// they exist exactly when the change commits (convention 6).
import type { Ctx } from '../context.js';

export const QUEUES = ['thread.post-instructions', 'clocks.sweep', 'packet.assemble', 'mail.send'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * How long a job may stay active before pg-boss counts it as lost and retries it (issue 8). A job
 * whose process was killed stays 'active' until then (pg-boss's default is 15 minutes), so each is
 * no longer than the job's own worst case needs (an email: the SMTP connection and socket timeouts
 * of mail/transport.ts; a packet: hundreds of pages). The worker stops a job still running at nine
 * tenths of its expiry (jobs/worker.ts `timeLimitMs`), so that worst case must fit in that.
 */
export const JOB_EXPIRY_SECONDS: Readonly<Record<QueueName, number>> = {
  'thread.post-instructions': 120,
  'clocks.sweep': 600,
  'packet.assemble': 900,
  // An SMTP conversation may wait 10 minutes for one reply (the end of DATA, RFC 5321 4.5.3.2;
  // mail/transport.ts): its time limit, 648 s, covers connecting (15 s), that wait (600 s) and the
  // rest of the conversation and the email's row. The cost: the email a killed process was sending
  // (one per instance: mail is fetched one job at a time) goes out about 12 minutes later instead
  // of 2. Its row lock, not the expiry, is what keeps two live sends of one email apart.
  'mail.send': 720,
};

/** Connecting, at most (mail/transport.ts SMTP_CONNECTION_TIMEOUT_MS). */
const SMTP_CONNECT_SECONDS = 15;
/** The rest of a conversation beside its one longest wait: the other replies, the message, the row. */
const SMTP_SLACK_SECONDS = 33;

/**
 * The send job's expiry for a reply wait of `replyTimeoutSeconds` (SMTP_REPLY_TIMEOUT_SECONDS): its
 * time limit, nine tenths of it (jobs/worker.ts), covers connecting, one full wait and the rest.
 * 600 s (the default) gives 720 s; 60 s gives 120 s.
 */
export function mailSendExpirySeconds(replyTimeoutSeconds = 600): number {
  return Math.ceil((SMTP_CONNECT_SECONDS + replyTimeoutSeconds + SMTP_SLACK_SECONDS) / 0.9);
}

function expirySeconds(ctx: Ctx, name: QueueName): number {
  return name === 'mail.send'
    ? mailSendExpirySeconds(ctx.services.config.mail.replyTimeoutSeconds)
    : JOB_EXPIRY_SECONDS[name];
}

export async function send(
  ctx: Ctx,
  name: QueueName,
  data: Record<string, unknown>,
  opts: { singletonKey?: string; startAfter?: Date } = {},
): Promise<void> {
  await ctx.services.boss.send(name, data, {
    ...opts,
    retryLimit: 8,
    retryBackoff: true,
    expireInSeconds: expirySeconds(ctx, name),
    db: { executeSql: (text: string, values: unknown[]) => ctx.client.query(text, values) },
  });
}
