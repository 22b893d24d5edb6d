// rule SEC-4: the backup's encryption. Every chunk authenticates its place (index, final flag) and its
// file (the preamble with the file id): a reordered, dropped, moved or changed chunk, a file cut at a
// chunk boundary and a wrong key are all refused, and content of several chunks round-trips.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, openSealed, SealedWriter, sealedLines } from './sealed-stream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rd-sealed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = randomBytes(32);
let n = 0;

async function write(content: Buffer[], masterKey = key): Promise<string> {
  const file = path.join(dir, `f${n++}.rdb`);
  const w = await SealedWriter.create(file, masterKey);
  for (const part of content) await w.write(part);
  await w.close();
  return file;
}

async function readAll(file: string, masterKey = key): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of openSealed(file, masterKey)) parts.push(chunk);
  return Buffer.concat(parts);
}

/** [start, end) of each chunk's frame. */
function frames(raw: Buffer): [number, number][] {
  const out: [number, number][] = [];
  let pos = 12 + raw.readUInt32BE(8);
  while (pos < raw.length) {
    const end = pos + 5 + raw.readUInt32BE(pos + 1) + 16;
    out.push([pos, end]);
    pos = end;
  }
  return out;
}

function saved(data: Buffer): string {
  const file = path.join(dir, `v${n++}.rdb`);
  writeFileSync(file, data);
  return file;
}

describe('SEC-4: the backup file is encrypted in authenticated chunks', () => {
  const content = randomBytes(CHUNK_BYTES * 2 + 12345);

  it('round-trips content of several chunks, written in pieces of any size', async () => {
    const file = await write([
      content.subarray(0, 7),
      content.subarray(7, CHUNK_BYTES + 3),
      content.subarray(CHUNK_BYTES + 3),
    ]);
    expect((await readAll(file)).equals(content)).toBe(true);
    expect(frames(readFileSync(file))).toHaveLength(3);
    const empty = await write([]);
    expect((await readAll(empty)).length).toBe(0);
  });

  it('no plaintext in the file: the same content twice gives different files (own file id and key)', async () => {
    const text = Buffer.from('Maria Lopez, progress note\n'.repeat(1000));
    const [a, b] = [await write([text]), await write([text])];
    const [ra, rb] = [readFileSync(a), readFileSync(b)];
    expect(ra.includes(Buffer.from('Maria'))).toBe(false);
    expect(ra.subarray(-200).equals(rb.subarray(-200))).toBe(false);
    const lines: string[] = [];
    for await (const l of sealedLines(a, key)) lines.push(l.toString());
    expect(lines).toHaveLength(1000);
  });

  it('refuses a wrong key before reading any chunk, naming the fingerprints', async () => {
    const file = await write([content]);
    await expect(readAll(file, randomBytes(32))).rejects.toThrow(
      /encrypted with the master key whose fingerprint is/,
    );
  });

  it('refuses a changed byte, swapped chunks, a chunk from another file and a flipped final flag', async () => {
    const file = await write([content]);
    const raw = readFileSync(file);
    const f = frames(raw);
    const changed = Buffer.from(raw);
    changed[f[1]![0] + 100]! ^= 1;
    await expect(readAll(saved(changed))).rejects.toThrow(/fails its authentication/);

    const swapped = Buffer.concat([
      raw.subarray(0, f[0]![0]),
      raw.subarray(...f[1]!),
      raw.subarray(...f[0]!),
      raw.subarray(...f[2]!),
    ]);
    await expect(readAll(saved(swapped))).rejects.toThrow(/fails its authentication/);

    // The same content in another file: same key, its own file id, so its chunks do not fit here.
    const other = readFileSync(await write([content]));
    const g = frames(other);
    const moved = Buffer.concat([
      raw.subarray(0, f[1]![0]),
      other.subarray(...g[1]!),
      raw.subarray(f[1]![1]),
    ]);
    await expect(readAll(saved(moved))).rejects.toThrow(/fails its authentication/);

    const early = Buffer.from(raw.subarray(0, f[1]![1]));
    early[f[1]![0]] = 1; // claims the second chunk is the last
    await expect(readAll(saved(early))).rejects.toThrow(/fails its authentication/);
  });

  it('refuses a file cut at a chunk boundary (no final chunk), or mid-chunk, or with bytes added', async () => {
    const file = await write([content]);
    const raw = readFileSync(file);
    const f = frames(raw);
    await expect(readAll(saved(raw.subarray(0, f[2]![0])))).rejects.toThrow(
      /ends before the backup's last part/,
    );
    await expect(readAll(saved(raw.subarray(0, f[2]![0] + 40)))).rejects.toThrow(
      /ends before the backup's last part/,
    );
    await expect(readAll(saved(Buffer.concat([raw, Buffer.from([0])])))).rejects.toThrow(
      /bytes after the backup's last part/,
    );
    await expect(readAll(saved(Buffer.from('{"format":"release-desk-backup"}\n')))).rejects.toThrow(
      /unencrypted backup made by an earlier Release Desk/,
    );
  });
});
