// Bad input and faults at upload (issue 6): "A non-PDF disguised as PDF, a corrupt or 500 MB file, a
// zip bomb image, an encrypted PDF, a file uploaded twice […]: each ends in a clear message or a
// retried job, never a half-written packet and never a lost upload." One row per fault: the status,
// the plain message word for word, and that nothing was stored (no file row, no "uploaded" event).
// The 500 MB file over a real socket is files-large.test.ts; a crash in the middle of packet
// assembly is test/packets/ (the job retried, no half-written packet).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAMAGED_PDF_MESSAGE,
  ENCRYPTED_PDF_MESSAGE,
  TOO_LARGE_MESSAGE,
  UNSUPPORTED_TYPE_MESSAGE,
} from '../../src/server/documents/content.js';
import { DAMAGED_IMAGE_MESSAGE } from '../../src/server/documents/image.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { quadrantJpeg } from '../support/photos.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';
import { type UploadPart, uploadTo } from '../support/uploads.js';

const MB = 1024 * 1024;

async function letterPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([612, 792]).drawText(text, { x: 72, y: 700, size: 14, font });
  return Buffer.from(await doc.save());
}

/** A PDF locked with a user password by Debian's qpdf (AES-256). */
function lockedPdf(plain: Buffer, userPassword: string): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-faults-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), plain);
    const out = path.join(dir, 'out.pdf');
    execFileSync('qpdf', ['--encrypt', userPassword, 'owner', '256', '--', path.join(dir, 'in.pdf'), out]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PNG whose header says width × height, over the pixels given (compressed). */
function png(width: number, height: number, pixels: Buffer): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
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

const bombMessage = (side: string) =>
  `This image is too large to convert to a PDF page: it says it is ${side} pixels, and the limit is ` +
  '12,000 pixels a side and 36 megapixels. Scan or save it at a lower resolution and upload it again; nothing was stored.';

interface Fault {
  file: () => Promise<UploadPart>;
  status: number;
  error: string;
  message: string;
}

const FAULTS: Record<string, Fault> = {
  'a non-PDF disguised as PDF (a web page named records.pdf, declared application/pdf)': {
    file: async () => ({
      filename: 'records.pdf',
      contentType: 'application/pdf',
      data: Buffer.from('<html><body>Progress notes</body></html>'),
    }),
    status: 415,
    error: 'unsupported_media_type',
    message: UNSUPPORTED_TYPE_MESSAGE,
  },
  'a corrupt PDF (cut off a third of the way through)': {
    file: async () => {
      const pdf = await letterPdf('Discharge summary, cut short in transfer');
      return { filename: 'discharge.pdf', data: pdf.subarray(0, Math.floor(pdf.length / 3)) };
    },
    status: 422,
    error: 'damaged_pdf',
    message: DAMAGED_PDF_MESSAGE,
  },
  'a corrupt JPEG (a phone photo cut off half-way)': {
    file: async () => {
      const photo = quadrantJpeg(200, 100);
      return { filename: 'consent.jpg', data: photo.subarray(0, Math.floor(photo.length / 2)) };
    },
    status: 422,
    error: 'damaged_image',
    message: DAMAGED_IMAGE_MESSAGE,
  },
  'a corrupt PNG (cut off inside its pixels)': {
    file: async () => {
      const scan = png(64, 64, Buffer.alloc(64 * (1 + 64 * 3), 7));
      return { filename: 'scan.png', data: scan.subarray(0, 40) };
    },
    status: 422,
    error: 'damaged_image',
    message: DAMAGED_IMAGE_MESSAGE,
  },
  'a file over 25 MB (26 MB; 500 MB over a real socket is files-large.test.ts)': {
    file: async () => ({
      filename: 'chart.pdf',
      data: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(26 * MB, 0x20)]),
    }),
    status: 413,
    error: 'payload_too_large',
    message: TOO_LARGE_MESSAGE,
  },
  'a zip bomb image (a 1 KB PNG claiming 100,000 × 100,000 pixels)': {
    file: async () => {
      const liar = png(1, 1, Buffer.alloc(1024));
      liar.writeUInt32BE(100_000, 16);
      liar.writeUInt32BE(100_000, 20);
      return { filename: 'bomb.png', data: liar };
    },
    status: 422,
    error: 'image_too_large',
    message: bombMessage('100,000 × 100,000'),
  },
  'a zip bomb image (a small PNG whose pixels inflate to 64 MB behind a 100 × 100 header)': {
    file: async () => ({ filename: 'liar.png', data: png(100, 100, Buffer.alloc(64 * MB)) }),
    status: 422,
    error: 'image_too_large',
    message: bombMessage('100 × 100'),
  },
  'an encrypted PDF sent without its password': {
    file: async () => ({
      filename: 'hospital.pdf',
      data: lockedPdf(await letterPdf('Inpatient record from County Hospital'), 'Tulip-7734'),
    }),
    status: 422,
    error: 'encrypted_pdf',
    message: ENCRYPTED_PDF_MESSAGE,
  },
  'an empty file': {
    file: async () => ({ filename: 'empty.pdf', data: Buffer.alloc(0) }),
    status: 400,
    error: 'bad_request',
    message: 'The file is empty.',
  },
};

describe('bad input and faults at upload: a clear message, nothing stored', () => {
  let t: TestApp;
  let support: Agent;
  let requestId: string;
  const fileCount = async () =>
    (
      await t.running.services.database.pool.query<{ n: number }>(
        'select count(*)::int as n from files where request_id = $1',
        [requestId],
      )
    ).rows[0]!.n;
  const uploadedEvents = async () => (await auditRows(t, 'file.uploaded')).length;

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    support = await signIn(t, await createUser(t, practice, ['support']));
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist);
    requestId = (await createRequestAs(support, client.id)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(Object.entries(FAULTS))('%s', async (_fault, { file, status, error, message }) => {
    const part = await file();
    const [files, events] = [await fileCount(), await uploadedEvents()];
    const res = await uploadTo(t, support, requestId, part);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ error, message });
    expect(await fileCount()).toBe(files);
    expect(await uploadedEvents()).toBe(events);
  });

  it('a file uploaded twice: the second answers the first file (200, duplicate), nothing new is stored', async () => {
    const note = { filename: 'note.pdf', data: await letterPdf('Progress note, 12 March') };
    const first = await uploadTo(t, support, requestId, note);
    expect(first.statusCode, first.body).toBe(201);
    const [files, events] = [await fileCount(), await uploadedEvents()];
    const again = await uploadTo(t, support, requestId, { ...note, filename: 'note (1).pdf' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, name: 'note.pdf', duplicate: true });
    expect(await fileCount()).toBe(files);
    expect(await uploadedEvents()).toBe(events);
    const duplicates = (await auditRows(t, 'file.upload_duplicate')).filter(
      (r) => r.data.fileId === first.json().id,
    );
    expect(duplicates).toHaveLength(1);
  });
});
