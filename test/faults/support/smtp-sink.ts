// A real SMTP server (smtp-server) as the fault tests' mail sink, counting what arrived by Message-ID:
// `received` is every message accepted (raw), `distinct()` the set of Message-IDs, `duplicates()`
// how many raw arrivals repeated a Message-ID already seen (reported by the tests, never hidden).
// It can be stopped and started again on the same port (an outage).
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../support/dovecot.js';

export interface SinkArrival {
  messageId: string;
  rcptTo: string[];
  subject: string;
  at: number;
}

export interface SmtpSink {
  port: number;
  /** smtp://127.0.0.1:<port> for SMTP_URL. */
  url: string;
  received: SinkArrival[];
  distinct(): Set<string>;
  duplicates(): number;
  /** Message-IDs that arrived more than once, with their counts. */
  repeated(): Map<string, number>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSmtpSink(port?: number): Promise<SmtpSink> {
  const listenPort = port ?? (await freePort());
  let server: SMTPServer | null = null;
  const sink: SmtpSink = {
    port: listenPort,
    url: `smtp://127.0.0.1:${listenPort}`,
    received: [],
    distinct: () => new Set(sink.received.map((m) => m.messageId)),
    duplicates: () => sink.received.length - sink.distinct().size,
    repeated() {
      const counts = new Map<string, number>();
      for (const m of sink.received) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return new Map([...counts].filter(([, n]) => n > 1));
    },
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            sink.received.push({
              messageId: headerOf(raw, 'message-id') ?? `(none #${sink.received.length})`,
              subject: headerOf(raw, 'subject') ?? '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              at: Date.now(),
            });
            cb();
          });
        },
      });
      // A sender killed mid-conversation resets its socket: that is the test's doing, not a failure.
      server.on('error', () => {});
      const s = server;
      await new Promise<void>((resolve) => s.listen(listenPort, '127.0.0.1', () => resolve()));
    },
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await sink.start();
  return sink;
}

/** One header of a raw message (folded lines joined), or null. */
export function headerOf(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}
