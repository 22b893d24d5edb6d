// Markdown tables with aligned columns, and the number formats the benchmark prints.

export type Align = 'left' | 'right';

export interface Column {
  title: string;
  align?: Align;
}

/** A Markdown table, padded so it also reads as plain text; numbers' columns are usually right-aligned. */
export function renderTable(columns: Column[], rows: string[][]): string {
  const cell = (c: string) => c.replace(/\|/g, '\\|');
  const widths = columns.map((c, i) =>
    Math.max(3, cell(c.title).length, ...rows.map((r) => cell(r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? cell(c).padStart(w) : cell(c).padEnd(w);
      })
      .join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (columns[i]?.align === 'right' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [
    line(columns.map((c) => c.title)),
    rule,
    ...rows.map((r) => line(columns.map((_, i) => r[i] ?? ''))),
  ].join('\n');
}

/** 12 345 style grouping keeps wide figures readable without locale surprises. */
export function num(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return '-';
  const [int = '0', frac] = Math.abs(n).toFixed(digits).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${n < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function ms(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n < 10 ? `${n.toFixed(2)} ms` : n < 100 ? `${n.toFixed(1)} ms` : `${num(n)} ms`;
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '-';
  const r = a / b;
  return r >= 10 ? `${r.toFixed(1)}x` : r >= 0.1 ? `${r.toFixed(2)}x` : `${r.toFixed(4)}x`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function min(values: number[]): number {
  return values.length ? Math.min(...values) : Number.NaN;
}
