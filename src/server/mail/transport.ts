// The outbound SMTP connection (nodemailer), one per SMTP_URL. smtp:// upgrades with STARTTLS when
// the server offers it; smtps:// is implicit TLS. The URL may carry a password: it is never logged,
// and errors are reported without it (SEC-5).
import nodemailer, { type Transporter } from 'nodemailer';

const transports = new Map<string, Transporter>();

/**
 * Connecting: the DNS lookup, the TCP connection, the greeting and a STARTTLS upgrade together
 * (nodemailer cuts the greeting's own timeout short by what is left of this one). Short, because
 * nothing has been sent yet: a server that is not there is found out quickly, and the probe
 * (send.ts) takes over.
 */
export const SMTP_CONNECTION_TIMEOUT_MS = 15_000;

/**
 * Once connected, how long the client waits for the server's next reply: 10 minutes, RFC 5321
 * 4.5.3.2's wait after the final "." of DATA. Once the server has the whole message it may take
 * that long to take responsibility for it; a client that hangs up sooner while the server goes on
 * and accepts it sends the email again on its retry (the probe makes that retry come within
 * seconds), a duplicate. nodemailer has one inactivity timeout for every reply (no separate one for
 * the end of DATA; an abort "does not prove that the server has not already accepted the message"),
 * so this one is 10 minutes for every step: a stalled server holds one send (and its email's row)
 * that long, and the send job's expiry and time limit are sized to let it (jobs/send.ts
 * JOB_EXPIRY_SECONDS['mail.send'], checked by smtp-timeouts.test.ts).
 */
export const SMTP_SOCKET_TIMEOUT_MS = 10 * 60_000;

/**
 * The reply wait a practice set (SMTP_REPLY_TIMEOUT_SECONDS, 30-600 s; a relay known to answer in
 * seconds may be given less, so the email a crashed process was sending goes out sooner: its job's
 * expiry follows, jobs/send.ts `mailSendExpirySeconds`), else RFC 5321's 10 minutes.
 */
export function replyTimeoutMs(mail: { replyTimeoutSeconds?: number }): number {
  return (mail.replyTimeoutSeconds ?? SMTP_SOCKET_TIMEOUT_MS / 1000) * 1000;
}

/**
 * A send a person waits for (the online form's code, over HTTP): aborted after a minute, which also
 * bounds the socket timeout above. The person is told to try again; a second code is harmless.
 */
export const INTERACTIVE_SEND_MS = 60_000;

export function transportFor(smtpUrl: string, socketTimeoutMs = SMTP_SOCKET_TIMEOUT_MS): Transporter {
  const key = `${socketTimeoutMs} ${smtpUrl}`;
  let t = transports.get(key);
  if (!t) {
    t = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
      greetingTimeout: SMTP_CONNECTION_TIMEOUT_MS,
      socketTimeout: socketTimeoutMs,
      logger: false,
      debug: false,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    transports.set(key, t);
  }
  return t;
}

export function closeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** "smtp://host:587" without the user name or password, for screens. */
export function describeUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  } catch {
    return null;
  }
}

/** An error's message with any URL credentials removed. */
export function safeError(err: unknown): string {
  const e = err as { message?: string; responseCode?: number; code?: string };
  const message = (e?.message ?? String(err)).replace(/\b([a-z]+:\/\/)[^@/\s]+@/gi, '$1');
  return message.slice(0, 500);
}

/** A refusal that will not change on retry (5xx from the server, e.g. no such mailbox). */
export function isPermanent(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  return typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
}
