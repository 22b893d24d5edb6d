// A JPEG or PNG turned into one PDF page: its declared size checked before any decoding (and a PNG's
// compressed pixels inflated with a hard limit, so a small file can never claim gigabytes of
// memory), then drawn upright (a phone photo's EXIF orientation, see exif.ts) on a page of its
// displayed size. Everything that goes wrong is a plain 422, never a 500.
import { inflateSync } from 'node:zlib';
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { AppError } from '../errors.js';
import { jpegOrientation, swapsSides, uprightMatrix } from './exif.js';

export const DAMAGED_IMAGE_MESSAGE =
  'This image is damaged or in a form that cannot be converted to a PDF page. Save it again as an ordinary JPEG or PNG (or scan it to PDF) and upload it again; nothing was stored.';

/** The largest image converted to a PDF page: a letter-size page scanned at 600 dpi fits. */
export const MAX_IMAGE_SIDE = 12_000;
export const MAX_IMAGE_PIXELS = 36_000_000;

export class DamagedImageError extends AppError {
  constructor() {
    super(422, 'damaged_image', DAMAGED_IMAGE_MESSAGE);
  }
}

/** An image whose declared size would take too much memory to decode (a "zip bomb"). */
export class ImageTooLargeError extends AppError {
  constructor(width: number, height: number) {
    super(
      422,
      'image_too_large',
      `This image is too large to convert to a PDF page: it says it is ${width.toLocaleString('en-US')} × ${height.toLocaleString('en-US')} pixels, ` +
        `and the limit is ${MAX_IMAGE_SIDE.toLocaleString('en-US')} pixels a side and ${MAX_IMAGE_PIXELS / 1_000_000} megapixels. ` +
        'Scan or save it at a lower resolution and upload it again; nothing was stored.',
      { width, height, maxSide: MAX_IMAGE_SIDE, maxPixels: MAX_IMAGE_PIXELS },
    );
  }
}

/** Width and height an image declares in its header, read without decoding it. */
export function imageDimensions(
  data: Buffer,
  type: 'image/png' | 'image/jpeg',
): { width: number; height: number } | null {
  if (type === 'image/png') {
    // Signature (8), then the IHDR chunk: length (4), "IHDR" (4), width (4), height (4).
    if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return null;
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  // JPEG: walk the markers to the first start-of-frame (SOF0…SOF15 but DHT, JPG and DAC).
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return null;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (at + 9 > data.length) return null;
      return { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    if (marker === 0xd9 || marker === 0xda || length < 2) return null;
    at += 2 + length;
  }
  return null;
}

const EOI = Buffer.from([0xff, 0xd9]);

/**
 * A JPEG cut short (an upload or a scan that stopped half-way) still has a readable header, and
 * pdf-lib would embed it as it is: the page would show a grey half-picture. The image data must
 * reach its end-of-image marker after its first start of scan (inside the compressed data 0xFF is
 * always followed by 0x00 or a restart marker, so 0xFF 0xD9 there is only the real end).
 */
export function jpegIsComplete(data: Buffer): boolean {
  let at = 2;
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) return false;
    const marker = data[at + 1]!;
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    if (marker === 0xd9) return false;
    const length = data.readUInt16BE(at + 2);
    if (length < 2) return false;
    if (marker === 0xda) return data.indexOf(EOI, at + 2 + length) !== -1;
    at += 2 + length;
  }
  return false;
}

function checkImageSize(width: number, height: number): void {
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageTooLargeError(width, height);
  }
}

/**
 * A PNG's compressed pixels must inflate to no more than its declared size: inflated with a hard
 * output limit before pdf-lib decodes it, so a small file can never claim gigabytes of memory.
 */
function checkPngPayload(data: Buffer, width: number, height: number): void {
  const bitDepth = data[24] ?? 8;
  const colourType = data[25] ?? 6;
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType] ?? 4;
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  // Interlaced images add a filter byte a row for each of 7 passes: a generous bound.
  const bound = height * (rowBytes + 1) + 7 * (height + rowBytes + 8) + 1024;
  const idat: Buffer[] = [];
  let at = 8;
  while (at + 8 <= data.length) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(data.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (idat.length === 0) throw new DamagedImageError();
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: bound });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ImageTooLargeError(width, height);
    }
    throw new DamagedImageError();
  }
}

/** Points of the page an image is drawn on: its pixels at 72 dpi, fitted within a letter page, at least 2 inches on its longer side. */
export function imagePageSize(width: number, height: number): { width: number; height: number } {
  const [boxW, boxH] = width > height ? [792, 612] : [612, 792];
  let scale = Math.min(1, boxW / width, boxH / height);
  const longer = Math.max(width, height) * scale;
  if (longer < 144) scale = 144 / Math.max(width, height);
  const round = (n: number) => Math.max(3, Math.round(n * 100) / 100);
  return { width: round(width * scale), height: round(height * scale) };
}

/**
 * One PDF page the size of the image as it is meant to be seen (bounded), the image filling it:
 * a photo whose EXIF orientation says it was taken turned (5–8) gets a page with its sides
 * swapped, and the image is turned (and mirrored back, for 2, 4, 5 and 7) to stand upright on it.
 * The same image gives the same bytes.
 */
export async function imageToPdf(data: Buffer, type: 'image/png' | 'image/jpeg'): Promise<Buffer> {
  const dims = imageDimensions(data, type);
  if (!dims || dims.width === 0 || dims.height === 0) throw new DamagedImageError();
  checkImageSize(dims.width, dims.height);
  if (type === 'image/png') checkPngPayload(data, dims.width, dims.height);
  if (type === 'image/jpeg' && !jpegIsComplete(data)) throw new DamagedImageError();
  try {
    const doc = await PDFDocument.create({ updateMetadata: false });
    // A copy: pdf-lib reads the bytes through a DataView of the whole underlying buffer, and a
    // Buffer is often a slice of a larger pool.
    const bytes = new Uint8Array(data);
    const image = type === 'image/png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
    // The decoder's own idea of the size must agree with the header that was checked.
    if (image.width !== dims.width || image.height !== dims.height) throw new Error('size mismatch');
    const orientation = type === 'image/jpeg' ? jpegOrientation(data) : 1;
    const [shownW, shownH] = swapsSides(orientation)
      ? [image.height, image.width]
      : [image.width, image.height];
    const size = imagePageSize(shownW, shownH);
    const page = doc.addPage([size.width, size.height]);
    const name = page.node.newXObject('Image', image.ref);
    page.pushOperators(
      pushGraphicsState(),
      concatTransformationMatrix(...uprightMatrix(orientation, size.width, size.height)),
      drawObject(name),
      popGraphicsState(),
    );
    return Buffer.from(await doc.save({ useObjectStreams: false }));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new DamagedImageError();
  }
}
