// Inbound email, both ways and both real: the built-in SMTP receiver (smtp-server) fed by nodemailer,
// and a Dovecot mailbox polled over IMAP (seeded by APPEND). Replies land in the right thread,
// trimmed, with their files; strangers and unmatched mail wait in triage; auto-replies, bounces,
// duplicates, malformed and huge messages never post junk into a thread.
import { and, eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEmails } from '../../src/server/db/schema-mail.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { pollImap } from '../../src/server/mail/imap.js';
import { receiveEmail } from '../../src/server/mail/inbound.js';
import { type Receiver, startReceiver } from '../../src/server/mail/receiver.js';
import type { TestApp } from '../support/app.js';
import { type Dovecot, dovecotAvailable, startDovecot } from '../support/dovecot.js';
import { createClient, createPractice, createUser, type TestUser } from '../support/factories.js';
import { createRequestAs, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { createMailApp, header, REPLY_DOMAIN, type Sink, startSink } from './support.js';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

let t: TestApp;
let sink: Sink;
let receiver: Receiver;
let support: Agent;
let therapist: TestUser;
let request: RequestDetails;
let internalReplyTo: string;
let internalMessageId: string;
let requesterReplyTo: string;

const db = () => t.running.services.database.db;
const pump = async () => {
  await dispatchPending(t.running.services);
  await runJobs(t);
};
const details = async () => (await support.get(`/api/requests/${request.id}`)).json() as RequestDetails;
const deliver = async (mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]) => {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: receiver.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail(mail);
  } finally {
    transport.close();
  }
};
const raw = (headers: Record<string, string>, body = 'Hello') =>
  Buffer.from(
    `${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${body}\r\n`,
  );

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_MAX_MESSAGE_MB: '1' });
  receiver = await startReceiver(t.running.services, { port: 0, host: '127.0.0.1' });
  const practice = await createPractice(t);
  const supportUser = await createUser(t, practice, ['support']);
  support = await signIn(t, supportUser);
  therapist = await createUser(t, practice, ['therapist'], { name: 'Dr. Rivera' });
  const client = await createClient(t, practice, therapist);
  request = await createRequestAs(support, client.id, {
    requester: { name: 'Sam Lawyer', email: 'sam@law.test' },
  });
  await runJobs(t);
  await support.post(`/api/requests/${request.id}/messages`, {
    thread: 'requester',
    body: 'We have your request.',
  });
  await pump();
  // The requester's acknowledgement goes out beside the instructions (issue 5): find each by recipient.
  const first = sink.messages.find((m) => !m.rcptTo.includes('sam@law.test'))!;
  internalReplyTo = header(first.raw, 'Reply-To')!;
  internalMessageId = header(first.raw, 'Message-ID')!;
  requesterReplyTo = header(sink.messages.find((m) => m.rcptTo.includes('sam@law.test'))!.raw, 'Reply-To')!;
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
  await sink?.stop();
});

