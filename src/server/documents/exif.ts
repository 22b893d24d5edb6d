// Which way up a photo is: the EXIF Orientation tag (0x0112) of a JPEG's APP1 "Exif" segment. A
// phone stores the sensor's pixels as they were read and says in this tag how to turn them; a page
// drawn from the raw pixels shows the photo sideways. Read with a small parser that checks every
// offset against the bytes it has: anything malformed, missing or out of range counts as 1 (as
// stored), never an error.
//
// The orientations (TIFF 6.0 / EXIF 2.3), as "where the stored first row and first column go":
//   1 row 0 top,    column 0 left      5 row 0 left,   column 0 top     (transposed)
//   2 row 0 top,    column 0 right     6 row 0 right,  column 0 top     (turned 90° clockwise)
//   3 row 0 bottom, column 0 right     7 row 0 right,  column 0 bottom  (transversed)
//   4 row 0 bottom, column 0 left      8 row 0 left,   column 0 bottom  (turned 90° anticlockwise)

export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;
const SHORT = 3;
const LONG = 4;
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
/** A real IFD0 has a few dozen entries; more is not a photo's. */
const MAX_IFD_ENTRIES = 1000;

/** The EXIF orientation of a JPEG (1 when it has none, or when what it has cannot be read). */
export function jpegOrientation(jpeg: Buffer): Orientation {
  const tiff = exifPayload(jpeg);
  return tiff ? tiffOrientation(tiff) : 1;
}

/** The TIFF bytes of the first APP1 Exif segment before the image data, or null. */
function exifPayload(data: Buffer): Buffer | null {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    // Start of scan, end of image: the metadata segments all come before.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = data.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > data.length) return null;
    const segment = data.subarray(at + 4, at + 2 + length);
    if (marker === 0xe1 && segment.subarray(0, EXIF_HEADER.length).equals(EXIF_HEADER)) {
      return segment.subarray(EXIF_HEADER.length);
    }
    at += 2 + length;
  }
  return null;
}

/** The Orientation entry of IFD0 of a TIFF structure, in either byte order. */
export function tiffOrientation(tiff: Buffer): Orientation {
  if (tiff.length < 8) return 1;
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return 1;
  const little = order === 'II';
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return 1;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return 1;
  const count = Math.min(u16(ifd), MAX_IFD_ENTRIES);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return 1;
    if (u16(entry) !== ORIENTATION_TAG) continue;
    const type = u16(entry + 2);
    if (u32(entry + 4) < 1) return 1;
    // One value fits in the entry itself: a SHORT in its first two bytes, a LONG in all four.
    const value = type === SHORT ? u16(entry + 8) : type === LONG ? u32(entry + 8) : 0;
    return value >= 1 && value <= 8 ? (value as Orientation) : 1;
  }
  return 1;
}

/** Turned a quarter (5–8): the displayed width is the stored height. */
export function swapsSides(orientation: Orientation): boolean {
  return orientation >= 5;
}

/**
 * The PDF transformation matrix [a b c d e f] that draws an image XObject (the unit square, its
 * first stored row at the top) upright on a page of the displayed size: x = a·u + c·v + e,
 * y = b·u + d·v + f. Mirrored orientations (2, 4, 5, 7) are mirrored back.
 */
export function uprightMatrix(
  orientation: Orientation,
  pageWidth: number,
  pageHeight: number,
): [number, number, number, number, number, number] {
  const w = pageWidth;
  const h = pageHeight;
  switch (orientation) {
    case 2:
      return [-w, 0, 0, h, w, 0];
    case 3:
      return [-w, 0, 0, -h, w, h];
    case 4:
      return [w, 0, 0, -h, 0, h];
    case 5:
      return [0, -h, -w, 0, w, h];
    case 6:
      return [0, -h, w, 0, 0, h];
    case 7:
      return [0, h, w, 0, 0, 0];
    case 8:
      return [0, h, -w, 0, w, 0];
    default:
      return [w, 0, 0, h, 0, 0];
  }
}
