// The mail tests' real peers: an in-process SMTP server (smtp-server) as the outbound sink, which
// can be stopped and started again on the same port (the outage case), and an app configured with
// SMTP_URL pointing at it.
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { type MailConfig, mailConfigFromEnv } from '../../src/server/config.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { freePort } from '../support/dovecot.js';

export const REPLY_DOMAIN = 'mail.practice.test';
export const MAIL_FROM = 'Riverbend records <records@mail.practice.test>';

export interface SinkMessage {
  raw: string;
  parsed: ParsedMail;
  rcptTo: string[];
  mailFrom: string;
}

export interface Sink {
  port: number;
  messages: SinkMessage[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Answer every RCPT TO with this code (e.g. 550) instead of accepting. */
  refuseWith: number | null;
}

export async function startSink(): Promise<Sink> {
  const port = await freePort();
  let server: SMTPServer | null = null;
  const sink: Sink = {
    port,
    messages: [],
    refuseWith: null,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(_address, _session, cb) {
          if (sink.refuseWith) {
            const err = new Error('Mailbox unavailable') as Error & { responseCode: number };
            err.responseCode = sink.refuseWith;
            return cb(err);
          }
          cb();
        },
        onData(stream, session, cb) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', async () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            sink.messages.push({
              raw,
              parsed: await simpleParser(raw),
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            });
            cb();
          });
        },
      });
      const s = server;
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', () => resolve()));
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

export function mailConfig(env: Record<string, string> = {}): MailConfig {
  return mailConfigFromEnv({ MAIL_FROM, MAIL_REPLY_DOMAIN: REPLY_DOMAIN, ...env });
}

export async function createMailApp(env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp({ mail: mailConfig(env), publicUrl: 'https://records.practice.test' });
}

/** Every header line of a raw message, for checks of the MIME actually sent. */
export function header(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}
