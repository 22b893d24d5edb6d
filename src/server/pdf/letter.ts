// The letters, notices and forms Release Desk writes (extension notices, denial and no-records
// letters, the accounting of disclosures, the authorization form): plain words on the practice's
// letterhead, every page numbered "Page N of M" with the request's reference, so a page that goes
// astray can be matched to its letter.
import { PDFDocument } from 'pdf-lib';
import { embedFonts, MARGIN, MUTED, PAGE, PageFlow } from './layout.js';
import { wrapText } from './wrap.js';

export type LetterBlock =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'list'; items: string[] }
  /** Label and value pairs: "Request received: 2 November 2026". */
  | { type: 'fields'; rows: ReadonlyArray<readonly [string, string]> }
  | { type: 'table'; columns: string[]; widths: number[]; rows: string[][]; empty: string }
  /** Blank lines to sign on: "Signature", "Date". */
  | { type: 'signature'; lines: string[] };

export interface LetterInput {
  letterhead: { practiceName: string; lines: string[] };
  /** The request number (or another reference) printed on every page. */
  reference: string;
  /** "28 November 2026". */
  date: string;
  /** Name and address lines of the person the letter is for. */
  recipient?: string[];
  title: string;
  blocks: LetterBlock[];
  /** Small print at the foot of every page. */
  footerNotice?: string;
  /** Recorded as the PDF's creation date, so a letter is the same bytes whenever it is rendered. */
  createdAt: Date;
  /** The words around the reference and page numbers, in the letter's language (English by default). */
  pageWords?: PageWords;
}

/** "Reference: R-1", "Page 1 of 2" (English) or "Referencia: R-1", "Página 1 de 2" (Spanish). */
export interface PageWords {
  reference: string;
  page: string;
  of: string;
}

export const ENGLISH_PAGE_WORDS: PageWords = { reference: 'Reference', page: 'Page', of: 'of' };

export async function renderLetter(input: LetterInput): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(`${input.title} (${input.reference})`);
  doc.setAuthor(input.letterhead.practiceName);
  doc.setCreator('Release Desk');
  doc.setProducer('Release Desk');
  doc.setCreationDate(input.createdAt);
  doc.setModificationDate(input.createdAt);
  const fonts = await embedFonts(doc);
  const words = input.pageWords ?? ENGLISH_PAGE_WORDS;
  const flow = new PageFlow(doc, fonts);

  flow.text(input.letterhead.practiceName, { size: 15, bold: true, after: 2 });
  for (const line of input.letterhead.lines) flow.text(line, { size: 9, color: MUTED });
  flow.rule();
  flow.space(10);
  flow.text(input.date, { after: 10 });
  if (input.recipient?.length) {
    for (const line of input.recipient) flow.text(line);
    flow.space(12);
  }
  flow.text(input.title, { size: 13, bold: true, after: 6 });
  flow.text(`${words.reference}: ${input.reference}`, { size: 9, color: MUTED, after: 10 });

  for (const block of input.blocks) writeBlock(flow, block);

  const total = flow.pages.length;
  flow.pages.forEach((page, i) => {
    const size = 8;
    if (i > 0) {
      page.drawText(`${input.letterhead.practiceName} · ${input.title} · ${input.reference}`, {
        x: MARGIN.left,
        y: PAGE.height - 44,
        size,
        font: fonts.regular,
        color: MUTED,
      });
    }
    let y = 40;
    page.drawText(`${input.reference} · ${words.page} ${i + 1} ${words.of} ${total}`, {
      x: MARGIN.left,
      y,
      size,
      font: fonts.regular,
      color: MUTED,
    });
    if (input.footerNotice) {
      const lines = wrapText(fonts.regular, 7, input.footerNotice, PAGE.width - MARGIN.left - MARGIN.right);
      for (const line of lines.slice(0, 3)) {
        y -= 9;
        page.drawText(line, { x: MARGIN.left, y, size: 7, font: fonts.regular, color: MUTED });
      }
    }
  });
  return Buffer.from(await doc.save());
}

function writeBlock(flow: PageFlow, block: LetterBlock): void {
  switch (block.type) {
    case 'heading':
      flow.keep(60);
      flow.space(4);
      flow.text(block.text, { size: 11.5, bold: true, after: 4 });
      return;
    case 'paragraph':
      flow.text(block.text, { after: 8 });
      return;
    case 'list':
      for (const item of block.items) {
        flow.text(`•  ${item}`, { indent: 10, after: 3 });
      }
      flow.space(6);
      return;
    case 'fields':
      for (const [label, value] of block.rows) flow.row([label, value || '—'], [1, 2.2], { size: 10 });
      flow.space(8);
      return;
    case 'table':
      flow.row(block.columns, block.widths, { bold: true });
      flow.rule();
      if (block.rows.length === 0) flow.text(block.empty, { size: 9.5, color: MUTED });
      for (const row of block.rows) flow.row(row, block.widths);
      flow.space(10);
      return;
    case 'signature':
      flow.keep(40 * block.lines.length);
      for (const line of block.lines) {
        flow.space(26);
        flow.text(`${line}: ______________________________________________`);
      }
      flow.space(10);
      return;
  }
}
