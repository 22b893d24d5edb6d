// Polling a hosted mailbox over IMAP (issue 5; imapflow): for practices whose replies land in a
// mailbox at their mail provider. Each poll reads the messages after the last UID it took (the
// cursor is kept in the database, reset when the mailbox's UIDVALIDITY changes; a message seen twice
// is dropped by its Message-ID), hands each to `receiveEmail`, and moves the cursor only once the
// message is stored. The mailbox itself is left as it is. The URL's password is never logged.
import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import type { Services } from '../context.js';
import { mailCursors } from '../db/schema-mail.js';
import { receiveEmail } from './inbound.js';

export interface PollResult {
  fetched: number;
  stored: number;
  tooLarge: number;
}

export function imapOptions(imapUrl: string) {
  const u = new URL(imapUrl);
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false as const,
    disableAutoIdle: true,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
  };
}

export function cursorName(imapUrl: string, mailbox: string): string {
  const u = new URL(imapUrl);
  return `imap:${decodeURIComponent(u.username)}@${u.hostname}:${u.port || ''}/${mailbox}`;
}

export async function pollImap(
  services: Services,
  opts: { imapUrl?: string; mailbox?: string } = {},
): Promise<PollResult> {
  const mail = services.config.mail;
  const imapUrl = opts.imapUrl ?? mail.imapUrl;
  if (!imapUrl) return { fetched: 0, stored: 0, tooLarge: 0 };
  const mailbox = opts.mailbox ?? mail.imapMailbox;
  const db = services.database.db;
  const name = cursorName(imapUrl, mailbox);
  const client = new ImapFlow(imapOptions(imapUrl));
  client.on('error', () => {}); // reported by the awaited calls below
  const result: PollResult = { fetched: 0, stored: 0, tooLarge: 0 };
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox, { readOnly: true });
    try {
      const box = client.mailbox;
      if (!box) return result;
      const uidValidity = Number(box.uidValidity);
      const [cursor] = await db.select().from(mailCursors).where(eq(mailCursors.name, name));
      let lastUid = cursor && cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
      if (box.exists === 0) return result;
      const found: { uid: number; size: number }[] = [];
      for await (const m of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) {
        if (m.uid > lastUid) found.push({ uid: m.uid, size: m.size ?? 0 });
      }
      found.sort((a, b) => a.uid - b.uid);
      for (const m of found) {
        result.fetched += 1;
        if (m.size > mail.maxMessageBytes) {
          // Not downloaded: recorded (from a stub carrying the size) so support sees it was refused.
          result.tooLarge += 1;
          await receiveEmail(services, Buffer.alloc(0), { via: 'imap', tooLargeBytes: m.size });
        } else {
          const one = await client.fetchOne(String(m.uid), { source: true }, { uid: true });
          await receiveEmail(services, one ? (one.source ?? Buffer.alloc(0)) : Buffer.alloc(0), {
            via: 'imap',
          });
          result.stored += 1;
        }
        lastUid = m.uid;
        await db
          .insert(mailCursors)
          .values({ name, uidValidity, lastUid, updatedAt: services.now() })
          .onConflictDoUpdate({
            target: mailCursors.name,
            set: { uidValidity, lastUid, updatedAt: services.now() },
          });
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return result;
}
