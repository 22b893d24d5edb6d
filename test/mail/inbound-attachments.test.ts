// Emailed attachments get the staff upload's own check (issue 6: "A non-PDF disguised as PDF, a
// corrupt or 500 MB file, a zip bomb image, an encrypted PDF … each ends in a clear message … never
// a lost upload"), through the real built-in SMTP receiver fed by nodemailer: a phone photo by email
// becomes an upright PDF page; a zip-bomb PNG, a text file named .pdf and a password-protected PDF
// are refused and the sender is told why (never the files' names) while the words and the good
// file are kept; the same file emailed twice is kept once; a scan polled from a Dovecot mailbox
// over IMAP is converted the same way. Every stored file is a checked PDF.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEmails } from '../../src/server/db/schema-mail.js';
import { UNSUPPORTED_TYPE_MESSAGE } from '../../src/server/documents/content.js';
import { EMAILED_PROTECTED_PDF_MESSAGE } from '../../src/server/mail/attachments.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { pollImap } from '../../src/server/mail/imap.js';
import { type Receiver, startReceiver } from '../../src/server/mail/receiver.js';
import type { TestApp } from '../support/app.js';
import { type Dovecot, dovecotAvailable, startDovecot } from '../support/dovecot.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { displayedCorners, orientedJpeg, renderPage } from '../support/photos.js';
import { createRequestAs, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { createMailApp, header, type Sink, startSink } from './support.js';

const MB = 1024 * 1024;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** A well-formed PNG (CRCs right) whose header says width × height, over the pixels given. */
function png(width: number, height: number, pixels: Buffer): Buffer {
  const crc32 = (data: Buffer) => {
    let c = 0xffffffff;
    for (const b of data) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function letterPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([612, 792]).drawText(text, { x: 72, y: 700, size: 14, font });
  return Buffer.from(await doc.save());
}

/** A PDF locked by Debian's qpdf (AES-256) with this user password ('' for "owner password only"). */
function lockedPdf(plain: Buffer, userPassword: string): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-mail-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), plain);
    const out = path.join(dir, 'out.pdf');
    execFileSync('qpdf', [
      '--encrypt',
      userPassword,
      'owner-secret',
      '256',
      '--',
      path.join(dir, 'in.pdf'),
      out,
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface FileRow {
  id: string;
  name: string;
  contentType: string;
  purpose: string;
}

let t: TestApp;
let sink: Sink;
let receiver: Receiver;
let support: Agent;
let request: RequestDetails;
let replyTo: string;

const pump = async () => {
  await dispatchPending(t.running.services);
  await runJobs(t);
};
const filesOf = async () =>
  ((await support.get(`/api/requests/${request.id}/files`)).json() as { files: FileRow[] }).files;
const download = async (id: string) =>
  (await support.get(`/api/requests/${request.id}/files/${id}`)).rawPayload;
const inbound = async (messageId: string) => {
  const [row] = await t.running.services.database.db
    .select()
    .from(inboundEmails)
    .where(eq(inboundEmails.messageId, messageId));
  return row!;
};
const deliver = async (mail: Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0]) => {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: receiver.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    return await transport.sendMail({ from: 'Sam Lawyer <sam@law.test>', to: replyTo, ...mail });
  } finally {
    transport.close();
  }
};
/** The "not accepted" emails sent to the requester since `before`. */
const refusalsSince = (before: number) =>
  sink.messages
    .slice(before)
    .filter((m) => m.rcptTo.includes('sam@law.test') && /not accepted/.test(m.parsed.subject ?? ''));

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  receiver = await startReceiver(t.running.services, { port: 0, host: '127.0.0.1' });
  const practice = await createPractice(t);
  support = await signIn(t, await createUser(t, practice, ['support']));
  const therapist = await createUser(t, practice, ['therapist']);
  const client = await createClient(t, practice, therapist);
  request = await createRequestAs(support, client.id, {
    requester: { name: 'Sam Lawyer', email: 'sam@law.test' },
  });
  await runJobs(t);
  await pump();
  // The requester's acknowledgement carries the requester thread's reply address.
  const ack = sink.messages.find((m) => m.rcptTo.includes('sam@law.test'));
  replyTo = header(ack!.raw, 'Reply-To')!;
  expect(replyTo).toMatch(/\+/);
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
  await sink?.stop();
});

