// Side effects are pg-boss jobs sent on the command's own connection, inside its transaction, so
// they exist exactly when the change commits (convention 6).
import type { Ctx } from '../context.js';

export const QUEUES = ['thread.post-instructions', 'clocks.sweep', 'packet.assemble', 'mail.send'] as const;
export type QueueName = (typeof QUEUES)[number];

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
    db: { executeSql: (text: string, values: unknown[]) => ctx.client.query(text, values) },
  });
}
