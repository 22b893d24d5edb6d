// The demo's data directory guard: a missing or empty directory becomes a demo directory; a marked
// one is accepted again; anything else (and the real data directory) is refused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MARKER, DemoDirectoryError, prepareDemoDirectory } from '../../src/server/demo/directory.js';

describe('the demo directory guard', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rd-demo-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates and marks a directory that does not exist, then accepts it', () => {
    const dir = path.join(root, 'new', 'data-demo');
    expect(prepareDemoDirectory(dir)).toEqual({ dir, created: true });
    const marker = JSON.parse(readFileSync(path.join(dir, DEMO_MARKER), 'utf8')) as { demo: boolean };
    expect(marker.demo).toBe(true);
    writeFileSync(path.join(dir, 'something'), 'demo data');
    expect(prepareDemoDirectory(dir)).toEqual({ dir, created: false });
  });

  it('marks an empty directory', () => {
    const dir = path.join(root, 'empty');
    mkdirSync(dir);
    expect(prepareDemoDirectory(dir).created).toBe(true);
    expect(existsSync(path.join(dir, DEMO_MARKER))).toBe(true);
  });

  it('refuses a non-empty directory without the marker, and leaves it as it was', () => {
    const dir = path.join(root, 'real');
    mkdirSync(path.join(dir, 'secrets'), { recursive: true });
    expect(() => prepareDemoDirectory(dir)).toThrow(DemoDirectoryError);
    expect(() => prepareDemoDirectory(dir)).toThrow(
      `${dir} is not a Release Desk demo directory; refusing to put demo data there`,
    );
    expect(existsSync(path.join(dir, DEMO_MARKER))).toBe(false);
  });

  it('refuses a marker that is not ours, a file, and the real data directory', () => {
    const forged = path.join(root, 'forged');
    mkdirSync(forged);
    writeFileSync(path.join(forged, DEMO_MARKER), 'not json');
    expect(() => prepareDemoDirectory(forged)).toThrow(DemoDirectoryError);
    const file = path.join(root, 'a-file');
    writeFileSync(file, 'x');
    expect(() => prepareDemoDirectory(file)).toThrow(/not a Release Desk demo directory/);
    const data = path.join(root, 'data');
    expect(() => prepareDemoDirectory(data, { realDataDir: data })).toThrow(
      /data directory of the real server/,
    );
    expect(existsSync(data)).toBe(false);
  });
});
