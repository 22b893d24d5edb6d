// The JavaScript a page of the staff app loads before it can show anything (the entry script and
// the chunks it preloads), gzipped as the server would send it over a slow clinic connection.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIST } from '../src/server/http/web-build.js';

export const INITIAL_JS_BUDGET_BYTES = 350 * 1024;

export interface BundleFigure {
  files: { name: string; bytes: number; gzipBytes: number }[];
  totalGzipBytes: number;
}

/** The scripts index.html loads up front: `<script type="module" src>` and `<link rel="modulepreload">`. */
export function initialScripts(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) found.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)) found.add(m[1]!);
  return [...found];
}

export function measureInitialJs(dist = WEB_DIST): BundleFigure {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = initialScripts(html).map((src) => {
    const data = readFileSync(path.join(dist, src.replace(/^\//, '')));
    return { name: src, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
  });
  return { files, totalGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
