// The demo's data directory is its own: marked by a file when the demo creates it, and refused when
// it holds anything else, so demo data never lands beside a practice's real records.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEMO_MARKER = 'release-desk-demo.json';
export const DEFAULT_DEMO_DATA_DIR = './data-demo';

export class DemoDirectoryError extends Error {}

export interface DemoDirectory {
  dir: string;
  /** True when this run created the directory (or marked an empty one). */
  created: boolean;
}

function refuse(dir: string, why: string): DemoDirectoryError {
  return new DemoDirectoryError(
    `${dir} is not a Release Desk demo directory; refusing to put demo data there (${why}).\n` +
      `Choose another directory with RELEASE_DESK_DEMO_DATA_DIR (a missing or empty one is made into a demo directory).`,
  );
}

function isMarker(file: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { demo?: unknown }).demo === true;
  } catch {
    return false;
  }
}

/**
 * Make sure `dir` is a demo directory: create and mark it when it is missing or empty; accept it
 * when it carries the marker; refuse anything else, and the real data directory whatever it holds.
 */
export function prepareDemoDirectory(dir: string, opts: { realDataDir?: string } = {}): DemoDirectory {
  const resolved = path.resolve(dir);
  if (opts.realDataDir && path.resolve(opts.realDataDir) === resolved) {
    throw refuse(resolved, 'it is the data directory of the real server');
  }
  const marker = path.join(resolved, DEMO_MARKER);
  if (existsSync(resolved)) {
    if (!statSync(resolved).isDirectory()) throw refuse(resolved, 'it is a file, not a directory');
    if (readdirSync(resolved).length > 0) {
      if (isMarker(marker)) return { dir: resolved, created: false };
      throw refuse(resolved, `it is not empty and has no ${DEMO_MARKER}`);
    }
  }
  mkdirSync(resolved, { recursive: true, mode: 0o700 });
  writeFileSync(
    marker,
    `${JSON.stringify({ demo: true, note: 'Release Desk demo data: not for real records.', createdAt: new Date().toISOString() }, null, 2)}\n`,
  );
  return { dir: resolved, created: true };
}
