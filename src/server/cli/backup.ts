// `release-desk backup <file>` and `release-desk restore <file>` (and their older spellings
// `backup create --out` / `backup restore --in`): an encrypted, consistent backup made while the app
// runs, and its restore into a new, empty installation with the master key alone.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { VerifyResult } from '../audit/chain.js';
import { createBackup } from '../backup/create.js';
import type { VerifiedBackup } from '../backup/format.js';
import { restoreBackup } from '../backup/restore.js';
import { prepareRestore } from './backup-keys.js';
import { type Command, UsageError } from './command-types.js';

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

export function describeChain(result: VerifyResult): string {
  if (result.ok) return `Audit log intact: ${result.rowsChecked} rows checked in ${result.chains} chain(s).`;
  const b = result.firstBroken!;
  return (
    `Audit log BROKEN at row id ${b.id} (practice ${b.practiceId ?? 'none'}, seq ${b.seq}): ${b.reason}. ` +
    `${result.rowsChecked} rows before it verified.`
  );
}

const KEYS_NOTE =
  'It is encrypted with a key derived from the master key, which is NOT in it: keep the master key ' +
  '(secrets/master.key, or RELEASE_DESK_MASTER_KEY_FILE) safe and apart from the backups; without it the backup cannot be read.';

function outFile(flag: string, given: string | undefined): { file: string } {
  if (!given) throw new UsageError(`${flag}: is required (e.g. release-desk-backup.rdb).`);
  const file = path.resolve(given);
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${flag}: the folder ${dir} does not exist.`);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UsageError(`${flag}: ${file} is a folder; name a file.`);
  return { file };
}

function backupCommand(usage: string, flag: 'out' | undefined): Command {
  return {
    usage,
    summary: 'Write an encrypted backup of every table, files included, from one consistent snapshot',
    details: [
      'Made while the app runs: every table is read in one snapshot, so writes made meanwhile are',
      'either wholly in it or wholly not. The file is encrypted and authenticated in chunks (mode 0600).',
      KEYS_NOTE,
      'Jobs still queued (reminders, notifications) are not in it.',
    ],
    options: flag ? { [flag]: { type: 'string' } } : {},
    positional: flag ? undefined : 'file',
    parse: (v) => outFile(flag ? `--${flag}` : '<file>', str(v[flag ?? 'file'])),
    async run(services, input, io) {
      const { file } = input as { file: string };
      const made = await createBackup(services.database.pool, file, {
        masterKey: services.config.masterKey,
        auditKey: services.config.auditKey,
        now: services.now(),
      });
      if (made.unfinishedJobs > 0) {
        io.err(
          `Warning: ${made.unfinishedJobs} queued job(s) (reminders, notifications…) are not finished; ` +
            'they are not in the backup, so the restored installation will not run them. For a complete backup, ' +
            'let the running server finish them, stop it, then back up again.',
        );
      }
      const tables = Object.values(made.header.tables);
      const rows = tables.reduce((a, b) => a + b, 0);
      const size =
        made.bytes < 1024 * 1024
          ? `${Math.ceil(made.bytes / 1024)} KB`
          : `${(made.bytes / 1024 / 1024).toFixed(1)} MB`;
      io.out(`Encrypted backup written to ${file}: ${rows} rows in ${tables.length} tables, ${size}.`);
      io.out(KEYS_NOTE);
      io.out(`Restore into a new, empty installation with: release-desk restore ${file}`);
      return 0;
    },
  };
}

interface RestoreInput {
  file: string;
  auditKeyOut?: string;
}

function restoreCommand(usage: string, flag: 'in' | undefined): Command {
  return {
    usage,
    summary: 'Load a backup into a new, empty installation with its master key, then verify the audit log',
    details: [
      'Needs only the backup and the master key of the installation it came from (secrets/master.key in',
      'the new data directory, or RELEASE_DESK_MASTER_KEY_FILE); the audit key travels in the backup.',
      'The whole file is decrypted and checked first: a wrong key or a damaged file is refused before',
      'anything is written. A database that already holds a practice is refused: a backup is never',
      'merged into live data. Everything is restored in one transaction: on any refusal, nothing changes.',
      'With DATABASE_URL and no RELEASE_DESK_AUDIT_KEY_FILE, --audit-key-out <file> writes the audit key',
      'the backup carries to a new file, for every instance.',
    ],
    options: {
      ...(flag ? { [flag]: { type: 'string' as const } } : {}),
      'audit-key-out': { type: 'string' },
    },
    positional: flag ? undefined : 'file',
    parse: (v) => {
      const file = str(v[flag ?? 'file']);
      if (!file)
        throw new UsageError(`${flag ? `--${flag}` : '<file>'}: is required (the backup to restore).`);
      return { file: path.resolve(file), auditKeyOut: str(v['audit-key-out']) } satisfies RestoreInput;
    },
    async prepare(input, ctx) {
      const { file, auditKeyOut } = input as RestoreInput;
      const { backup, overrides } = await prepareRestore(file, auditKeyOut, ctx);
      return { input: backup, overrides };
    },
    async run(services, input, io) {
      const backup = input as VerifiedBackup;
      const h = backup.header;
      io.out(
        `Restoring ${backup.file}, made ${h.createdAt} by Release Desk ${h.appVersion} (PostgreSQL ${h.postgresVersion}).`,
      );
      const result = await restoreBackup(services, backup);
      const width = Math.max(...Object.keys(result.tables).map((k) => k.length));
      io.out('Rows restored:');
      for (const [name, n] of Object.entries(result.tables)) io.out(`  ${name.padEnd(width)}  ${n}`);
      const total = Object.values(result.tables).reduce((a, b) => a + b, 0);
      io.out(`  ${'total'.padEnd(width)}  ${total}`);
      io.out(describeChain(result.chain));
      if (!result.chain.ok) {
        io.out('The rows were restored as they are in the backup; the break was already in it.');
      }
      return result.chain.ok ? 0 : 1;
    },
  };
}

export const BACKUP_COMMANDS: Record<string, Command> = {
  backup: backupCommand('backup <file>', undefined),
  restore: restoreCommand('restore <file> [--audit-key-out <file>]', undefined),
  'backup create': backupCommand('backup create --out <file>   (the same as: backup <file>)', 'out'),
  'backup restore': restoreCommand('backup restore --in <file>   (the same as: restore <file>)', 'in'),
};
