// Assembling a packet's PDF (issue 6 "Packet"; rules PART2-1, REL-5): the cover letter, then each
// approved record in order (PDF pages copied as they are; a JPEG or PNG, which only a file stored
// before uploads and emailed attachments were converted can still be, made a page by the upload's
// own conversion: documents/image.ts, its size bounded before decoding, drawn upright), and on every page a header with the request number and the recipient, "Page N of M" and a
// confidentiality notice. The stamps go into a strip added above and below each page (the page
// box grows), so they never cover anything on the record itself. Pure: bytes in, bytes out.
import { PDFDocument, type PDFEmbeddedPage, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import { imageToPdf } from '../documents/image.js';
import { embedFonts } from '../pdf/layout.js';

export const STAMP = { head: 30, foot: 34 } as const;
const INK = rgb(0.2, 0.2, 0.24);

export interface PacketSource {
  name: string;
  contentType: string;
  data: Uint8Array;
  /** Part 2 material: its pages also carry the short 42 CFR 2.32 notice (PART2-1). */
  part2: boolean;
}

export interface PacketStamp {
  reference: string;
  recipient: string;
  confidentiality: string;
  /** The short 42 CFR 2.32 notice, printed on the pages of Part 2 material. */
  part2Short: string | null;
}

export interface RenderedPacket {
  pdf: Buffer;
  pageCount: number;
  /** Pages per source, in order (the cover letter's first). */
  pagesPerSource: number[];
}

/** A source that cannot be read as a document: assembly stops and names it. */
export class UnreadableSourceError extends Error {
  constructor(readonly sourceName: string) {
    super(`'${sourceName}' could not be read as a PDF or an image.`);
  }
}

type Opened = { source: PacketSource; doc: PDFDocument };

/**
 * A stored image (an older row) becomes its page the way an upload does today (image.ts): its
 * declared size and inflated pixels bounded before any decoding, so a zip bomb stops assembly with
 * its name instead of taking the worker's memory, and a phone photo stands upright.
 */
async function asPdf(source: PacketSource): Promise<Uint8Array> {
  if (source.contentType === 'image/png' || source.contentType === 'image/jpeg') {
    return imageToPdf(Buffer.from(source.data), source.contentType);
  }
  if (source.contentType !== 'application/pdf') throw new Error('not a document');
  return source.data;
}

async function open(source: PacketSource): Promise<Opened> {
  try {
    return { source, doc: await PDFDocument.load(await asPdf(source), { updateMetadata: false }) };
  } catch {
    throw new UnreadableSourceError(source.name);
  }
}

async function addSource(out: PDFDocument, { source, doc }: Opened): Promise<PDFPage[]> {
  try {
    const pages = await out.copyPages(doc, doc.getPageIndices());
    for (const p of pages) out.addPage(p);
    return pages;
  } catch {
    throw new UnreadableSourceError(source.name);
  }
}

/** The largest size (at most `max`) at which the text fits the width, never below 5 pt. */
function fitSize(font: PDFFont, text: string, width: number, max: number): number {
  const at = font.widthOfTextAtSize(text, max);
  return at <= width ? max : Math.max(5, (max * width) / at);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Grow the page by the two strips (the record's own content is never covered) and blank them. */
function makeRoom(page: PDFPage): Box {
  const crop = page.getCropBox();
  const media = page.getMediaBox();
  const box = {
    x: crop.x,
    y: crop.y - STAMP.foot,
    width: crop.width,
    height: crop.height + STAMP.head + STAMP.foot,
  };
  const left = Math.min(media.x, box.x);
  const bottom = Math.min(media.y, box.y);
  const right = Math.max(media.x + media.width, box.x + box.width);
  const top = Math.max(media.y + media.height, box.y + box.height);
  page.setMediaBox(left, bottom, right - left, top - bottom);
  page.setCropBox(box.x, box.y, box.width, box.height);
  // White strips, so the stamps read the same on a transparent page in any viewer.
  const white = rgb(1, 1, 1);
  page.drawRectangle({
    x: box.x,
    y: box.y + box.height - STAMP.head,
    width: box.width,
    height: STAMP.head,
    color: white,
  });
  page.drawRectangle({ x: box.x, y: box.y, width: box.width, height: STAMP.foot, color: white });
  return box;
}

const variantKey = (width: number, part2: boolean) => `${width.toFixed(2)}:${part2 ? 1 : 0}`;

/**
 * The stamps that are the same on every page (the header; the notices of the footer) are drawn
 * once per page width as small pages of their own and placed on each page as form XObjects:
 * shaping DejaVu text is the slow part, and a 500-page packet needs it only a few times. Only
 * "Page N of M" is drawn page by page.
 */
async function stampVariants(
  out: PDFDocument,
  variants: Map<string, { width: number; part2: boolean }>,
  s: PacketStamp,
): Promise<Map<string, { head: PDFEmbeddedPage; foot: PDFEmbeddedPage }>> {
  const scratch = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(scratch);
  const head = `${s.reference} · Released to: ${s.recipient} · CONFIDENTIAL`;
  const keys = [...variants.keys()];
  for (const key of keys) {
    const { width, part2 } = variants.get(key)!;
    const inner = width - 36;
    const h = scratch.addPage([width, STAMP.head]);
    h.drawText(head, {
      x: 18,
      y: STAMP.head - 19,
      size: fitSize(fonts.bold, head, inner, 8),
      font: fonts.bold,
      color: INK,
    });
    const f = scratch.addPage([width, STAMP.foot]);
    const lines = [s.confidentiality, ...(part2 && s.part2Short ? [s.part2Short] : [])];
    // The first line of the footer is left for "Page N of M".
    let y = STAMP.foot - 11 - 8.5;
    for (const line of lines) {
      f.drawText(line, {
        x: 18,
        y,
        size: fitSize(fonts.regular, line, inner, 6.5),
        font: fonts.regular,
        color: INK,
      });
      y -= 8.5;
    }
  }
  const embedded = await out.embedPdf(await scratch.save(), scratch.getPageIndices());
  return new Map(keys.map((k, i) => [k, { head: embedded[2 * i]!, foot: embedded[2 * i + 1]! }]));
}

/** The packet's bytes; the same input gives the same bytes (the creation date is an input). */
export async function renderPacket(input: {
  /** The cover letter, written once the pages of each source are known (it lists them). */
  coverLetter: (pagesPerSource: number[]) => Promise<Uint8Array>;
  sources: readonly PacketSource[];
  stamp: PacketStamp;
  title: string;
  author: string;
  createdAt: Date;
}): Promise<RenderedPacket> {
  const out = await PDFDocument.create({ updateMetadata: false });
  out.setTitle(input.title);
  out.setAuthor(input.author);
  out.setCreator('Release Desk');
  out.setProducer('Release Desk');
  out.setCreationDate(input.createdAt);
  out.setModificationDate(input.createdAt);
  const opened: Opened[] = [];
  for (const source of input.sources) opened.push(await open(source));
  const coverLetter = await input.coverLetter(opened.map((o) => o.doc.getPageCount()));
  const groups: { pages: PDFPage[]; part2: boolean }[] = [];
  const cover = await PDFDocument.load(coverLetter, { updateMetadata: false });
  const coverPages = await out.copyPages(cover, cover.getPageIndices());
  for (const p of coverPages) out.addPage(p);
  groups.push({ pages: coverPages, part2: false });
  for (const o of opened) groups.push({ pages: await addSource(out, o), part2: o.source.part2 });

  const total = out.getPageCount();
  const s = input.stamp;
  const boxes = groups.map((g) => g.pages.map(makeRoom));
  const variants = new Map<string, { width: number; part2: boolean }>();
  groups.forEach((g, i) => {
    for (const box of boxes[i]!)
      variants.set(variantKey(box.width, g.part2), { width: box.width, part2: g.part2 });
  });
  const stamps = await stampVariants(out, variants, s);
  // "Page N of M · reference": Helvetica when the reference is plain ASCII (it is: R-2027-0001).
  const numberFont = /^[\x20-\x7e]*$/.test(s.reference)
    ? await out.embedFont(StandardFonts.Helvetica)
    : (await embedFonts(out)).regular;
  let n = 0;
  groups.forEach((group, i) => {
    group.pages.forEach((page, j) => {
      n += 1;
      const box = boxes[i]![j]!;
      const stamp = stamps.get(variantKey(box.width, group.part2))!;
      page.drawPage(stamp.head, { x: box.x, y: box.y + box.height - STAMP.head });
      page.drawPage(stamp.foot, { x: box.x, y: box.y });
      page.drawText(`Page ${n} of ${total} · ${s.reference}`, {
        x: box.x + 18,
        y: box.y + STAMP.foot - 11,
        size: 6.5,
        font: numberFont,
        color: INK,
      });
    });
  });
  const pdf = Buffer.from(await out.save({ useObjectStreams: true }));
  return { pdf, pageCount: total, pagesPerSource: groups.map((g) => g.pages.length) };
}
