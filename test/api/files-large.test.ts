// A 500 MB file (issue 6, "Bad input and faults: … a corrupt or 500 MB file"): support picks a
// hospital's whole chart, a 500 MB scan, and uploads it. Against a real listening server, over a
// real socket, with the body streamed from a generator (never held by the test either): the answer
// is 413 with a plain message naming the 25 MB limit; it arrives after the server has read little
// more than 25 MB (counted on the server's socket, not guessed from time); the server's memory does
// not grow with the file; nothing is stored or audited as uploaded; and the next request is served.
// The same through a chunked upload without Content-Length. Inbound email: an attachment over 25 MB
// is refused and told to the sender while the rest of the email (its words, its other file) is kept.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEmails } from '../../src/server/db/schema-mail.js';
import { TOO_LARGE_MESSAGE } from '../../src/server/documents/content.js';
import { MAX_FILE_BYTES } from '../../src/server/documents/vocabulary.js';
import { receiveEmail } from '../../src/server/mail/inbound.js';
import { createMailApp } from '../mail/support.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { outboxEmails } from '../support/outbox.js';
import { createRequestAs, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const MB = 1024 * 1024;
const BOUNDARY = '----rdLargeUploadBoundary7MA4YWxkTrZu0gW';

interface Sent {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Bytes of body the client had handed to its socket when the answer came. */
  clientSent: number;
  /** Bytes the server's socket had read from this connection when it closed (or now). */
  serverRead: number;
}

describe('a 500 MB upload through a real listening server', () => {
  let t: TestApp;
  let support: Agent;
  let requestId: string;
  let port: number;
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.running.services.database.pool.query<R>(text, params).then((r) => r.rows);
  const fileCount = async () =>
    (await sql<{ n: number }>('select count(*)::int as n from files where request_id = $1', [requestId]))[0]!
      .n;

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    const supportUser = await createUser(t, practice, ['support']);
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist);
    support = await signIn(t, supportUser, { ip: '127.0.0.1' });
    requestId = (await createRequestAs(support, client.id)).id;
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The multipart body's start: the purpose field and the file part's header, then a PDF's first bytes. */
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nrecord\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="documentClass"\r\n\r\nprogress_notes\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="whole-chart.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n%PDF-1.7\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

  /**
   * POST a multipart body of `fileBytes` file bytes, generated 64 KB at a time and written only as
   * fast as the socket takes them; stops writing as soon as the answer arrives (or the server
   * closes). With `chunked`, no Content-Length is sent (Transfer-Encoding: chunked).
   */
  async function upload(
    fileBytes: number,
    opts: { chunked?: boolean; signedIn?: boolean; file?: Buffer } = {},
  ): Promise<Sent> {
    const total = head.length + fileBytes + (opts.file?.length ?? 0) + tail.length;
    // A connection of its own (so its bytes are this upload's), kept alive unless the server closes it.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: `/api/requests/${requestId}/files`,
      agent,
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(opts.signedIn === false
          ? {}
          : { cookie: `rd_session=${support.cookie}`, 'x-csrf-token': support.csrfToken }),
        ...(opts.chunked ? {} : { 'content-length': String(total) }),
      },
    });
    const serverSocket = once(t.app.server, 'connection').then(([s]) => s as Socket);
    let clientSent = 0;
    let settled = false;
    const answer = new Promise<Omit<Sent, 'clientSent' | 'serverRead'>>((resolve, reject) => {
      req.on('response', (res) => {
        settled = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', (err) => {
        settled = true;
        reject(err);
      });
    });
    const stop = answer.then(
      () => 'answered',
      () => 'failed',
    );
    const write = async (data: Buffer) => {
      if (settled) return;
      clientSent += data.length;
      if (!req.write(data)) await Promise.race([once(req, 'drain'), stop]);
    };
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    await write(head);
    if (opts.file) await write(opts.file);
    for (let sent = 0; sent < fileBytes && !settled; sent += chunk.length) {
      await write(chunk.subarray(0, Math.min(chunk.length, fileBytes - sent)));
    }
    await write(tail);
    if (!settled) req.end();
    const res = await answer;
    agent.destroy();
    const socket = await serverSocket;
    if (!socket.destroyed) await once(socket, 'close');
    return { ...res, clientSent, serverRead: socket.bytesRead };
  }

  /** This process's heap and buffers (the server runs in it). */
  const memoryInUse = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };

  /** The most memory in use, sampled while `fn` runs. */
  async function peakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
    let peak = memoryInUse();
    const sampler = setInterval(() => {
      peak = Math.max(peak, memoryInUse());
    }, 5);
    try {
      const result = await fn();
      return { result, peak: Math.max(peak, memoryInUse()) };
    } finally {
      clearInterval(sampler);
    }
  }

  async function expectRefusedUnread(res: Sent) {
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({
      error: 'payload_too_large',
      message: TOO_LARGE_MESSAGE,
      maxBytes: MAX_FILE_BYTES,
    });
    expect(TOO_LARGE_MESSAGE).toContain('larger than 25 MB');
    expect(res.headers.connection).toBe('close');
    // The server read the 25 MB it may keep and stopped: the socket's own count, not the client's.
    expect(res.serverRead).toBeGreaterThan(MAX_FILE_BYTES);
    expect(res.serverRead).toBeLessThan(MAX_FILE_BYTES + 8 * MB);
    // The client was stopped too: at most the socket buffers' worth beyond what the server read.
    expect(res.clientSent).toBeLessThan(MAX_FILE_BYTES + 16 * MB);
  }

  it('500 MB with a Content-Length: 413 naming the 25 MB limit once the server has read 25 MB; memory does not follow the size; nothing is stored or audited', async () => {
    const filesBefore = await fileCount();
    const uploadedBefore = (await auditRows(t, 'file.uploaded')).length;
    const base = memoryInUse();
    const hundred = await peakMemory(() => upload(100 * MB));
    const fiveHundred = await peakMemory(() => upload(500 * MB));
    await expectRefusedUnread(hundred.result);
    await expectRefusedUnread(fiveHundred.result);
    // Five times the file: the same bytes read, and never more memory than the 25 MB it may keep
    // (plus buffers and garbage not yet collected), far from the 500 MB a buffered body would take.
    expect(Math.abs(fiveHundred.result.serverRead - hundred.result.serverRead)).toBeLessThan(4 * MB);
    expect(fiveHundred.peak - base).toBeLessThan(100 * MB);
    const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
    console.info(
      `500 MB upload: server read ${mb(fiveHundred.result.serverRead)}, client sent ${mb(fiveHundred.result.clientSent)}, ` +
        `peak memory +${mb(fiveHundred.peak - base)}; 100 MB upload: read ${mb(hundred.result.serverRead)}, peak +${mb(hundred.peak - base)}`,
    );
    expect(await fileCount()).toBe(filesBefore);
    expect((await auditRows(t, 'file.uploaded')).length).toBe(uploadedBefore);
  });

  it('500 MB sent chunked, without a Content-Length: the same 413, read no further; nothing is stored', async () => {
    const filesBefore = await fileCount();
    const res = await upload(500 * MB, { chunked: true });
    await expectRefusedUnread(res);
    expect(await fileCount()).toBe(filesBefore);
  });

  it('not signed in: 401 before a byte of the file is read, and the connection is closed', async () => {
    const res = await upload(500 * MB, { signedIn: false });
    expect(res.status).toBe(401);
    expect(res.headers.connection).toBe('close');
    expect(res.serverRead).toBeLessThan(16 * MB);
  });

  it('after the refusals the server goes on serving: the file list, and a small PDF uploaded the same way (201)', async () => {
    const list = await fetch(`http://127.0.0.1:${port}/api/requests/${requestId}/files`, {
      headers: { cookie: `rd_session=${support.cookie}` },
    });
    expect(list.status).toBe(200);
    const pdf = Buffer.from(
      '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
        '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n' +
        'trailer<</Root 1 0 R>>\n%%EOF\n',
      'latin1',
    );
    const res = await upload(0, { file: pdf });
    expect(res.status, res.body).toBe(201);
    expect(res.headers.connection).not.toBe('close');
    expect(JSON.parse(res.body)).toMatchObject({ name: 'whole-chart.pdf', duplicate: false });
    expect(await fileCount()).toBe(1);
  });
});

