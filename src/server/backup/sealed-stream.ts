// rule SEC-4: a backup holds health information, so the whole file is encrypted (AES-256-GCM) with a
// key derived from the master key, in authenticated chunks so that neither writing nor reading ever
// holds more than one chunk (a 1 GB backup never sits in memory).
//
// File layout:
//   "RDBACKUP" | u32 length | preamble JSON (plain: format, version, file id, master key fingerprint)
//   then chunks: u8 flags (1 = the final chunk) | u32 sealed length | sealed bytes | 16-byte tag
//
// Each file has its own random id; the key is HKDF(master key, salt = file id), so a nonce made from
// the chunk index is never reused under one key. Every chunk's associated data binds the whole
// preamble (hence the file id), the chunk's index and its final flag: chunks cannot be reordered,
// moved between files, dropped or added, and a file cut short (no final chunk) is refused.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';
import { fingerprint } from '../db/keys.js';
import { BackupError, FORMAT, FORMAT_VERSION } from './format.js';

const MAGIC = Buffer.from('RDBACKUP', 'ascii');
const TAG_BYTES = 16;
const FRAME_BYTES = 5;
/** Plaintext per chunk. */
export const CHUNK_BYTES = 1024 * 1024;
/** A chunk length above this is damage, not data (guards the reader's allocation). */
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
const MAX_PREAMBLE_BYTES = 64 * 1024;

/** The unencrypted start of a backup: enough to name the key it needs, nothing about the practice. */
export interface Preamble {
  format: typeof FORMAT;
  version: number;
  /** Random, hex: the salt of this file's key and part of every chunk's associated data. */
  fileId: string;
  cipher: 'aes-256-gcm';
  kdf: 'hkdf-sha256';
  /** Fingerprint (db/keys.ts) of the master key the file is encrypted with. */
  masterKey: string;
}

function fileKey(masterKey: Buffer, fileId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.from(fileId, 'hex'), 'release-desk backup v2', 32));
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

function chunkAad(preambleDigest: Buffer, fileId: string, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail[8] = final ? 1 : 0;
  return Buffer.concat([Buffer.from(`release-desk backup chunk ${fileId}\0`, 'utf8'), preambleDigest, tail]);
}

function encodePreamble(p: Preamble): Buffer {
  const json = Buffer.from(JSON.stringify(p), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, len, json]);
}

/** Writes plaintext as encrypted chunks; `close` writes the final chunk and fsyncs. */
export class SealedWriter {
  private readonly key: Buffer;
  private readonly digest: Buffer;
  private readonly fileId: string;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private written = 0;
  private started = false;

  private constructor(
    private readonly fh: FileHandle,
    private readonly preamble: Buffer,
    p: Preamble,
    masterKey: Buffer,
  ) {
    this.fileId = p.fileId;
    this.key = fileKey(masterKey, p.fileId);
    this.digest = createHash('sha256').update(preamble).digest();
  }

  /** A new file (must not exist), mode 0600. */
  static async create(file: string, masterKey: Buffer): Promise<SealedWriter> {
    const p: Preamble = {
      format: FORMAT,
      version: FORMAT_VERSION,
      fileId: randomBytes(16).toString('hex'),
      cipher: 'aes-256-gcm',
      kdf: 'hkdf-sha256',
      masterKey: fingerprint(masterKey),
    };
    return new SealedWriter(await open(file, 'wx', 0o600), encodePreamble(p), p, masterKey);
  }

  async write(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes < CHUNK_BYTES) return;
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let from = 0;
    for (; all.length - from >= CHUNK_BYTES; from += CHUNK_BYTES) {
      await this.seal(all.subarray(from, from + CHUNK_BYTES), false);
    }
    // Copied: the caller may reuse its buffer.
    const rest = Buffer.from(all.subarray(from));
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
  }

  private async seal(plain: Buffer, final: boolean): Promise<void> {
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce(this.index), { authTagLength: TAG_BYTES });
    cipher.setAAD(chunkAad(this.digest, this.fileId, this.index, final));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const frame = Buffer.alloc(FRAME_BYTES);
    frame[0] = final ? 1 : 0;
    frame.writeUInt32BE(body.length, 1);
    const parts: Buffer[] = [frame, body, cipher.getAuthTag()];
    if (!this.started) {
      parts.unshift(this.preamble);
      this.started = true;
    }
    const out = Buffer.concat(parts);
    await this.fh.write(out);
    this.written += out.length;
    this.index += 1;
  }

  /** Bytes written to the file so far. */
  get bytes(): number {
    return this.written;
  }

  /** Seal what is left as the final chunk, fsync and close; returns the file's size. */
  async close(): Promise<number> {
    try {
      await this.seal(Buffer.concat(this.pending), true);
      this.pending = [];
      await this.fh.sync();
    } finally {
      this.key.fill(0);
      await this.fh.close();
    }
    return this.written;
  }

  /** Close without finishing (the caller removes the file). */
  async abandon(): Promise<void> {
    this.key.fill(0);
    await this.fh.close();
  }
}

const CUT_SHORT = (file: string) =>
  `${file} is damaged: it ends before the backup's last part (it may have been cut short in a copy). Use another copy of the backup.`;

