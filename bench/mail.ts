// Inbound mail (issue 5): messages parsed and threaded per second through `receiveEmail` (parse,
// loop checks, match by plus token, participant check, trim, post on the thread, audit, the
// notification email queued), beside mailparser alone on the same messages (the parsing floor).
// Runs as a phase of `npm run bench` on the seeded request.
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import type { Services } from '../src/server/context.js';
import { requests, users } from '../src/server/db/schema.js';
import { replyAddress } from '../src/server/mail/addresses.js';
import { threadToken } from '../src/server/mail/dispatch.js';
import { receiveEmail } from '../src/server/mail/inbound.js';

export interface MailFigures {
  messages: number;
  threadedPerSecond: number;
  parsedOnlyPerSecond: number;
  threaded: number;
}

function message(from: string, to: string, i: number): Buffer {
  return Buffer.from(
    [
      `From: Therapist <${from}>`,
      `To: ${to}`,
      `Subject: Re: Release of records (${i})`,
      `Message-ID: <bench-${i}-${Date.now()}@clinic.test>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Reply number ${i}: I spoke with the client and will finish the task today.`,
      '',
      'On Mon, 1 Mar 2027 at 10:00, Release Desk wrote:',
      '> Release of records: your task',
      '> Due Tue 2 Mar.',
      '',
    ].join('\r\n'),
  );
}

export async function measureMail(
  services: Services,
  requestId: string,
  log: (m: string) => void,
  count = 300,
): Promise<MailFigures> {
  const db = services.database.db;
  const [request] = await db.select().from(requests).where(eq(requests.id, requestId));
  if (!request) throw new Error('no seeded request');
  const [therapist] = await db.select().from(users).where(eq(users.id, request.therapistId));
  const token = await threadToken(db, request.practiceId, request.id, 'internal');
  const to = replyAddress(services.config.mail, token);
  const batch = Array.from({ length: count }, (_, i) => message(therapist!.email, to, i));
  const t0 = performance.now();
  for (const raw of batch) await simpleParser(raw);
  const parseMs = performance.now() - t0;
  let threaded = 0;
  const t1 = performance.now();
  for (const raw of batch) {
    const r = await receiveEmail(services, raw, { via: 'smtp' });
    if (r.status === 'threaded') threaded += 1;
  }
  const threadMs = performance.now() - t1;
  const figures = {
    messages: count,
    threadedPerSecond: (count / threadMs) * 1000,
    parsedOnlyPerSecond: (count / parseMs) * 1000,
    threaded,
  };
  log(
    `  ${figures.threadedPerSecond.toFixed(0)} inbound messages parsed and threaded/s ` +
      `(${threaded}/${count} threaded), beside mailparser alone at ${figures.parsedOnlyPerSecond.toFixed(0)}/s`,
  );
  return figures;
}

export function mailSummary(f: MailFigures): string {
  return (
    `Inbound mail: ${f.threadedPerSecond.toFixed(0)} messages parsed and threaded per second ` +
    `(${f.messages} replies, one transaction each: parse, match, post, audit, notification queued); ` +
    `mailparser alone ${f.parsedOnlyPerSecond.toFixed(0)}/s (${(f.parsedOnlyPerSecond / f.threadedPerSecond).toFixed(1)}x).`
  );
}
