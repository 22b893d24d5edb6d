// A record stored as an image (a row from before uploads and emailed attachments were converted to
// PDF) still goes in a packet the way an upload is converted today (image.ts): a phone photo stands
// upright on its page, and a zip-bomb PNG stops assembly with the file's name before any decoding.
import { deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { displayedCorners, orientedJpeg, renderPage } from '../../../test/support/photos.js';
import { type PacketSource, renderPacket, STAMP, UnreadableSourceError } from './render.js';

const stamp = {
  reference: 'R-2027-0001',
  recipient: 'Sam Lawyer',
  confidentiality: 'Confidential health information.',
  part2Short: null,
};

async function render(sources: PacketSource[]) {
  return renderPacket({
    coverLetter: async () => {
      const doc = await PDFDocument.create();
      doc.addPage([612, 792]);
      return doc.save();
    },
    sources,
    stamp,
    title: 'Packet',
    author: 'Release Desk',
    createdAt: new Date('2027-03-01T18:00:00Z'),
  });
}

/** Page `index` of a PDF on its own, for pdftoppm (which is asked for a first page). */
async function pageAlone(pdf: Uint8Array, index: number): Promise<Uint8Array> {
  const src = await PDFDocument.load(pdf);
  const one = await PDFDocument.create();
  const [page] = await one.copyPages(src, [index]);
  one.addPage(page!);
  return one.save();
}

/** A PNG header claiming 100 × 100 RGB pixels over 64 MB of compressed zeros (CRCs not needed: it is refused before). */
function bombPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100, 0);
  ihdr.writeUInt32BE(100, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64 * 1024 * 1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('renderPacket: records stored as images', () => {
  it('a phone photo stored sideways (EXIF orientation 6) is drawn upright, on a portrait page', async () => {
    const packet = await render([
      { name: 'IMG_2041.jpg', contentType: 'image/jpeg', data: orientedJpeg(6), part2: false },
    ]);
    expect(packet.pagesPerSource).toEqual([1, 1]);
    const page = await renderPage(await pageAlone(packet.pdf, 1));
    // 72 × 144 points of photo between the header and footer strips.
    expect([page.width, page.height]).toEqual([72, 144 + STAMP.head + STAMP.foot]);
    const photo = {
      width: page.width,
      height: 144,
      pixel: (x: number, y: number) => page.pixel(x, y + STAMP.head),
    };
    expect(displayedCorners(photo)).toEqual({
      topLeft: 'blue',
      topRight: 'red',
      bottomLeft: 'white',
      bottomRight: 'green',
    });
  });

  it('a zip-bomb PNG stops assembly naming the file, before its pixels are decoded', async () => {
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const attempt = render([{ name: 'scan.png', contentType: 'image/png', data: bomb, part2: false }]);
    await expect(attempt).rejects.toBeInstanceOf(UnreadableSourceError);
    await expect(attempt).rejects.toThrow("'scan.png' could not be read as a PDF or an image.");
  });
});