describe('emailed attachments get the upload check (issue 6)', () => {
  it('a phone photo sent by email (stored sideways, EXIF orientation 6) becomes an upright portrait PDF page', async () => {
    await deliver({
      subject: `Re: ${request.number}`,
      messageId: '<photo-1@law.test>',
      text: 'A photo of the signed page.',
      attachments: [{ filename: 'IMG_2041.jpg', content: orientedJpeg(6), contentType: 'image/jpeg' }],
    });
    const row = await inbound('<photo-1@law.test>');
    expect(row.status).toBe('threaded');
    expect(row.attachments.map((a) => [a.name, a.refused])).toEqual([['IMG_2041.pdf', null]]);
    const stored = (await filesOf()).find((f) => f.id === row.attachments[0]!.fileId)!;
    expect(stored).toMatchObject({
      name: 'IMG_2041.pdf',
      contentType: 'application/pdf',
      purpose: 'request',
    });
    // 40 × 20 pixels as the sensor read them: seen as a portrait page, the stored top-left (red)
    // quadrant at the top right, as the phone showed it.
    const page = await renderPage(await download(stored.id));
    expect(page.height).toBeGreaterThan(page.width);
    expect(displayedCorners(page)).toEqual({
      topLeft: 'blue',
      topRight: 'red',
      bottomLeft: 'white',
      bottomRight: 'green',
    });
    const [event] = (await auditRows(t, 'file.uploaded')).filter((r) => r.data.fileId === stored.id);
    expect(event?.data).toMatchObject({
      receivedAs: 'image/jpeg',
      convertedToPdf: true,
      receivedBy: 'email',
    });
  });

  it('a zip-bomb PNG and a text file named .pdf are refused and the sender told why (not their names), while the words and the good PDF are kept', async () => {
    const before = sink.messages.length;
    const filesBefore = (await filesOf()).length;
    // 64 MB of pixels behind a 100 × 100 header, squeezed into ~64 KB.
    const bomb = png(100, 100, Buffer.alloc(64 * MB));
    expect(bomb.length).toBeLessThan(MB);
    const consent = await letterPdf('Signed consent, page 1');
    await deliver({
      subject: `Re: ${request.number}`,
      messageId: '<faults-1@law.test>',
      text: 'Here are the consent and the scans you asked for.',
      attachments: [
        { filename: 'scan-of-chart.png', content: bomb, contentType: 'image/png' },
        {
          filename: 'hospital-discharge.pdf',
          content: Buffer.from('Discharge summary typed in a text editor, not a PDF'),
          contentType: 'application/pdf',
        },
        { filename: 'consent.pdf', content: consent, contentType: 'application/pdf' },
      ],
    });
    const row = await inbound('<faults-1@law.test>');
    expect(row.status).toBe('threaded');
    const bombMessage =
      'This image is too large to convert to a PDF page: it says it is 100 × 100 pixels, and the limit is ' +
      '12,000 pixels a side and 36 megapixels. Scan or save it at a lower resolution and upload it again; nothing was stored.';
    expect(row.attachments.map((a) => [a.name, a.fileId !== null, a.refused])).toEqual([
      ['scan-of-chart.png', false, bombMessage],
      ['hospital-discharge.pdf', false, UNSUPPORTED_TYPE_MESSAGE],
      ['consent.pdf', true, null],
    ]);
    // Only the good file is new, and it is the PDF as sent (a checked PDF is stored as it is).
    const files = await filesOf();
    expect(files.length).toBe(filesBefore + 1);
    expect(files.filter((f) => f.contentType !== 'application/pdf')).toEqual([]);
    const kept = files.find((f) => f.id === row.attachments[2]!.fileId)!;
    expect(Buffer.from(await download(kept.id)).equals(consent)).toBe(true);
    // The words are on the thread, with what became of each file (staff see the names).
    const thread = ((await support.get(`/api/requests/${request.id}`)).json() as RequestDetails).thread;
    const posted = thread.find((m) => m.body.includes('Here are the consent and the scans you asked for.'));
    expect(posted?.body).toContain('- scan-of-chart.png: not accepted');
    expect(posted?.body).toContain('- consent.pdf: kept with the request');
    // The sender is told the two reasons, never the names of the files.
    await pump();
    const refusals = refusalsSince(before);
    expect(refusals).toHaveLength(1);
    const text = refusals[0]!.parsed.text ?? '';
    expect(text).toContain('2 of the 3 file(s) you attached');
    expect(text).toContain(bombMessage);
    expect(text).toContain(UNSUPPORTED_TYPE_MESSAGE);
    expect(text).toContain('Your message itself was received.');
    for (const name of ['scan-of-chart', 'hospital-discharge', 'consent']) {
      expect(refusals[0]!.raw).not.toContain(name);
    }
  });

  it('a password-protected PDF is refused with what to do (a password cannot come by email); one that only restricts printing is opened and kept', async () => {
    const before = sink.messages.length;
    const locked = lockedPdf(await letterPdf('Inpatient record from County Hospital'), 'Tulip-7734');
    const restricted = lockedPdf(await letterPdf('Lab results, printing restricted'), '');
    await deliver({
      subject: `Re: ${request.number}`,
      messageId: '<locked-1@law.test>',
      text: 'The hospital records.',
      attachments: [
        { filename: 'inpatient.pdf', content: locked, contentType: 'application/pdf' },
        { filename: 'labs.pdf', content: restricted, contentType: 'application/pdf' },
      ],
    });
    const row = await inbound('<locked-1@law.test>');
    expect(row.attachments.map((a) => [a.name, a.fileId !== null, a.refused])).toEqual([
      ['inpatient.pdf', false, EMAILED_PROTECTED_PDF_MESSAGE],
      ['labs.pdf', true, null],
    ]);
    const labs = await download(row.attachments[1]!.fileId!);
    expect((await PDFDocument.load(labs)).getPageCount()).toBe(1); // opened: pdf-lib refuses encrypted files
    const [event] = (await auditRows(t, 'file.uploaded')).filter(
      (r) => r.data.fileId === row.attachments[1]!.fileId,
    );
    expect(event?.data).toMatchObject({ passwordRemoved: true, receivedBy: 'email' });
    await pump();
    const [refusal] = refusalsSince(before);
    expect(refusal?.parsed.text).toContain(EMAILED_PROTECTED_PDF_MESSAGE);
    expect(refusal?.raw).not.toContain('Tulip-7734');
  });

  it('the same file emailed again is kept once: the second email names the file already there', async () => {
    const photo = orientedJpeg(3, { width: 30, height: 20 });
    await deliver({
      subject: `Re: ${request.number}`,
      messageId: '<twice-1@law.test>',
      text: 'The receipt.',
      attachments: [{ filename: 'receipt.jpg', content: photo, contentType: 'image/jpeg' }],
    });
    const count = (await filesOf()).length;
    await deliver({
      subject: `Re: ${request.number}`,
      messageId: '<twice-2@law.test>',
      text: 'Sending the receipt again in case.',
      attachments: [{ filename: 'receipt (1).jpg', content: photo, contentType: 'image/jpeg' }],
    });
    const first = await inbound('<twice-1@law.test>');
    const second = await inbound('<twice-2@law.test>');
    expect(second.status).toBe('threaded');
    expect(second.attachments[0]?.fileId).toBe(first.attachments[0]?.fileId);
    expect((await filesOf()).length).toBe(count);
    const duplicates = (await auditRows(t, 'file.upload_duplicate')).filter(
      (r) => r.data.inboundId === second.id,
    );
    expect(duplicates).toHaveLength(1);
  });
});

