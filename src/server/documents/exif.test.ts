// The EXIF orientation parser: every orientation in both byte orders, and whatever is malformed
// (cut short, pointing past the end, the wrong type, out of range, random bytes) is read as 1.
import { describe, expect, it } from 'vitest';
import { app1, exifTiff, quadrantJpeg, withSegment } from '../../../test/support/photos.js';
import { jpegOrientation, tiffOrientation } from './exif.js';

const plain = quadrantJpeg(16, 8);

describe('the orientation a phone wrote is read from the APP1 Exif segment', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8].flatMap((o) => [[o, 'II'] as const, [o, 'MM'] as const]))(
    'orientation %i, byte order %s',
    (orientation, order) => {
      expect(jpegOrientation(withSegment(plain, app1(exifTiff(orientation, order))))).toBe(orientation);
    },
  );

  it('found after other metadata segments (a JFIF APP0, an XMP APP1, a comment) and before the image data only', () => {
    const segment = (marker: number, text: string) => {
      const body = Buffer.from(text, 'latin1');
      const head = Buffer.from([0xff, marker, 0, 0]);
      head.writeUInt16BE(body.length + 2, 2);
      return Buffer.concat([head, body]);
    };
    const xmp = segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>');
    const comment = segment(0xfe, 'hello');
    const photo = withSegment(plain, Buffer.concat([xmp, comment, app1(exifTiff(6, 'MM'))]));
    expect(jpegOrientation(photo)).toBe(6);
    // An Exif block after the image data is not the photo's metadata: it counts as stored.
    expect(jpegOrientation(Buffer.concat([plain, app1(exifTiff(6))]))).toBe(1);
  });

  it('a JPEG without EXIF, or with an APP1 that is not Exif, is as stored (1)', () => {
    expect(jpegOrientation(plain)).toBe(1);
    const other = Buffer.from([0xff, 0xe1, 0x00, 0x08, 0x4a, 0x46, 0x58, 0x58, 0x00, 0x00]);
    expect(jpegOrientation(withSegment(plain, other))).toBe(1);
  });
});

describe('malformed EXIF is ignored (orientation 1), never an error', () => {
  const tiff = (orientation = 6) => exifTiff(orientation, 'II');
  const photo = (payload: Buffer) => withSegment(plain, app1(payload));

  it.each([
    ['an orientation of 0', exifTiff(0)],
    ['an orientation of 9', exifTiff(9)],
    ['an orientation of 65535', exifTiff(65535)],
    ['a byte order that is neither II nor MM', Buffer.concat([Buffer.from('XX'), tiff().subarray(2)])],
    [
      'a TIFF magic that is not 42',
      (() => {
        const b = tiff();
        b.writeUInt16LE(43, 2);
        return b;
      })(),
    ],
    [
      'IFD0 pointing past the end',
      (() => {
        const b = tiff();
        b.writeUInt32LE(0xfffffff0, 4);
        return b;
      })(),
    ],
    [
      'IFD0 pointing into the header',
      (() => {
        const b = tiff();
        b.writeUInt32LE(2, 4);
        return b;
      })(),
    ],
    [
      'an entry count far beyond the bytes',
      (() => {
        const b = tiff();
        b.writeUInt16LE(60_000, 8);
        return b.subarray(0, 16);
      })(),
    ],
    ['the entry cut short', tiff().subarray(0, 18)],
    [
      'the orientation as ASCII text',
      (() => {
        const b = tiff();
        b.writeUInt16LE(2, 12);
        return b;
      })(),
    ],
    [
      'a count of zero values',
      (() => {
        const b = tiff();
        b.writeUInt32LE(0, 14);
        return b;
      })(),
    ],
    ['only the byte order', Buffer.from('II')],
    ['nothing at all', Buffer.alloc(0)],
  ])('%s', (_name, payload) => {
    expect(tiffOrientation(payload)).toBe(1);
    expect(jpegOrientation(photo(payload))).toBe(1);
  });

  it('an APP1 whose length runs past the end of the file, or is under 2', () => {
    const segment = app1(tiff());
    segment.writeUInt16BE(0xfff0, 2);
    expect(jpegOrientation(withSegment(plain, segment).subarray(0, 200))).toBe(1);
    const tiny = Buffer.from([0xff, 0xe1, 0x00, 0x01]);
    expect(jpegOrientation(Buffer.concat([plain.subarray(0, 2), tiny, plain.subarray(2)]))).toBe(1);
  });

  it('random bytes after a JPEG start, 5,000 times: always 1 to 8, never a throw', () => {
    let seed = 20_261_128;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 5_000; i++) {
      const body = Buffer.alloc(next() % 120);
      for (let j = 0; j < body.length; j++) body[j] = next() % 256;
      // Half of them inside a well-formed APP1 Exif segment, so the TIFF parser sees garbage too.
      const data =
        i % 2 === 0
          ? Buffer.concat([Buffer.from([0xff, 0xd8]), body])
          : withSegment(plain, app1(Buffer.concat([Buffer.from(i % 4 === 1 ? 'II*\0' : 'MM\0*'), body])));
      const orientation = jpegOrientation(data);
      expect(orientation >= 1 && orientation <= 8).toBe(true);
    }
  });
});
