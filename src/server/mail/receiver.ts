// The built-in SMTP receiver (issue 5): for practices that point an MX record or a forwarder at
// Release Desk (INBOUND_SMTP_PORT). It accepts mail only for the reply addresses
// (records or records+<token> at MAIL_REPLY_DOMAIN), never relays, and answers 250 only once the
// message is stored (a database failure answers 451, so the sending server tries again later).
import { SMTPServer } from 'smtp-server';
import type { Services } from '../context.js';
import { receiveEmail } from './inbound.js';

export interface Receiver {
  port: number;
  close(): Promise<void>;
}

function isOurs(services: Services, address: string): boolean {
  const mail = services.config.mail;
  const a = address.toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 0 || a.slice(at + 1) !== mail.replyDomain) return false;
  const local = a.slice(0, at);
  return local === mail.replyLocalPart || local.startsWith(`${mail.replyLocalPart}+`);
}

export async function startReceiver(
  services: Services,
  opts: { port?: number; host?: string; onError?: (message: string) => void } = {},
): Promise<Receiver> {
  const mail = services.config.mail;
  const server = new SMTPServer({
    name: mail.replyDomain,
    banner: 'Release Desk',
    authOptional: true,
    disabledCommands: ['AUTH'],
    size: mail.maxMessageBytes,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (isOurs(services, address.address)) return callback();
      const err = new Error('No such mailbox here') as Error & { responseCode: number };
      err.responseCode = 550;
      return callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const err = new Error('Message too large') as Error & { responseCode: number };
          err.responseCode = 552;
          return callback(err);
        }
        const mailFrom =
          session.envelope.mailFrom === false ? '' : (session.envelope.mailFrom?.address ?? '');
        receiveEmail(services, Buffer.concat(chunks), {
          via: 'smtp',
          mailFrom,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        }).then(
          () => callback(),
          (e: Error) => {
            // SEC-5: the reason, not the message.
            opts.onError?.(`inbound email could not be stored: ${e.message}`);
            const err = new Error('Temporary failure, try again later') as Error & { responseCode: number };
            err.responseCode = 451;
            callback(err);
          },
        );
      });
    },
  });
  server.on('error', (e) => opts.onError?.(`inbound SMTP: ${e.message}`));
  const port = opts.port ?? mail.inboundSmtpPort ?? 0;
  const host = opts.host ?? mail.inboundSmtpHost;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
