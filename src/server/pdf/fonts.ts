// The fonts every PDF Release Desk writes uses: DejaVu Sans, shipped as an npm package so a fresh
// `npm install` has it (no system fonts needed). Unlike the 14 standard PDF fonts (WinAnsi only),
// it covers the names our clients have: Łukasz, Ngọc, Zoë, Øyvind.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const fontDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}

let cached: Promise<FontFiles> | undefined;

/** Read once per process; the bytes are shared read-only by every document. */
export function fontFiles(): Promise<FontFiles> {
  cached ??= Promise.all([
    readFile(join(fontDir, 'DejaVuSans.ttf')),
    readFile(join(fontDir, 'DejaVuSans-Bold.ttf')),
  ]).then(([regular, bold]) => ({ regular, bold }));
  return cached;
}
