// The outbound SMTP connection (nodemailer), one per SMTP_URL. smtp:// upgrades with STARTTLS when
// the server offers it; smtps:// is implicit TLS. The URL may carry a password: it is never logged,
// and errors are reported without it (SEC-5).
import nodemailer, { type Transporter } from 'nodemailer';

const transports = new Map<string, Transporter>();

export function transportFor(smtpUrl: string): Transporter {
  let t = transports.get(smtpUrl);
  if (!t) {
    t = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      logger: false,
      debug: false,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    transports.set(smtpUrl, t);
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
