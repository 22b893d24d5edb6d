// The backup file: JSON lines. A header line, one line per row ({"t": table, "r": row as PostgreSQL's
// row_to_json wrote it, bytea as {"$b64": …}), and a trailer line holding the SHA-256 of every
// byte before it. The file is checked whole before anything is restored (verifyBackupFile).
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export const FORMAT = 'release-desk-backup';
export const FORMAT_VERSION = 1;

/** A refusal or failure of backup create/restore, with a message for the operator. */
export class BackupError extends Error {}

export interface BackupHeader {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  appVersion: string;
  postgresVersion: string;
  /** The latest migration applied to the database the backup was made from. */
  migration: { id: number; hash: string; createdAt: string } | null;
  /** Rows per table, in the order they appear in the file (parents before children). */
  tables: Record<string, number>;
  /** The columns of each table, as written in its rows. */
  columns: Record<string, string[]>;
  /** Fingerprints of the master and audit keys (from instance_keys); the keys are not in the file. */
  keys: Record<string, string>;
}

export interface BackupTrailer {
  trailer: typeof FORMAT;
  /** Lines before the trailer (the header and every row). */
  lines: number;
  /** SHA-256 (hex) of every byte before the trailer line, newlines included. */
  sha256: string;
}

export interface VerifiedBackup {
  file: string;
  header: BackupHeader;
  trailer: BackupTrailer;
}

export function rowLine(table: string, rowJson: string): string {
  // Raw line breaks in JSON can only be whitespace between tokens (a json column's own layout).
  const r = /[\r\n]/.test(rowJson) ? rowJson.replace(/[\r\n]/g, ' ') : rowJson;
  return `{"t":${JSON.stringify(table)},"r":${r}}`;
}

const ROW_PREFIX = /^\{"t":("(?:[^"\\]|\\.)*"),"r":/;

/** Split a row line without parsing the row (JSON numbers would lose precision in JavaScript). */
export function parseRowLine(line: string, lineNo: number): { table: string; row: string } {
  const m = ROW_PREFIX.exec(line.slice(0, 512));
  if (!m || !line.endsWith('}')) throw new BackupError(`Line ${lineNo} of the backup is not a row line.`);
  return { table: JSON.parse(m[1]!) as string, row: line.slice(m[0].length, -1) };
}

const CHUNK = 1 << 20;

/**
 * Check the whole file before anything is touched: it ends with a trailer, every byte before the
 * trailer hashes to the trailer's SHA-256, and the first line is a header this version can read.
 */
export function verifyBackupFile(file: string): VerifiedBackup {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new BackupError(`${file} is not a file.`);
    size = st.size;
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  if (size === 0) throw new BackupError(`${file} is empty: it is not a backup (or the copy failed).`);
  const fd = openSync(file, 'r');
  try {
    const tailSize = Math.min(size, 64 * 1024);
    const tail = Buffer.alloc(tailSize);
    readSync(fd, tail, 0, tailSize, size - tailSize);
    const start = tail.lastIndexOf(0x0a, tail.length - 2);
    const trailer = parseTrailer(tail.subarray(start + 1).toString('utf8'));
    if (!trailer || tail[tail.length - 1] !== 0x0a || (start < 0 && tailSize < size)) {
      throw new BackupError(
        `${file} is damaged: it does not end with the backup's closing line (it may have been cut short in a copy, or is not a Release Desk backup).`,
      );
    }
    const bodySize = size - tailSize + start + 1;
    const hash = createHash('sha256');
    const buf = Buffer.alloc(CHUNK);
    let headerBytes: Buffer[] | null = [];
    let header: BackupHeader | null = null;
    let lines = 0;
    for (let pos = 0; pos < bodySize; ) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, bodySize - pos), pos);
      if (n <= 0) throw new BackupError(`${file} changed while it was being read.`);
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
        if (headerBytes) {
          headerBytes.push(Buffer.from(chunk.subarray(0, i)));
          header = parseHeader(file, Buffer.concat(headerBytes).toString('utf8'));
          headerBytes = null;
        }
        lines += 1;
      }
      if (headerBytes) headerBytes.push(Buffer.from(chunk));
      pos += n;
    }
    if (hash.digest('hex') !== trailer.sha256 || lines !== trailer.lines) {
      throw new BackupError(
        `${file} is damaged: its contents do not match the checksum written when the backup was made ` +
          '(a line was changed, added or removed after the backup). Use another copy of the backup.',
      );
    }
    if (!header) throw new BackupError(`${file} is not a Release Desk backup (no header line).`);
    return { file, header, trailer };
  } finally {
    closeSync(fd);
  }
}

function parseTrailer(text: string): BackupTrailer | null {
  try {
    const t = JSON.parse(text) as Partial<BackupTrailer>;
    if (t.trailer !== FORMAT || typeof t.sha256 !== 'string' || typeof t.lines !== 'number') return null;
    return t as BackupTrailer;
  } catch {
    return null;
  }
}

function parseHeader(file: string, text: string): BackupHeader {
  let h: Partial<BackupHeader>;
  try {
    h = JSON.parse(text) as Partial<BackupHeader>;
  } catch {
    throw new BackupError(`${file} is not a Release Desk backup (its first line is not a header).`);
  }
  if (h.format !== FORMAT) throw new BackupError(`${file} is not a Release Desk backup.`);
  if (h.version !== FORMAT_VERSION) {
    throw new BackupError(
      `${file} is a version ${h.version} backup; this Release Desk reads version ${FORMAT_VERSION}. Use a newer Release Desk.`,
    );
  }
  if (!h.tables || !h.columns || !h.keys) throw new BackupError(`${file}: its header is incomplete.`);
  return h as BackupHeader;
}
