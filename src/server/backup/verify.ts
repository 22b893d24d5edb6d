// Checking a whole backup before anything is restored (format.ts describes the content).
import { createHash } from 'node:crypto';
import {
  BackupError,
  type BackupHeader,
  type BackupTrailer,
  isTrailerLine,
  parseHeader,
  parseTrailer,
  type VerifiedBackup,
} from './format.js';
import { sealedLines } from './sealed-stream.js';

/**
 * Check the whole file before anything is touched: every chunk decrypts and authenticates with the
 * master key (the file is not cut short), the first line is a header this version can read, and
 * the rows hash to the trailer's SHA-256. The decrypted content is never kept: a chunk at a time.
 */
export async function verifyBackupFile(file: string, masterKey: Buffer): Promise<VerifiedBackup> {
  const hash = createHash('sha256');
  let header: BackupHeader | null = null;
  let trailer: BackupTrailer | null = null;
  let lines = 0;
  for await (const line of sealedLines(file, masterKey)) {
    if (trailer) throw new BackupError(`${file} is damaged: it has lines after its closing line.`);
    if (isTrailerLine(line)) {
      trailer = parseTrailer(line.toString('utf8'));
      if (!trailer)
        throw new BackupError(`${file} is damaged: it does not end with the backup's closing line.`);
      continue;
    }
    hash.update(line);
    if (lines === 0) header = parseHeader(file, line.toString('utf8', 0, line.length - 1));
    lines += 1;
  }
  if (!trailer) throw new BackupError(`${file} is damaged: it does not end with the backup's closing line.`);
  if (hash.digest('hex') !== trailer.sha256 || lines !== trailer.lines) {
    throw new BackupError(
      `${file} is damaged: its contents do not match the checksum written when the backup was made. Use another copy of the backup.`,
    );
  }
  if (!header) throw new BackupError(`${file} is not a Release Desk backup (no header line).`);
  return { file, header, trailer };
}
