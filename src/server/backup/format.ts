// The backup's content, encrypted as a whole by sealed-stream.ts: JSON lines. A header line, one line
// per row ({"t": table, "r": row as PostgreSQL's row_to_json wrote it, bytea as {"$b64": …}), and a
// trailer line holding the SHA-256 of every byte before it. The file is
// checked whole before anything is restored (verifyBackupFile).

export const FORMAT = 'release-desk-backup';
/** 2: the whole file encrypted (sealed-stream.ts); 1 was plain JSON lines. */
export const FORMAT_VERSION = 2;

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
  /** Fingerprints of the master and audit keys (from instance_keys). */
  keys: Record<string, string>;
  /**
   * The audit key (base64), so a restore needs the master key alone: the chain's HMACs can only be
   * verified, and continued, with it. The master key is never in the file.
   */
  auditKey: string;
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

const TRAILER_START = Buffer.from('{"trailer":');

/** The closing line (row lines start {"t":, the header {"format":). */
export function isTrailerLine(line: Buffer): boolean {
  return line.subarray(0, TRAILER_START.length).equals(TRAILER_START);
}

export function parseTrailer(text: string): BackupTrailer | null {
  try {
    const t = JSON.parse(text) as Partial<BackupTrailer>;
    if (t.trailer !== FORMAT || typeof t.sha256 !== 'string' || typeof t.lines !== 'number') return null;
    return t as BackupTrailer;
  } catch {
    return null;
  }
}

export function parseHeader(file: string, text: string): BackupHeader {
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
  if (!h.tables || !h.columns || !h.keys || typeof h.auditKey !== 'string')
    throw new BackupError(`${file}: its header is incomplete.`);
  return h as BackupHeader;
}
