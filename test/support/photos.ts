// Phone photos for the orientation tests, and a way to look at the page they become. A photo is a
// small JPEG (jpeg-js) whose four quadrants are four colours, with an APP1 Exif segment built here
// byte by byte (either byte order), so a test knows where each stored corner is. `renderPage` asks
// Debian's pdftoppm (poppler-utils) to draw the first page of a PDF, as a reader would show it, and
// answers its pixels.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import jpeg from 'jpeg-js';

const run = promisify(execFile);

export type Rgb = readonly [number, number, number];
export type Colour = 'red' | 'green' | 'blue' | 'white';

export const COLOURS: Readonly<Record<Colour, Rgb>> = {
  red: [230, 20, 20],
  green: [20, 200, 20],
  blue: [20, 20, 230],
  white: [255, 255, 255],
};

/** The colour of each stored quadrant: top-left, top-right, bottom-left, bottom-right. */
export const STORED_CORNERS = {
  topLeft: 'red',
  topRight: 'green',
  bottomLeft: 'blue',
  bottomRight: 'white',
} as const satisfies Record<string, Colour>;

/** A width × height JPEG, each quadrant one of STORED_CORNERS' colours. */
export function quadrantJpeg(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const top = y < height / 2;
      const left = x < width / 2;
      const colour = top
        ? left
          ? STORED_CORNERS.topLeft
          : STORED_CORNERS.topRight
        : left
          ? STORED_CORNERS.bottomLeft
          : STORED_CORNERS.bottomRight;
      const [r, g, b] = COLOURS[colour];
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return jpeg.encode({ width, height, data }, 95).data;
}

/** The TIFF structure of an Exif block: IFD0 with one entry, Orientation (0x0112), as a SHORT. */
export function exifTiff(orientation: number, order: 'II' | 'MM' = 'II'): Buffer {
  const le = order === 'II';
  const b = Buffer.alloc(8 + 2 + 12 + 4);
  b.write(order, 0, 'latin1');
  const u16 = (v: number, at: number) => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const u32 = (v: number, at: number) => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  u16(42, 2);
  u32(8, 4); // IFD0 right after the header
  u16(1, 8); // one entry
  u16(0x0112, 10); // Orientation
  u16(3, 12); // SHORT
  u32(1, 14); // one value
  u16(orientation, 18); // in the entry's value field (left-justified)
  u32(0, 22); // no next IFD
  return b;
}

/** An APP1 segment (marker, length, "Exif\0\0", payload). */
export function app1(payload: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), payload]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** The JPEG with a segment inserted right after its start-of-image marker (and its JFIF APP0, if any). */
export function withSegment(jpegData: Buffer, segment: Buffer): Buffer {
  let at = 2;
  if (jpegData[2] === 0xff && jpegData[3] === 0xe0) at = 4 + jpegData.readUInt16BE(4);
  return Buffer.concat([jpegData.subarray(0, at), segment, jpegData.subarray(at)]);
}

/** A photo as a phone stores it: the quadrant JPEG and its EXIF orientation. */
export function orientedJpeg(
  orientation: number,
  opts: { width?: number; height?: number; order?: 'II' | 'MM' } = {},
): Buffer {
  const plain = quadrantJpeg(opts.width ?? 40, opts.height ?? 20);
  return withSegment(plain, app1(exifTiff(orientation, opts.order)));
}

export interface Rendered {
  width: number;
  height: number;
  pixel(x: number, y: number): Rgb;
}

/** The first page drawn by pdftoppm at `dpi` (a PPM read from its standard output). */
export async function renderPage(pdf: Uint8Array, dpi = 72): Promise<Rendered> {
  let out: Buffer;
  try {
    const child = run('pdftoppm', ['-r', String(dpi), '-f', '1', '-l', '1', '-'], {
      encoding: 'buffer',
      maxBuffer: 64 * 1024 * 1024,
    });
    child.child.stdin?.end(Buffer.from(pdf));
    out = (await child).stdout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('pdftoppm is not installed: run "apt-get install poppler-utils" (CI installs it).');
    }
    throw error;
  }
  // P6 <width> <height> <maxval>\n<bytes>
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(out.toString('latin1', 0, 64));
  if (!header) throw new Error('pdftoppm did not answer a PPM image');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  return {
    width,
    height,
    pixel(x, y) {
      const at = start + (y * width + x) * 3;
      return [out[at]!, out[at + 1]!, out[at + 2]!];
    },
  };
}

/** The named colour nearest to a pixel (JPEG and anti-aliasing move colours a little). */
export function nearestColour(rgb: Rgb): Colour {
  let best: Colour = 'white';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const [name, ref] of Object.entries(COLOURS) as [Colour, Rgb][]) {
    const d = (rgb[0] - ref[0]) ** 2 + (rgb[1] - ref[1]) ** 2 + (rgb[2] - ref[2]) ** 2;
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** The colour in each displayed corner of a rendered page (sampled inside each quadrant). */
export function displayedCorners(page: Rendered): Record<keyof typeof STORED_CORNERS, Colour> {
  const at = (fx: number, fy: number) =>
    nearestColour(page.pixel(Math.floor(page.width * fx), Math.floor(page.height * fy)));
  return {
    topLeft: at(0.25, 0.25),
    topRight: at(0.75, 0.25),
    bottomLeft: at(0.25, 0.75),
    bottomRight: at(0.75, 0.75),
  };
}