/** The preamble of a backup file, read without any key (to name the key it needs). */
export async function readPreamble(file: string): Promise<{ preamble: Preamble; bytes: Buffer }> {
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    throw new BackupError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new BackupError(`${file} is not a file.`);
    if (st.size === 0) throw new BackupError(`${file} is empty: it is not a backup (or the copy failed).`);
    const head = Buffer.alloc(MAGIC.length + 4);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    if (bytesRead < head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) {
      const first = head.subarray(0, 1).toString('latin1');
      throw new BackupError(
        first === '{'
          ? `${file} is an unencrypted backup made by an earlier Release Desk; restore it with that version.`
          : `${file} is not a Release Desk backup.`,
      );
    }
    const len = head.readUInt32BE(MAGIC.length);
    if (len > MAX_PREAMBLE_BYTES) throw new BackupError(`${file} is not a Release Desk backup.`);
    const json = Buffer.alloc(len);
    const got = await fh.read(json, 0, len, head.length);
    if (got.bytesRead < len) throw new BackupError(CUT_SHORT(file));
    let p: Partial<Preamble>;
    try {
      p = JSON.parse(json.toString('utf8')) as Partial<Preamble>;
    } catch {
      throw new BackupError(`${file} is not a Release Desk backup (its first part is unreadable).`);
    }
    if (p.format !== FORMAT) throw new BackupError(`${file} is not a Release Desk backup.`);
    if (p.version !== FORMAT_VERSION) {
      throw new BackupError(
        `${file} is a version ${p.version} backup; this Release Desk reads version ${FORMAT_VERSION}. Use a newer Release Desk.`,
      );
    }
    if (typeof p.fileId !== 'string' || !/^[0-9a-f]{32}$/.test(p.fileId) || typeof p.masterKey !== 'string')
      throw new BackupError(`${file}: its first part is incomplete.`);
    return { preamble: p as Preamble, bytes: Buffer.concat([head, json]) };
  } finally {
    await fh.close();
  }
}

/** The message for a master key whose fingerprint is not the one the file names. */
export function wrongKeyMessage(file: string, preamble: Preamble, masterKey: Buffer): string {
  return (
    `${file} was encrypted with the master key whose fingerprint is ${preamble.masterKey}; the master key ` +
    `given here is ${fingerprint(masterKey)}. Restore with the master key of the installation the backup ` +
    'came from (RELEASE_DESK_MASTER_KEY_FILE, or secrets/master.key in the new data directory). Nothing was changed.'
  );
}

/**
 * The decrypted content, a chunk at a time, every chunk authenticated before it is yielded. Refuses
 * a key other than the one the preamble names, a changed or reordered chunk, a file cut short and
 * bytes after the final chunk.
 */
export async function* openSealed(file: string, masterKey: Buffer): AsyncGenerator<Buffer> {
  const { preamble, bytes } = await readPreamble(file);
  if (fingerprint(masterKey) !== preamble.masterKey)
    throw new BackupError(wrongKeyMessage(file, preamble, masterKey));
  const key = fileKey(masterKey, preamble.fileId);
  const digest = createHash('sha256').update(bytes).digest();
  const fh = await open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = bytes.length;
    const frame = Buffer.alloc(FRAME_BYTES);
    for (let index = 0; ; index++) {
      if (pos + FRAME_BYTES > size) throw new BackupError(CUT_SHORT(file));
      await fh.read(frame, 0, FRAME_BYTES, pos);
      const flags = frame[0]!;
      const len = frame.readUInt32BE(1);
      if (flags > 1 || len > MAX_CHUNK_BYTES) throw new BackupError(damaged(file));
      if (pos + FRAME_BYTES + len + TAG_BYTES > size) throw new BackupError(CUT_SHORT(file));
      const body = Buffer.alloc(len + TAG_BYTES);
      await fh.read(body, 0, body.length, pos + FRAME_BYTES);
      pos += FRAME_BYTES + body.length;
      const final = flags === 1;
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce(index), { authTagLength: TAG_BYTES });
        decipher.setAAD(chunkAad(digest, preamble.fileId, index, final));
        decipher.setAuthTag(body.subarray(len));
        plain = Buffer.concat([decipher.update(body.subarray(0, len)), decipher.final()]);
      } catch {
        throw new BackupError(damaged(file));
      }
      yield plain;
      if (final) {
        if (pos !== size)
          throw new BackupError(`${file} is damaged: it has bytes after the backup's last part.`);
        return;
      }
    }
  } finally {
    key.fill(0);
    await fh.close();
  }
}

const damaged = (file: string) =>
  `${file} is damaged: a part of it fails its authentication (it was changed after the backup was made). ` +
  'Use another copy of the backup.';

/** The decrypted content as lines, each with its newline, as raw bytes (a line can be tens of MB). */
export async function* sealedLines(file: string, masterKey: Buffer): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  for await (const chunk of openSealed(file, masterKey)) {
    let from = 0;
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, from)) {
      parts.push(chunk.subarray(from, i + 1));
      yield parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts = [];
      from = i + 1;
    }
    if (from < chunk.length) parts.push(chunk.subarray(from));
  }
  if (parts.length > 0) yield Buffer.concat(parts);
}
