// Convention 8 and rule SEC-4: a file's content is read in one place. This guard fails when any other
// source file touches a file's ciphertext or key material, or derives the file-key wrapping key.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// keys rotate (crypto/rotate.ts) re-wraps each file's key with the new master key: it unseals and
// reseals the wrapped key only, never the file's content, and reads no request. blobs.ts stores and
// reads the chunks for storage.ts; legacy-files.ts reads rows written before blobs for storage.ts
// and moves them to blobs at boot (it hands the bytes to nobody else).
const ALLOWED = new Set([
  'server/documents/storage.ts',
  'server/documents/blobs.ts',
  'server/documents/legacy-files.ts',
  'server/db/schema.ts',
  'server/db/schema-blobs.ts',
  'server/crypto/seal.ts',
  'server/crypto/rotate.ts',
]);
const KEY_MATERIAL = /\b(ciphertext|wrappedKey|wrapped_key)\b|files\.authTag|'file-key'/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('convention 8: one read path for files', () => {
  it('SEC-4: only documents/storage.ts touches a file’s ciphertext, keys or the file-key wrapper', () => {
    const offenders = sources(SRC)
      .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
      .filter((rel) => !ALLOWED.has(rel))
      .filter((rel) => KEY_MATERIAL.test(readFileSync(path.join(SRC, rel), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('SEC-4: only storage.ts reads blobs and legacy rows; legacy-files.ts is called by storage.ts and boot alone', () => {
    const callers = (name: RegExp) =>
      sources(SRC)
        .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
        .filter((rel) => name.test(readFileSync(path.join(SRC, rel), 'utf8')));
    expect(callers(/\breadBlob\b/).sort()).toEqual([
      'server/documents/blobs.ts',
      'server/documents/storage.ts',
    ]);
    expect(callers(/\bopenLegacyFile\b/).sort()).toEqual([
      'server/documents/legacy-files.ts',
      'server/documents/storage.ts',
    ]);
    expect(callers(/\bmoveLegacyFiles\b/).sort()).toEqual([
      'server/boot.ts',
      'server/documents/legacy-files.ts',
    ]);
  });

  it('SEC-4, REL-2: only packet assembly and the secure link use the internal read path', () => {
    const callers = sources(SRC)
      .map((f) => path.relative(SRC, f).split(path.sep).join('/'))
      .filter((rel) => rel !== 'server/documents/storage.ts')
      .filter((rel) => /\breadFileInternal\b/.test(readFileSync(path.join(SRC, rel), 'utf8')));
    expect(
      callers.every((rel) => /^server\/(packets|delivery)\//.test(rel)),
      callers.join(', '),
    ).toBe(true);
  });
});
