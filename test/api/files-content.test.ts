// What an upload becomes (issue 6 "Documents", "Bad input and faults"; rule SCOPE-3): support
// scans a consent form on her phone (a JPEG) and a letter (a PNG): each is stored as a PDF page the
// size of the image, so it can go in a packet like any record. A hospital sends a password-protected
// PDF and phones the password: it is opened with qpdf and stored opened, the password kept nowhere.
// A picture that claims to be 100,000 pixels wide, a damaged PDF, a file uploaded twice: each gets a
// precise answer in plain words, and nothing is half-stored.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createClient, createPractice, createUser } from '../support/factories.js';
import { pdfPageCount, pdfText, qpdfCheck } from '../support/pdf.js';
import {
  app1,
  displayedCorners,
  exifTiff,
  orientedJpeg,
  quadrantJpeg,
  renderPage,
  withSegment,
} from '../support/photos.js';
import { createRequestAs } from '../support/requests.js';
import { type Agent, auditRows, signIn } from '../support/session.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Is Debian's qpdf here? Under CI it must be (.ci/run installs it): the tests then fail, never skip. */
const HAS_QPDF = (() => {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const needsQpdf = !HAS_QPDF && process.env.CI !== 'true';

/** A 16 × 16 JPEG (baseline, JFIF). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);

/** The same JPEG with its frame header claiming 60,000 × 60,000 pixels. */
function jpegClaiming(width: number, height: number): Buffer {
  const out = Buffer.from(JPEG);
  const sof = out.indexOf(Buffer.from([0xff, 0xc0]));
  out.writeUInt16BE(height, sof + 5);
  out.writeUInt16BE(width, sof + 7);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of width × height (a gradient), or one whose header lies about its size. */
function png(
  width: number,
  height: number,
  opts: { declared?: [number, number]; idat?: Buffer } = {},
): Buffer {
  const [w, h] = opts.declared ?? [width, height];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  let idat = opts.idat;
  if (!idat) {
    const raw = Buffer.alloc(height * (1 + width * 3));
    for (let y = 0; y < height; y++) {
      const row = y * (1 + width * 3);
      for (let x = 0; x < width; x++) {
        raw[row + 1 + x * 3] = (x * 255) / width;
        raw[row + 2 + x * 3] = (y * 255) / height;
        raw[row + 3 + x * 3] = 128;
      }
    }
    idat = deflateSync(raw);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function letterPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([612, 792]).drawText(text, { x: 72, y: 700, size: 14, font });
  return Buffer.from(await doc.save());
}

/** A PDF locked with qpdf (AES-256): a user password to open it (or none: only an owner password). */
function lockedPdf(plain: Buffer, userPassword: string, ownerPassword = 'owner-secret'): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'rd-locked-'));
  try {
    writeFileSync(path.join(dir, 'in.pdf'), plain);
    execFileSync('qpdf', [
      '--encrypt',
      userPassword,
      ownerPassword,
      '256',
      '--',
      path.join(dir, 'in.pdf'),
      path.join(dir, 'out.pdf'),
    ]);
    return readFileSync(path.join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function multipart(
  fields: Record<string, string>,
  file: { filename: string; contentType: string; data: Buffer } | null,
): { payload: Buffer; contentType: string } {
  const boundary = `----rd${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\n` +
          `Content-Type: ${file.contentType}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('what an upload becomes: images as PDF pages, protected PDFs opened, bad files refused', () => {
  let t: TestApp;
  let support: Agent;
  let requestId: string;
  const sql = <R extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    t.running.services.database.pool.query<R>(text, params).then((r) => r.rows);
  const fileCount = async () => (await sql<{ n: number }>('select count(*)::int as n from files'))[0]!.n;

  function upload(
    data: Buffer,
    filename: string,
    fields: Record<string, string> = { purpose: 'record', documentClass: 'progress_notes' },
    contentType = 'application/octet-stream',
  ) {
    const { payload, contentType: type } = multipart(fields, { filename, contentType, data });
    return t.app.inject({
      method: 'POST',
      url: `/api/requests/${requestId}/files`,
      remoteAddress: support.ip,
      cookies: { rd_session: support.cookie },
      headers: { 'content-type': type, 'x-csrf-token': support.csrfToken },
      payload,
    });
  }
  const download = async (id: string) =>
    (await support.get(`/api/requests/${requestId}/files/${id}`)).rawPayload;
  const pageSizes = async (pdf: Buffer) =>
    (await PDFDocument.load(new Uint8Array(pdf))).getPages().map((p) => {
      const { width, height } = p.getSize();
      return [Math.round(width), Math.round(height)];
    });

  beforeAll(async () => {
    t = await createTestApp();
    const practice = await createPractice(t);
    const supportUser = await createUser(t, practice, ['support'], { name: 'Sam Support' });
    const therapist = await createUser(t, practice, ['therapist']);
    const client = await createClient(t, practice, therapist, { firstName: 'Alex', lastName: 'Moreno' });
    support = await signIn(t, supportUser);
    requestId = (await createRequestAs(support, client.id)).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('SCOPE-3: a JPEG photo becomes a one-page PDF sized to the image, with its class and dates; the upload is audited as converted', async () => {
    const res = await upload(JPEG, 'consent photo.JPG', {
      purpose: 'record',
      documentClass: 'third_party',
      dateFrom: '2026-03-01',
      dateTo: '2026-03-01',
    });
    expect(res.statusCode, res.body).toBe(201);
    const meta = res.json();
    expect(meta).toMatchObject({
      name: 'consent photo.pdf',
      contentType: 'application/pdf',
      documentClass: 'third_party',
      dateFrom: '2026-03-01',
      duplicate: false,
    });
    const pdf = await download(meta.id);
    expect(sha256(pdf)).toBe(meta.sha256);
    await qpdfCheck(pdf);
    expect(await pdfPageCount(pdf)).toBe(1);
    // 16 × 16 pixels: too small to read at 72 dpi, so the page is 2 inches a side.
    expect(await pageSizes(pdf)).toEqual([[144, 144]]);
    const [event] = (await auditRows(t, 'file.uploaded')).filter((r) => r.data.fileId === meta.id);
    expect(event?.data).toMatchObject({
      receivedAs: 'image/jpeg',
      convertedToPdf: true,
      sha256: meta.sha256,
    });
  });

  it('a phone photo held upright (stored sideways, EXIF orientation 6) is stored as a portrait page with the photo upright', async () => {
    // 40 × 20 pixels as the sensor read them; the phone says: turn a quarter clockwise to view.
    const res = await upload(orientedJpeg(6), 'IMG_2041.jpg');
    expect(res.statusCode, res.body).toBe(201);
    const pdf = await download(res.json().id);
    await qpdfCheck(pdf);
    expect(await pageSizes(pdf)).toEqual([[72, 144]]);
    // The stored top-left quadrant (red) is seen top right, the stored top-right (green) bottom right.
    expect(displayedCorners(await renderPage(pdf))).toEqual({
      topLeft: 'blue',
      topRight: 'red',
      bottomLeft: 'white',
      bottomRight: 'green',
    });
  });

  it('a photo whose EXIF block is garbage is stored as it was taken (201, never a 500)', async () => {
    const garbage = exifTiff(6, 'MM').subarray(0, 12); // cut off in the middle of its entry
    const photo = withSegment(quadrantJpeg(30, 20), app1(Buffer.concat([garbage, randomBytes(7)])));
    const res = await upload(photo, 'scan.jpeg');
    expect(res.statusCode, res.body).toBe(201);
    const page = await renderPage(await download(res.json().id));
    expect([page.width, page.height]).toEqual([144, 96]);
    expect(displayedCorners(page).topLeft).toBe('red');
  });

  it('a PNG becomes a page of its own size; a big scan is fitted within a letter page, keeping its shape', async () => {
    const small = (await upload(png(300, 200), 'letter.png')).json();
    expect(small).toMatchObject({ name: 'letter.pdf', contentType: 'application/pdf' });
    expect(await pageSizes(await download(small.id))).toEqual([[300, 200]]);
    const scan = await upload(png(1275, 1650), 'scan-150dpi.png');
    expect(scan.statusCode, scan.body).toBe(201);
    const pdf = await download(scan.json().id);
    await qpdfCheck(pdf);
    expect(await pageSizes(pdf)).toEqual([[612, 792]]);
  });

  it('a picture claiming 100,000 × 100,000 pixels (a zip bomb) is refused before it is decoded, in plain words; nothing is stored', async () => {
    const before = await fileCount();
    const bomb = png(1, 1, { declared: [100_000, 100_000], idat: deflateSync(Buffer.alloc(1024)) });
    const started = Date.now();
    const res = await upload(bomb, 'bomb.png');
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: 'image_too_large' });
    expect(res.json().message).toBe(
      'This image is too large to convert to a PDF page: it says it is 100,000 × 100,000 pixels, and the limit is ' +
        '12,000 pixels a side and 36 megapixels. Scan or save it at a lower resolution and upload it again; nothing was stored.',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    const jpeg = await upload(jpegClaiming(60_000, 60_000), 'huge.jpg');
    expect(jpeg.statusCode).toBe(422);
    expect(jpeg.json().error).toBe('image_too_large');
    // A modest header over pixels that inflate to 64 MB: stopped at the size the header allows.
    const liar = png(100, 100, { idat: deflateSync(Buffer.alloc(64 * 1024 * 1024)) });
    expect(liar.length).toBeLessThan(1024 * 1024);
    const lied = await upload(liar, 'liar.png');
    expect(lied.statusCode).toBe(422);
    expect(lied.json().error).toBe('image_too_large');
    expect(await fileCount()).toBe(before);
  });

  it('a damaged image or PDF answers 422 saying so, and a non-PDF named .pdf answers 415; nothing is stored', async () => {
    const before = await fileCount();
    const brokenPng = Buffer.concat([png(10, 10).subarray(0, 33), randomBytes(64)]);
    const image = await upload(brokenPng, 'scan.png');
    expect(image.statusCode).toBe(422);
    expect(image.json()).toMatchObject({ error: 'damaged_image' });
    expect(image.json().message).toContain('cannot be converted to a PDF page');

    const good = await letterPdf('A letter cut short in the middle of the upload');
    for (const broken of [
      Buffer.from('%PDF-1.7\nthis is not really a PDF at all\n', 'latin1'),
      good.subarray(0, Math.floor(good.length / 3)),
    ]) {
      const res = await upload(broken, 'letter.pdf');
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error: 'damaged_pdf' });
      expect(res.json().message).toBe(
        'This PDF is damaged or incomplete and cannot be opened (its structure was checked). Save, export or scan it again and upload the new file; nothing was stored.',
      );
    }
    const html = await upload(
      Buffer.from('<html><body>records</body></html>'),
      'records.pdf',
      undefined,
      'application/pdf',
    );
    expect(html.statusCode).toBe(415);
    expect(await fileCount()).toBe(before);
  });

  describe.skipIf(needsQpdf)('a password-protected PDF (qpdf)', () => {
    let cached: Buffer | null = null;
    /** A discharge summary locked with the password the hospital read out by phone. */
    const lockedSummary = async () => {
      cached ??= lockedPdf(await letterPdf('Discharge summary from County Hospital'), 'Tulip-7734');
      return cached;
    };

    it('without its password: 422 asking for it; with a wrong one: 422 saying so; nothing is stored', async () => {
      const locked = await lockedSummary();
      const before = await fileCount();
      const missing = await upload(locked, 'discharge.pdf');
      expect(missing.statusCode).toBe(422);
      expect(missing.json()).toMatchObject({
        error: 'encrypted_pdf',
        message:
          'This PDF is protected by a password. Enter its password with the file (it is used once to open the file and never kept), or remove the password and upload it again.',
      });
      const wrong = await upload(locked, 'discharge.pdf', {
        purpose: 'record',
        documentClass: 'third_party',
        password: 'tulip-7734',
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json()).toMatchObject({
        error: 'wrong_pdf_password',
        message:
          'That password does not open this PDF. Check it (capital letters count) and try again; nothing was stored.',
      });
      expect(await fileCount()).toBe(before);
    });

    it('with its password it is opened and stored without one; the password is in no row, event or answer', async () => {
      const locked = await lockedSummary();
      const res = await upload(locked, 'discharge.pdf', {
        purpose: 'record',
        documentClass: 'third_party',
        password: 'Tulip-7734',
      });
      expect(res.statusCode, res.body).toBe(201);
      const meta = res.json();
      const pdf = await download(meta.id);
      expect(sha256(pdf)).toBe(meta.sha256);
      // No password needed any more (qpdf: exit 2 = not encrypted), and the words are there.
      expect(() => execFileSync('qpdf', ['--requires-password', '-'], { input: pdf })).toThrow(
        expect.objectContaining({ status: 2 }),
      );
      expect(await pdfText(pdf)).toContain('Discharge summary from County Hospital');
      await qpdfCheck(pdf);
      const [event] = (await auditRows(t, 'file.uploaded')).filter((r) => r.data.fileId === meta.id);
      expect(event?.data).toMatchObject({ passwordRemoved: true, receivedAs: 'application/pdf' });
      const everywhere = JSON.stringify([
        res.json(),
        await sql('select * from audit_events'),
        await sql('select id, name, purpose, sha256 from files'),
      ]);
      expect(everywhere).not.toContain('Tulip-7734');
    });

    it('a PDF that only restricts printing (no password to open it) is opened without asking', async () => {
      const restricted = lockedPdf(await letterPdf('Lab results, restricted printing'), '');
      const res = await upload(restricted, 'labs.pdf');
      expect(res.statusCode, res.body).toBe(201);
      expect(await pdfText(await download(res.json().id))).toContain('Lab results, restricted printing');
    });

    it('on a server without qpdf, a protected PDF is refused saying the server cannot open protected PDFs', async () => {
      const locked = await lockedSummary();
      const path = process.env.PATH;
      process.env.PATH = '/nonexistent';
      let res: Awaited<ReturnType<typeof upload>>;
      try {
        res = await upload(locked, 'discharge.pdf', {
          purpose: 'record',
          documentClass: 'third_party',
          password: 'Tulip-7734',
        });
      } finally {
        process.env.PATH = path;
      }
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ error: 'encrypted_pdf_unsupported' });
      expect(res.json().message).toContain('This server cannot open password-protected PDFs');
    });
  });

  it('the same file twice for the same purpose answers the first (200, duplicate), stores nothing new, and is audited', async () => {
    const pdf = await letterPdf('Progress note, 12 March');
    const first = await upload(pdf, 'note.pdf');
    expect(first.statusCode).toBe(201);
    const before = await fileCount();
    const again = await upload(pdf, 'note (1).pdf');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, name: 'note.pdf', duplicate: true });
    expect(await fileCount()).toBe(before);
    const [dup] = (await auditRows(t, 'file.upload_duplicate')).filter(
      (r) => r.data.fileId === first.json().id,
    );
    expect(dup?.data).toMatchObject({ uploadedName: 'note (1).pdf', sha256: first.json().sha256 });
    // An image converts to the same bytes each time, so a photo sent twice is caught too.
    const photo = await upload(png(40, 30), 'photo.png');
    const photoAgain = await upload(png(40, 30), 'photo.png');
    expect(photoAgain.json()).toMatchObject({ id: photo.json().id, duplicate: true });
    // The same bytes as another kind of paper are a separate file.
    const asLetter = await upload(pdf, 'note.pdf', { purpose: 'letter' });
    expect(asLetter.statusCode).toBe(201);
  });

  it('two uploads of one file at the same moment keep one file', async () => {
    const pdf = await letterPdf('Treatment plan, sent twice by a double click');
    const before = await fileCount();
    const answers = await Promise.all([upload(pdf, 'plan.pdf'), upload(pdf, 'plan.pdf')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(answers.map((a) => a.json().id)).size).toBe(1);
    expect(await fileCount()).toBe(before + 1);
  });
});
