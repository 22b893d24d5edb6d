// The mail machinery that runs beside the HTTP server (issue 5): the dispatcher (thread messages to
// emails, due retries), the built-in SMTP receiver when INBOUND_SMTP_PORT is set, and the IMAP
// poller when IMAP_URL is set. Errors are logged by reason only: never a message, address list or
// URL with its password (SEC-5).
import type { Services } from '../context.js';
import { dispatchPending } from './dispatch.js';
import { pollImap } from './imap.js';
import { type Receiver, startReceiver } from './receiver.js';
import { PROBE_INTERVAL_MS, wakeWhenServerAnswers } from './send.js';
import { closeTransports, safeError } from './transport.js';

export interface MailRuntime {
  receiver: Receiver | null;
  stop(): Promise<void>;
}

export const DISPATCH_INTERVAL_MS = 5_000;

export async function startMail(services: Services, log: (msg: string) => void): Promise<MailRuntime> {
  const mail = services.config.mail;
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
    let running = false;
    const tick = async () => {
      if (running || stopped) return;
      running = true;
      try {
        await fn();
      } catch (err) {
        log(`mail: ${what} failed: ${safeError(err)}`);
      } finally {
        running = false;
      }
    };
    timers.push(setInterval(() => void tick(), ms));
    void tick();
  };
  every(DISPATCH_INTERVAL_MS, 'dispatch', () => dispatchPending(services));
  // Emails that found the SMTP server down go out as soon as it answers again (send.ts).
  if (mail.smtpUrl)
    every(PROBE_INTERVAL_MS, 'SMTP probe', async () => {
      if ((await wakeWhenServerAnswers(services)) > 0) await dispatchPending(services);
    });
  if (mail.imapUrl) every(mail.imapPollSeconds * 1000, 'IMAP poll', () => pollImap(services));
  const receiver =
    mail.inboundSmtpPort !== undefined
      ? await startReceiver(services, { onError: (m) => log(`mail: ${m}`) })
      : null;
  if (receiver)
    log(`mail: receiving SMTP on ${mail.inboundSmtpHost}:${receiver.port} for ${mail.replyDomain}`);
  if (!mail.smtpUrl) log('mail: SMTP_URL is not set: emails are kept in the outbox (Mail > Outbox).');
  return {
    receiver,
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await receiver?.close();
      closeTransports();
    },
  };
}
