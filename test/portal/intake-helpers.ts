// Driving the public request form through its real API in tests: a solved proof of work, the code
// read from the SMTP sink, and the multipart submission (answers as JSON, documents by field).
import { randomBytes } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { solveChallenge } from '../../src/server/portal/intake/pow.js';
import type { Sink } from '../mail/support.js';
import type { TestApp } from '../support/app.js';
import type { Response } from '../support/session.js';

export interface Pow {
  challenge: string;
  nonce: string;
}

export async function solvedPow(t: TestApp, ip: string): Promise<Pow> {
  const res = await t.app.inject({ method: 'POST', url: '/api/portal/intake/challenge', remoteAddress: ip });
  if (res.statusCode !== 200) throw new Error(`challenge answered ${res.statusCode}: ${res.body}`);
  const { challenge, difficulty } = res.json() as { challenge: string; difficulty: number };
  return { challenge, nonce: solveChallenge(challenge, difficulty) };
}

export async function askCode(t: TestApp, body: Record<string, unknown>, ip: string): Promise<Response> {
  const pow = 'pow' in body ? body.pow : await solvedPow(t, ip);
  return t.app.inject({
    method: 'POST',
    url: '/api/portal/intake/code',
    remoteAddress: ip,
    payload: { ...body, pow },
  });
}

/** The latest code emailed to `email` (the sink got it synchronously with the 202). */
export function codeFrom(sink: Sink, email: string): string {
  const mine = sink.messages.filter((m) => m.rcptTo.includes(email));
  const text = mine.at(-1)?.parsed.text ?? '';
  const m = /(\d{6})/.exec(text);
  if (!m) throw new Error(`no code emailed to ${email}`);
  return m[1]!;
}

export interface FilePart {
  field: string;
  filename: string;
  data: Buffer;
  contentType?: string;
}

export function intakeMultipart(
  submission: unknown,
  files: FilePart[] = [],
): { payload: Buffer; contentType: string } {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="submission"\r\n\r\n${JSON.stringify(submission)}\r\n`,
    ),
  ];
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\n` +
          `Content-Type: ${f.contentType ?? 'application/pdf'}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function submitForm(
  t: TestApp,
  submission: Record<string, unknown>,
  ip: string,
  files: FilePart[] = [],
): Promise<Response> {
  const pow = 'pow' in submission ? submission.pow : await solvedPow(t, ip);
  const { payload, contentType } = intakeMultipart({ ...submission, pow }, files);
  return t.app.inject({
    method: 'POST',
    url: '/api/portal/intake',
    remoteAddress: ip,
    headers: { 'content-type': contentType },
    payload,
  });
}

/** A small real PDF with one line of text. */
export async function onePagePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([300, 200]);
  page.drawText(text, { x: 20, y: 100, size: 12 });
  return Buffer.from(await doc.save());
}
