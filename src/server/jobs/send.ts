// Side effects are pg-boss jobs sent on the command's own connection, inside its transaction, so
// they exist exactly when the change commits (convention 6).
import type { Ctx } from '../context.js';

export const QUEUES = ['thread.post-instructions', 'clocks.sweep', 'packet.assemble', 'mail.send'] as const;
export type QueueName = (typeof QUEUES)[number];

/**
 * How long a job may stay active before pg-boss counts it as lost and retries it (issue 8). A job
 * whose process was killed stays 'active' until then: pg-boss's default, 15 minutes, held emails
 * back that long after a crash. Each limit is well above the job's own worst case (an email: the
 * SMTP connection, greeting and socket timeouts of mail/transport.ts; a packet: hundreds of pages).
 * The worker stops a job still running at nine tenths of its expiry (jobs/worker.ts `timeLimitMs`),
 * so a job's worst case must fit in that, not just in the expiry.
 */
export const JOB_EXPIRY_SECONDS: Readonly<Record<QueueName, number>> = {
  'thread.post-instructions': 120,
  'clocks.sweep': 600,
  'packet.assemble': 900,
  'mail.send': 120,
};

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
    expireInSeconds: JOB_EXPIRY_SECONDS[name],
    db: { executeSql: (text: string, values: unknown[]) => ctx.client.query(text, values) },
  });
}
