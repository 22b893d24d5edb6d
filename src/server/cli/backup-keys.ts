// Before `restore` opens any database: find the master key where the server would (without making
// one, as a first start would), check it is the backup's, check the whole file with it, and put the
// audit key the backup carries where the restored installation will read it. A wrong key or a
// damaged file is refused here, before anything is written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BackupError, type VerifiedBackup } from '../backup/format.js';
import { readPreamble, wrongKeyMessage } from '../backup/sealed-stream.js';
import { verifyBackupFile } from '../backup/verify.js';
import type { Config } from '../config.js';
import { fingerprint } from '../db/keys.js';
import type { Io } from './command-types.js';
import { decodeKeyText } from './keys.js';

/** Where the CLI's database is (database.ts decides the same way). */
type Place = { mode: 'embedded'; dataDir: string } | { mode: 'url' };

function placeOf(env: NodeJS.ProcessEnv, dataDir: string | undefined): Place {
  if (dataDir) return { mode: 'embedded', dataDir: path.resolve(dataDir) };
  if (env.DATABASE_URL) return { mode: 'url' };
  return { mode: 'embedded', dataDir: path.resolve(env.RELEASE_DESK_DATA_DIR || './data') };
}

const keyFileIn = (dataDir: string, name: 'master.key' | 'audit.key') => path.join(dataDir, 'secrets', name);

/** The key the server would be given, or null where it would generate one (or refuse to start). */
function configuredKey(
  env: NodeJS.ProcessEnv,
  variable: 'RELEASE_DESK_MASTER_KEY' | 'RELEASE_DESK_AUDIT_KEY',
  place: Place,
): { key: Buffer; from: string } | null {
  const value = env[variable];
  const file = env[`${variable}_FILE`];
  if (value && file) throw new BackupError(`Set either ${variable} or ${variable}_FILE, not both.`);
  if (file) {
    if (!existsSync(file)) throw new BackupError(`${variable}_FILE: no such file: ${file}`);
    return { key: decodeKeyText(`${variable}_FILE`, readFileSync(file, 'utf8')), from: file };
  }
  if (value) return { key: decodeKeyText(variable, value), from: variable };
  if (place.mode === 'url') return null;
  const inDir = keyFileIn(place.dataDir, variable === 'RELEASE_DESK_MASTER_KEY' ? 'master.key' : 'audit.key');
  return existsSync(inDir) ? { key: decodeKeyText(inDir, readFileSync(inDir, 'utf8')), from: inDir } : null;
}

export interface PreparedRestore {
  backup: VerifiedBackup;
  overrides: Partial<Config>;
}

export async function prepareRestore(
  file: string,
  auditKeyOut: string | undefined,
  ctx: { env: NodeJS.ProcessEnv; dataDir: string | undefined; io: Io },
): Promise<PreparedRestore> {
  const place = placeOf(ctx.env, ctx.dataDir);
  const { preamble } = await readPreamble(file);
  const master = configuredKey(ctx.env, 'RELEASE_DESK_MASTER_KEY', place);
  if (!master) {
    throw new BackupError(
      place.mode === 'url'
        ? `No master key: set RELEASE_DESK_MASTER_KEY_FILE to the master key of the installation the backup came from (fingerprint ${preamble.masterKey}). Nothing was changed.`
        : `No master key in ${keyFileIn(place.dataDir, 'master.key')}: copy the master key of the installation the backup came from ` +
            `(fingerprint ${preamble.masterKey}) there, or set RELEASE_DESK_MASTER_KEY_FILE. Nothing was changed.`,
    );
  }
  if (fingerprint(master.key) !== preamble.masterKey)
    throw new BackupError(wrongKeyMessage(file, preamble, master.key));
  ctx.io.err(`Checking ${file} with the master key from ${master.from}…`);
  const backup = await verifyBackupFile(file, master.key);
  const audit = Buffer.from(backup.header.auditKey, 'base64');
  if (audit.length !== 32 || fingerprint(audit) !== backup.header.keys.audit)
    throw new BackupError(
      `${file}: the audit key it carries does not match its fingerprint. Nothing was changed.`,
    );

  const configured = configuredKey(ctx.env, 'RELEASE_DESK_AUDIT_KEY', place);
  if (configured) {
    if (!configured.key.equals(audit)) {
      throw new BackupError(
        `The audit key in ${configured.from} (fingerprint ${fingerprint(configured.key)}) is not the backed-up ` +
          `installation's (${backup.header.keys.audit}), which the backup carries. Remove it (or, for a data directory ` +
          "started once with other keys, delete that directory) so the backup's is used. Nothing was changed.",
      );
    }
    return { backup, overrides: {} };
  }
  if (place.mode === 'embedded') {
    const target = keyFileIn(place.dataDir, 'audit.key');
    mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, `${audit.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    ctx.io.err(`The backed-up installation's audit key (carried in the backup) is now in ${target}.`);
    return { backup, overrides: {} };
  }
  if (!auditKeyOut) {
    throw new BackupError(
      'With DATABASE_URL, every instance is given the audit key: name a new file for the one the backup carries ' +
        '(--audit-key-out <file>) and give it to every instance as RELEASE_DESK_AUDIT_KEY_FILE, or set ' +
        "RELEASE_DESK_AUDIT_KEY_FILE to the backed-up installation's audit key. Nothing was changed.",
    );
  }
  const out = path.resolve(auditKeyOut);
  try {
    writeFileSync(out, `${audit.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw new BackupError(`--audit-key-out: cannot create ${out}: ${(err as Error).message}`);
  }
  ctx.io.err(
    `The backed-up installation's audit key is now in ${out}: give every instance RELEASE_DESK_AUDIT_KEY_FILE=${out}.`,
  );
  return { backup, overrides: { auditKey: audit } };
}
