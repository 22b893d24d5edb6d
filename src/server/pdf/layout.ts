// A small page-flowing writer over pdf-lib: it places wrapped lines top to bottom and starts a new
// page when one is full. Headers and footers ("Page N of M") are drawn at the end, when M is known.
import fontkit from '@pdf-lib/fontkit';
import { type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { fontFiles } from './fonts.js';
import { wrapText } from './wrap.js';

export const PAGE = { width: 612, height: 792 } as const; // US Letter, in points
export const MARGIN = { left: 64, right: 64, top: 72, bottom: 72 } as const;
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
export const INK = rgb(0.1, 0.1, 0.12);
export const MUTED = rgb(0.38, 0.38, 0.42);

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  doc.registerFontkit(fontkit);
  const files = await fontFiles();
  const [regular, bold] = await Promise.all([
    doc.embedFont(files.regular, { subset: true }),
    doc.embedFont(files.bold, { subset: true }),
  ]);
  return { regular, bold };
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: ReturnType<typeof rgb>;
  indent?: number;
  /** Extra space after the block, in points. */
  after?: number;
}

export class PageFlow {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;

  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = PAGE.height - MARGIN.top;
  }

  /** Room left on this page, in points. */
  get room(): number {
    return this.y - MARGIN.bottom;
  }

  /** Start a new page unless `height` points still fit (keeps a heading with its first lines). */
  keep(height: number): void {
    if (this.room < height) this.newPage();
  }

  space(points: number): void {
    this.y -= points;
    if (this.room < 0) this.newPage();
  }

  /** Wrapped text; returns the number of lines written. */
  text(text: string, style: TextStyle = {}): number {
    const size = style.size ?? 10.5;
    const font = style.bold ? this.fonts.bold : this.fonts.regular;
    const indent = style.indent ?? 0;
    const leading = size * 1.38;
    const lines = wrapText(font, size, text, TEXT_WIDTH - indent);
    for (const line of lines) {
      if (this.room < leading) this.newPage();
      this.y -= leading;
      if (line) {
        this.page.drawText(line, {
          x: MARGIN.left + indent,
          y: this.y + (leading - size) / 2,
          size,
          font,
          color: style.color ?? INK,
        });
      }
    }
    this.space(style.after ?? 0);
    return lines.length;
  }

  /** Columns of wrapped text side by side; the row moves to a new page whole when it does not fit. */
  row(cells: string[], widths: number[], style: TextStyle = {}): void {
    const size = style.size ?? 9;
    const font = style.bold ? this.fonts.bold : this.fonts.regular;
    const leading = size * 1.35;
    const gap = 8;
    const total = widths.reduce((a, b) => a + b, 0);
    const columnWidths = widths.map((w) => (w / total) * TEXT_WIDTH - gap);
    const wrapped = cells.map((cell, i) => wrapText(font, size, cell, columnWidths[i]!));
    const height = Math.max(1, ...wrapped.map((lines) => lines.length)) * leading;
    if (this.room < height) this.newPage();
    let x = MARGIN.left;
    wrapped.forEach((lines, i) => {
      lines.forEach((line, n) => {
        if (!line) return;
        this.page.drawText(line, {
          x,
          y: this.y - (n + 1) * leading + (leading - size) / 2,
          size,
          font,
          color: style.color ?? INK,
        });
      });
      x += columnWidths[i]! + gap;
    });
    this.y -= height;
    this.space(style.after ?? 3);
  }

  rule(): void {
    if (this.room < 8) this.newPage();
    this.y -= 4;
    this.page.drawLine({
      start: { x: MARGIN.left, y: this.y },
      end: { x: PAGE.width - MARGIN.right, y: this.y },
      thickness: 0.6,
      color: MUTED,
    });
    this.y -= 6;
  }
}