describe('the built-in SMTP receiver (issue 5)', () => {
  it("a therapist's reply lands on the internal thread by its plus token, trimmed of quotes and signature, its PDF kept as a file and a refused file reported to the sender without its name", async () => {
    const before = sink.messages.length;
    await deliver({
      from: `Dr. Rivera <${therapist.email}>`,
      to: internalReplyTo,
      subject: `Re: ${request.number}`,
      inReplyTo: internalMessageId,
      text: `I will call the client tomorrow.\n\nOn Mon, 1 Mar 2027 at 10:00, Release Desk <records@${REPLY_DOMAIN}> wrote:\n> Release of records ${request.number}\n> quoted instructions\n\n-- \nDr. Rivera, PsyD`,
      attachments: [
        { filename: 'consent.pdf', content: PDF, contentType: 'application/pdf' },
        {
          filename: 'trauma-history.exe',
          content: Buffer.from('MZ not a pdf'),
          contentType: 'application/octet-stream',
        },
      ],
    });
    const d = await details();
    const reply = d.thread.find((m) => m.kind === 'email_reply');
    expect(reply?.thread).toBe('internal');
    expect(reply?.author?.name).toBe('Dr. Rivera');
    expect(reply?.body).toContain('I will call the client tomorrow.');
    expect(reply?.body).not.toContain('quoted instructions');
    expect(reply?.body).not.toContain('PsyD');
    const files = (await support.get(`/api/requests/${request.id}/files`)).json();
    expect(JSON.stringify(files)).toContain('consent.pdf');
    await pump();
    const refusal = sink.messages
      .slice(before)
      .find((m) => m.rcptTo.includes(therapist.email) && /not accepted/.test(m.parsed.subject ?? ''));
    expect(refusal).toBeDefined();
    expect(refusal!.raw).not.toContain('trauma-history');
    expect(header(refusal!.raw, 'Auto-Submitted')).toBe('auto-replied');
    const [row] = await db().select().from(inboundEmails).where(eq(inboundEmails.status, 'threaded'));
    expect(row?.matchedBy).toBe('token');
    expect(row?.attachments.map((a) => Boolean(a.fileId))).toEqual([true, false]);
  });

  it("the requester's reply lands on the requester thread and support hears who wrote, never the text", async () => {
    const before = sink.messages.length;
    await deliver({
      from: 'Sam Lawyer <sam@law.test>',
      to: requesterReplyTo,
      subject: 'Re: your request',
      text: 'When will the records be ready? My client has an anxiety disorder.',
    });
    const reply = (await details()).thread.find((m) => m.kind === 'email_reply' && m.thread === 'requester');
    expect(reply?.body).toContain('By email from Sam Lawyer <sam@law.test>');
    await pump();
    const notice = sink.messages.slice(before)[0]!;
    expect(notice.rcptTo).not.toContain('sam@law.test');
    expect(notice.raw).not.toContain('anxiety');
  });

  it('a stranger writing to a thread address, the requester writing to the internal address, and mail matching nothing all wait in triage: never dropped, never attached', async () => {
    const count = (await details()).thread.length;
    await deliver({
      from: 'nosy@elsewhere.test',
      to: internalReplyTo,
      subject: 'hello',
      text: 'Tell me about this client',
    });
    await deliver({
      from: 'sam@law.test',
      to: internalReplyTo,
      subject: 'hi',
      text: 'Can I see the staff notes?',
    });
    await deliver({
      from: 'someone@else.test',
      to: `records@${REPLY_DOMAIN}`,
      subject: 'A new request',
      text: 'Please send my records',
    });
    expect((await details()).thread.length).toBe(count);
    const triage = (await support.get('/api/mail/triage')).json().emails as {
      id: string;
      reason: string;
      from: string;
    }[];
    expect(triage.map((e) => e.reason).sort()).toEqual([
      'matches no request',
      'the sender is not a participant of the internal thread',
      'the sender is not a participant of the internal thread',
    ]);
    const therapistAgent = await signIn(t, therapist);
    expect((await therapistAgent.get('/api/mail/triage')).statusCode).toBe(403);
    // Support reads one (audited) and attaches it to the request's requester thread on purpose.
    const stranger = triage.find((e) => e.from === 'someone@else.test')!;
    expect((await support.get(`/api/mail/triage/${stranger.id}`)).json().text).toContain(
      'Please send my records',
    );
    const attached = await support.post(`/api/mail/triage/${stranger.id}/attach`, {
      requestId: request.id,
      thread: 'requester',
    });
    expect(attached.statusCode).toBe(200);
    expect((await details()).thread.length).toBe(count + 1);
    const nosy = triage.find((e) => e.from === 'nosy@elsewhere.test')!;
    expect(
      (await support.post(`/api/mail/triage/${nosy.id}/dismiss`, { reason: 'not ours' })).statusCode,
    ).toBe(204);
    expect((await auditRows(t, 'mail.triage_viewed')).length).toBe(1);
    expect((await auditRows(t, 'mail.triage_resolved')).length).toBe(2);
  });

  it('a staff member writing to the plain address with the request number in the subject is threaded by the number', async () => {
    await deliver({
      from: therapist.email,
      to: `records@${REPLY_DOMAIN}`,
      subject: `About ${request.number}`,
      text: 'Spoke with the client.',
    });
    const [row] = await db().select().from(inboundEmails).where(eq(inboundEmails.matchedBy, 'subject'));
    expect(row?.status).toBe('threaded');
    expect(row?.thread).toBe('internal');
  });

  it('loops are kept but never posted or answered: Auto-Submitted, Precedence: bulk, X-Autoreply and a DSN bounce', async () => {
    await pump(); // what earlier tests queued
    const count = (await details()).thread.length;
    const sent = sink.messages.length;
    const token = { to: internalReplyTo, from: therapist.email };
    await deliver({
      ...token,
      subject: 'Out of office',
      text: 'Away',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await deliver({ ...token, subject: 'News', text: 'Bulk', headers: { Precedence: 'bulk' } });
    await deliver({ ...token, subject: 'Away', text: 'x', headers: { 'X-Autoreply': 'yes' } });
    const dsn = raw(
      {
        From: `Mail Delivery System <MAILER-DAEMON@${REPLY_DOMAIN}>`,
        To: internalReplyTo,
        Subject: 'Undelivered Mail Returned to Sender',
        'Message-ID': '<dsn-1@mx.test>',
        'MIME-Version': '1.0',
        'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"',
      },
      '--b\r\nContent-Type: text/plain\r\n\r\nFailed\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--',
    );
    await receiveEmail(t.running.services, dsn, { via: 'smtp', mailFrom: '' });
    await pump();
    expect((await details()).thread.length).toBe(count);
    expect(sink.messages.length).toBe(sent);
    const loops = await db().select().from(inboundEmails).where(eq(inboundEmails.status, 'loop'));
    expect(loops.map((l) => l.reason).sort()).toEqual([
      'auto-reply',
      'auto-submitted (auto-replied)',
      'delivery status notification (bounce)',
      'precedence: bulk',
    ]);
  });

  it('malformed MIME, a message with no Message-ID (stored once when delivered twice) and a message over the size limit are handled without crashing', async () => {
    const garbage = await receiveEmail(t.running.services, Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]), {
      via: 'smtp',
    });
    expect(['malformed', 'triage']).toContain(garbage.status);
    const noId = raw(
      { From: therapist.email, To: internalReplyTo, Subject: 'no id' },
      'A reply without a Message-ID',
    );
    expect((await receiveEmail(t.running.services, noId, { via: 'smtp' })).status).toBe('threaded');
    expect((await receiveEmail(t.running.services, noId, { via: 'smtp' })).status).toBe('duplicate');
    await expect(
      deliver({ from: therapist.email, to: internalReplyTo, subject: 'big', text: 'x'.repeat(1_200_000) }),
    ).rejects.toThrow(/552|too large/i);
    const bodies = (await details()).thread.filter((m) => m.body.includes('A reply without a Message-ID'));
    expect(bodies).toHaveLength(1);
    expect((await auditRows(t, 'mail.received')).length).toBeGreaterThan(5);
  });

  it('mail for any other address is refused at RCPT TO (no relaying)', async () => {
    await expect(
      deliver({ from: therapist.email, to: 'someone@gmail.test', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550/);
  });
});

describe.runIf(dovecotAvailable())('polling a mailbox over IMAP (Dovecot)', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('a reply seeded by APPEND is matched by In-Reply-To and threaded; polling again takes nothing twice; a bounce in the mailbox is set aside', async () => {
    const count = (await details()).thread.length;
    await dovecot.append(
      raw(
        {
          From: `Dr. Rivera <${therapist.email}>`,
          To: `records@${REPLY_DOMAIN}`,
          Subject: 'Re: your task',
          'Message-ID': '<imap-reply-1@clinic.test>',
          'In-Reply-To': internalMessageId,
          References: internalMessageId,
        },
        'Done, sent to my supervisor.\r\n\r\n> old quoted text',
      ),
    );
    await dovecot.append(
      raw({
        From: `MAILER-DAEMON@mx.test`,
        To: `records@${REPLY_DOMAIN}`,
        Subject: 'Returned',
        'Message-ID': '<b-2@mx.test>',
        'Auto-Submitted': 'auto-replied',
      }),
    );
    const first = await pollImap(t.running.services, { imapUrl: dovecot.url });
    expect(first).toMatchObject({ fetched: 2, stored: 2 });
    const d = await details();
    expect(d.thread.length).toBe(count + 1);
    expect(d.thread.filter((m) => m.body === 'Done, sent to my supervisor.')).toHaveLength(1);
    const [row] = await db()
      .select()
      .from(inboundEmails)
      .where(and(eq(inboundEmails.via, 'imap'), eq(inboundEmails.status, 'threaded')));
    expect(row?.matchedBy).toBe('in_reply_to');
    expect((await pollImap(t.running.services, { imapUrl: dovecot.url })).fetched).toBe(0);
    // The same message again (another copy in the mailbox) is a duplicate, not a second post.
    await dovecot.append(
      raw(
        {
          From: therapist.email,
          To: `records@${REPLY_DOMAIN}`,
          Subject: 'Re',
          'Message-ID': '<imap-reply-1@clinic.test>',
          'In-Reply-To': internalMessageId,
        },
        'Done',
      ),
    );
    expect((await pollImap(t.running.services, { imapUrl: dovecot.url })).fetched).toBe(1);
    expect((await details()).thread.length).toBe(count + 1);
  });
});