describe.runIf(dovecotAvailable())('an attachment fetched from the mailbox over IMAP (Dovecot)', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('a PNG scan in a message polled from the mailbox is stored as a PDF page, like one by SMTP', async () => {
    // 60 × 30 RGB pixels, mid grey: each row a filter byte ("none") and its pixels.
    const line = Buffer.concat([Buffer.from([0]), Buffer.alloc(60 * 3, 128)]);
    const scan = png(60, 30, Buffer.concat(Array.from({ length: 30 }, () => line)));
    const boundary = 'scan-b1';
    const base64 = scan.toString('base64').replace(/.{76}/g, '$&\r\n');
    await dovecot.append(
      Buffer.from(
        [
          'From: Sam Lawyer <sam@law.test>',
          `To: ${replyTo}`,
          `Subject: Re: ${request.number}`,
          'Message-ID: <imap-scan-1@law.test>',
          'MIME-Version: 1.0',
          `Content-Type: multipart/mixed; boundary="${boundary}"`,
          '',
          `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe scanned form.\r\n` +
            `--${boundary}\r\nContent-Type: image/png; name="form.png"\r\n` +
            `Content-Disposition: attachment; filename="form.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64}\r\n` +
            `--${boundary}--\r\n`,
        ].join('\r\n'),
      ),
    );
    expect(await pollImap(t.running.services, { imapUrl: dovecot.url })).toMatchObject({
      fetched: 1,
      stored: 1,
    });
    const row = await inbound('<imap-scan-1@law.test>');
    expect(row).toMatchObject({ via: 'imap', status: 'threaded' });
    expect(row.attachments.map((a) => [a.name, a.refused])).toEqual([['form.pdf', null]]);
    const pdf = await PDFDocument.load(await download(row.attachments[0]!.fileId!));
    // Too small to read at 72 dpi: a page 2 inches on its longer side, the scan's shape kept.
    expect(pdf.getPages().map((p) => [p.getWidth(), p.getHeight()])).toEqual([[144, 72]]);
  });
});
