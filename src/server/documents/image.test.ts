// A phone photo stands upright on its PDF page, proved by looking at the page: each photo has four
// coloured quadrants and an EXIF orientation; Debian's pdftoppm draws the page as a reader shows it,
// and the colour in each displayed corner must be where the EXIF definition puts that stored
// corner (turned 5–8 swap the page's sides; 2, 4, 5 and 7 are mirrored back).
import { describe, expect, it } from 'vitest';
import {
  displayedCorners,
  orientedJpeg,
  quadrantJpeg,
  renderPage,
  STORED_CORNERS,
} from '../../../test/support/photos.js';
import { imageToPdf } from './image.js';

type Side = 'top' | 'bottom' | 'left' | 'right';
const OPPOSITE: Record<Side, Side> = { top: 'bottom', bottom: 'top', left: 'right', right: 'left' };

/** The EXIF 2.3 table: where the stored first row and first column are shown. */
const EXIF_TABLE: Record<number, { row0: Side; column0: Side }> = {
  1: { row0: 'top', column0: 'left' },
  2: { row0: 'top', column0: 'right' },
  3: { row0: 'bottom', column0: 'right' },
  4: { row0: 'bottom', column0: 'left' },
  5: { row0: 'left', column0: 'top' },
  6: { row0: 'right', column0: 'top' },
  7: { row0: 'right', column0: 'bottom' },
  8: { row0: 'left', column0: 'bottom' },
};

/** The displayed corner where two sides meet, e.g. right + top → topRight. */
function corner(a: Side, b: Side): keyof typeof STORED_CORNERS {
  const vertical = [a, b].find((s) => s === 'top' || s === 'bottom')!;
  const horizontal = [a, b].find((s) => s === 'left' || s === 'right')!;
  return `${vertical}${horizontal === 'left' ? 'Left' : 'Right'}` as keyof typeof STORED_CORNERS;
}

/** Where each stored quadrant's colour must be seen, from the table alone. */
function expectedCorners(orientation: number) {
  const { row0, column0 } = EXIF_TABLE[orientation]!;
  return {
    [corner(row0, column0)]: STORED_CORNERS.topLeft,
    [corner(row0, OPPOSITE[column0])]: STORED_CORNERS.topRight,
    [corner(OPPOSITE[row0], column0)]: STORED_CORNERS.bottomLeft,
    [corner(OPPOSITE[row0], OPPOSITE[column0])]: STORED_CORNERS.bottomRight,
  };
}

describe('a phone photo is placed upright on its page (EXIF orientation)', () => {
  // Stored 40 × 20 (landscape): a 2-inch-long page, 144 × 72 points, or 72 × 144 once turned.
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'orientation %i: page size and every corner where EXIF says',
    async (o) => {
      for (const order of ['II', 'MM'] as const) {
        const pdf = await imageToPdf(orientedJpeg(o, { order }), 'image/jpeg');
        const page = await renderPage(pdf);
        expect([page.width, page.height]).toEqual(o >= 5 ? [72, 144] : [144, 72]);
        expect(displayedCorners(page)).toEqual(expectedCorners(o));
      }
    },
  );

  it('a large turned photo is fitted within a letter page by its displayed shape (portrait)', async () => {
    // 1600 × 1200 stored, orientation 6: shown 1200 wide and 1600 high, fitted to 594 × 792.
    const photo = orientedJpeg(6, { width: 1600, height: 1200 });
    const page = await renderPage(await imageToPdf(photo, 'image/jpeg'), 36);
    expect([page.width, page.height]).toEqual([297, 396]);
    expect(displayedCorners(page)).toEqual(expectedCorners(6));
  });

  it('the same turned photo converts to the same bytes each time (so a photo sent twice is caught as a duplicate)', async () => {
    const photo = orientedJpeg(8, { order: 'MM' });
    const [a, b] = [await imageToPdf(photo, 'image/jpeg'), await imageToPdf(photo, 'image/jpeg')];
    expect(a.equals(b)).toBe(true);
  });

  it('a photo without EXIF is drawn as stored', async () => {
    const page = await renderPage(await imageToPdf(quadrantJpeg(40, 20), 'image/jpeg'));
    expect([page.width, page.height]).toEqual([144, 72]);
    expect(displayedCorners(page)).toEqual(STORED_CORNERS);
  });
});

describe('a JPEG cut short is refused as damaged, not stored as a grey half-picture', () => {
  const whole = quadrantJpeg(200, 100);

  it.each([
    ['its last two bytes (the end-of-image marker)', whole.length - 2],
    ['two fifths of its image data', Math.floor(whole.length * 0.6)],
    ['just after its headers', whole.indexOf(Buffer.from([0xff, 0xda])) + 20],
    ['inside its headers', 40],
  ])('cut at %s', async (_where, cut) => {
    await expect(imageToPdf(whole.subarray(0, cut), 'image/jpeg')).rejects.toThrow(
      expect.objectContaining({ statusCode: 422, code: 'damaged_image' }),
    );
  });

  it('a whole JPEG, even with bytes after its end (some cameras pad the file), is accepted', async () => {
    const padded = Buffer.concat([whole, Buffer.alloc(512)]);
    const page = await renderPage(await imageToPdf(padded, 'image/jpeg'));
    expect(displayedCorners(page)).toEqual(STORED_CORNERS);
  });
});
