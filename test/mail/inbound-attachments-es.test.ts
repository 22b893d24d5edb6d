// Issue 7: a requester whose request is in Spanish emails files through the real built-in SMTP
// receiver; the refused ones (a zip-bomb PNG, a text file named .pdf) are kept out, and the reply
// that tells her so is in Spanish (usted), reasons included, never the files' names. Staff still
// read the thread in English.
import { deflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundEmails } from '../../src/server/db/schema-mail.js';
import { UNSUPPORTED_TYPE_MESSAGE } from '../../src/server/documents/content.js';
import { dispatchPending } from '../../src/server/mail/dispatch.js';
import { type Receiver, startReceiver } from '../../src/server/mail/receiver.js';
import type { TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { createRequestAs, type RequestDetails, runJobs } from '../support/requests.js';
import { type Agent, signIn } from '../support/session.js';
import { createMailApp, header, type Sink, startSink } from './support.js';

const MB = 1024 * 1024;
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
/** A well-formed PNG whose header says width × height over far more pixels: a zip bomb. */
function bombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100, 0);
  ihdr.writeUInt32BE(100, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64 * MB))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let t: TestApp;
let sink: Sink;
let receiver: Receiver;
let support: Agent;
let request: RequestDetails;
let replyTo: string;

beforeAll(async () => {
  sink = await startSink();
  t = await createMailApp({ SMTP_URL: `smtp://127.0.0.1:${sink.port}` });
  receiver = await startReceiver(t.running.services, { port: 0, host: '127.0.0.1' });
  const practice = await createPractice(t, { name: 'Consultorio Riverbend' });
  support = await signIn(t, await createUser(t, practice, ['support']));
  const client = await createClient(t, practice, await createUser(t, practice, ['therapist']));
  request = await createRequestAs(support, client.id, {
    requester: { name: 'Marta Ruiz', email: 'marta@ejemplo.test' },
    language: 'es',
  });
  await runJobs(t);
  await dispatchPending(t.running.services);
  await runJobs(t);
  const ack = sink.messages.find((m) => m.rcptTo.includes('marta@ejemplo.test'));
  replyTo = header(ack!.raw, 'Reply-To')!;
  expect(replyTo).toMatch(/\+/);
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
  await sink?.stop();
});

describe('issue 7: refused attachments are explained in the request’s language', () => {
  it('a Spanish requester’s zip-bomb PNG and text file named .pdf are refused, and she is told why in Spanish (no file names); staff read English', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    doc.addPage([612, 792]).drawText('Consentimiento firmado', { x: 72, y: 700, size: 14, font });
    const consent = Buffer.from(await doc.save());
    const before = sink.messages.length;
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: receiver.port,
      secure: false,
      ignoreTLS: true,
    });
    try {
      await transport.sendMail({
        from: 'Marta Ruiz <marta@ejemplo.test>',
        to: replyTo,
        subject: `Re: ${request.number}`,
        messageId: '<es-faults-1@ejemplo.test>',
        text: 'Aquí están el consentimiento y los escaneos.',
        attachments: [
          { filename: 'escaneo-del-expediente.png', content: bombPng(), contentType: 'image/png' },
          {
            filename: 'alta-del-hospital.pdf',
            content: Buffer.from('Resumen escrito en un editor de texto, no un PDF'),
            contentType: 'application/pdf',
          },
          { filename: 'consentimiento.pdf', content: consent, contentType: 'application/pdf' },
        ],
      });
    } finally {
      transport.close();
    }
    const [row] = await t.running.services.database.db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.messageId, '<es-faults-1@ejemplo.test>'));
    expect(row?.status).toBe('threaded');
    // Staff keep the English reasons on the thread (their language), with the names.
    expect(row!.attachments.map((a) => [a.name, a.fileId !== null, a.refused])).toEqual([
      ['escaneo-del-expediente.png', false, expect.stringMatching(/^This image is too large/)],
      ['alta-del-hospital.pdf', false, UNSUPPORTED_TYPE_MESSAGE],
      ['consentimiento.pdf', true, null],
    ]);

    await dispatchPending(t.running.services);
    await runJobs(t);
    const refusals = sink.messages
      .slice(before)
      .filter(
        (m) => m.rcptTo.includes('marta@ejemplo.test') && /no se aceptaron/.test(m.parsed.subject ?? ''),
      );
    expect(refusals).toHaveLength(1);
    const mail = refusals[0]!;
    expect(mail.parsed.subject).toBe(
      `Re: su correo sobre la solicitud ${request.number}: algunos archivos no se aceptaron`,
    );
    const text = mail.parsed.text ?? '';
    expect(text).toContain(
      `2 de los 3 archivos que usted adjuntó sobre la solicitud ${request.number} no se pudieron aceptar:`,
    );
    expect(text).toContain(
      '- Esta imagen es demasiado grande para convertirla en una página PDF: dice que mide 100 × 100 píxeles, y el límite es 12,000 píxeles por lado y 36 megapíxeles.',
    );
    expect(text).toContain(
      '- Solo se aceptan archivos PDF, JPEG y PNG, y este archivo no es ninguno de ellos (se revisó su contenido, no solo su nombre).',
    );
    expect(text).toContain(
      'Su mensaje sí nos llegó. Envíe el archivo otra vez como PDF, JPEG o PNG, o comuníquese con Consultorio Riverbend.',
    );
    expect(text).not.toMatch(/\b(the|file|your|could not)\b/i);
    for (const name of ['escaneo-del-expediente', 'alta-del-hospital', 'consentimiento.pdf']) {
      expect(mail.raw).not.toContain(name);
    }
  });
});