describe('an email whose attachment is over 25 MB', () => {
  let t: TestApp;
  let support: Agent;
  let request: RequestDetails;

  beforeAll(async () => {
    // A mailbox that takes messages up to 50 MB, so a 26 MB attachment (35 MB as base64) arrives.
    t = await createMailApp({ MAIL_MAX_MESSAGE_MB: '50' });
    const practice = await createPractice(t);
    support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist);
    request = await createRequestAs(support, client.id, {
      requester: { name: 'Sam Lawyer', email: 'sam@law.test' },
    });
    await runJobs(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses that file and tells the sender (naming the 25 MB limit, not the file), while the words and the other file are kept', async () => {
    const boundary = 'mixed-7f3a';
    const base64 = (data: Buffer) => data.toString('base64').replace(/.{76}/g, '$&\r\n');
    const consent = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    );
    const chart = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(26 * MB, 0x20)]);
    const part = (name: string, data: Buffer) =>
      `--${boundary}\r\nContent-Type: application/pdf; name="${name}"\r\n` +
      `Content-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64(data)}\r\n`;
    const raw = Buffer.from(
      [
        'From: Sam Lawyer <sam@law.test>',
        'To: records@mail.practice.test',
        `Subject: Re: ${request.number}`,
        'Message-ID: <big-attachment-1@law.test>',
        'MIME-Version: 1.0',
        `Content-Type: multipart/mixed; boundary="${boundary}"`,
        '',
        `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHere is the signed consent and the whole chart.\r\n` +
          part('consent.pdf', consent) +
          part('whole-chart.pdf', chart) +
          `--${boundary}--\r\n`,
      ].join('\r\n'),
    );
    expect(raw.length).toBeGreaterThan(30 * MB);

    const received = await receiveEmail(t.running.services, raw, { via: 'smtp' });
    expect(received.status).toBe('threaded');
    const db = t.running.services.database.db;
    const [row] = await db.select().from(inboundEmails).where(eq(inboundEmails.id, received.inboundId!));
    expect(row!.attachments.map((a) => [a.name, a.fileId !== null, a.refused])).toEqual([
      ['consent.pdf', true, null],
      ['whole-chart.pdf', false, TOO_LARGE_MESSAGE],
    ]);
    // The words are on the thread; the small file is a file of the request; the big one is not.
    const details = (await support.get(`/api/requests/${request.id}`)).json() as RequestDetails;
    expect(
      details.thread.some((m) => m.body.includes('Here is the signed consent and the whole chart.')),
    ).toBe(true);
    const files = (await support.get(`/api/requests/${request.id}/files`)).json() as {
      files: { name: string }[];
    };
    expect(files.files.map((f) => f.name)).toEqual(['consent.pdf']);
    // The sender is told which kind of file was refused and why, without its name.
    // (The body is sealed at rest, SEC-4: read through the outbox helper, which opens it.)
    const [refusal] = await outboxEmails(t, "inbound_email_id = $1 and kind = 'attachment_refused'", [
      received.inboundId!,
    ]);
    expect(refusal?.recipients).toEqual(['sam@law.test']);
    expect(refusal?.text).toContain('1 of the 2 file(s) you attached');
    expect(refusal?.text).toContain(TOO_LARGE_MESSAGE);
    expect(refusal?.text).toContain('Your message itself was received.');
    expect(refusal?.text).not.toContain('whole-chart');
  });
});
