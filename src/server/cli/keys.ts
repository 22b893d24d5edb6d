// `release-desk keys rotate`: move everything sealed with the master key to a new key without
// stopping the server (see src/server/crypto/rotate.ts for the design).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RotationError, rotateMasterKey } from '../crypto/rotate.js';
import { masterKeyRing } from '../crypto/seal.js';
import { fingerprint } from '../db/keys.js';
import { type Command, UsageError } from './command-types.js';

interface RotateInput {
  newKeyFile?: string;
  stage: boolean;
  batchSize: number;
}

export function decodeKeyText(where: string, raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new UsageError(`${where}: must be 32 bytes, base64 or hex encoded (got ${key.length} bytes).`);
  return key;
}

export const keysRotate: Command = {
  usage: 'keys rotate [--new-key-file <file>] [--stage] [--batch-size <n>]',
  summary: 'Re-wrap every file key and sealed secret from the master key to a new one, without downtime',
  details: [
    'Without --new-key-file a new key is generated and written next to the current one (<key file>.next),',
    'and its path printed. Rows are re-wrapped in batches, one transaction each; the server keeps working',
    'because readers accept the old or the new key (RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE).',
    'At the end the database switches to the new key: the old one is then refused at boot.',
    'An interrupted rotation is resumed by running the same command again (with the same new key).',
    'Several instances, no downtime: (1) keys rotate --stage --new-key-file new.key; (2) restart each',
    'instance with RELEASE_DESK_MASTER_KEY_FILE=new.key and RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE=<old>;',
    '(3) keys rotate --new-key-file new.key; (4) later, drop the previous key from the configuration.',
  ],
  options: {
    'new-key-file': { type: 'string' },
    stage: { type: 'boolean' },
    'batch-size': { type: 'string' },
  },
  parse: (v) => {
    const file = typeof v['new-key-file'] === 'string' ? path.resolve(v['new-key-file']) : undefined;
    if (file && (!existsSync(file) || !statSync(file).isFile()))
      throw new UsageError(
        `--new-key-file: no such file: ${file} (generate one with: openssl rand -base64 32).`,
      );
    const batchSize = v['batch-size'] === undefined ? 200 : Number(v['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10000)
      throw new UsageError('--batch-size: a whole number from 1 to 10000.');
    return { newKeyFile: file, stage: v.stage === true, batchSize } satisfies RotateInput;
  },
  async run(services, input, io) {
    const { newKeyFile, stage, batchSize } = input as RotateInput;
    const config = services.config;
    const env = io.env ?? {};
    // Where the current key lives, for the generated one and (embedded mode) the switch of files.
    const embeddedKey =
      !config.databaseUrl && !env.RELEASE_DESK_MASTER_KEY && !env.RELEASE_DESK_MASTER_KEY_FILE
        ? path.join(config.dataDir, 'secrets', 'master.key')
        : undefined;
    const currentFile = env.RELEASE_DESK_MASTER_KEY_FILE
      ? path.resolve(env.RELEASE_DESK_MASTER_KEY_FILE)
      : (embeddedKey ?? path.join(config.dataDir, 'secrets', 'master.key'));
    let file = newKeyFile;
    let newKey: Buffer;
    if (file) {
      newKey = decodeKeyText('--new-key-file', readFileSync(file, 'utf8'));
    } else {
      file = `${currentFile}.next`;
      if (existsSync(file)) {
        newKey = decodeKeyText(file, readFileSync(file, 'utf8'));
        io.out(`Resuming with the key already generated in ${file}.`);
      } else {
        newKey = randomBytes(32);
        mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        writeFileSync(file, `${newKey.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
        io.out(`New master key written to ${file} (fingerprint ${fingerprint(newKey)}).`);
      }
    }
    let result: Awaited<ReturnType<typeof rotateMasterKey>>;
    try {
      result = await rotateMasterKey(services.database.pool, masterKeyRing(config.masterKey), newKey, {
        auditKey: config.auditKey,
        now: services.now,
        batchSize,
        stageOnly: stage,
        log: (line) => io.err(line),
      });
    } catch (err) {
      if (err instanceof RotationError) {
        io.err(`release-desk keys rotate: ${err.message}`);
        return 1;
      }
      throw err;
    }
    if (stage) {
      io.out(
        `The database now accepts the key in ${file} (fingerprint ${fingerprint(newKey)}) beside the current one.`,
      );
      io.out(
        `Restart each instance with RELEASE_DESK_MASTER_KEY_FILE=${file} and RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE=${currentFile}, then run: release-desk keys rotate --new-key-file ${file}`,
      );
      return 0;
    }
    io.out(
      `Rotated: ${result.rewrapped} value(s) re-wrapped, ${result.alreadyNew} already on the new key. The database now expects the key in ${file} (fingerprint ${fingerprint(newKey)}); the old key is refused at boot.`,
    );
    for (const u of result.unopenable)
      io.err(
        `Warning: ${u.table} ${u.key} opens with no key (tampered or moved); left as it is, refused when read.`,
      );
    if (embeddedKey && !newKeyFile && existsSync(embeddedKey)) {
      renameSync(embeddedKey, `${embeddedKey}.previous`);
      renameSync(file, embeddedKey);
      io.out(
        `The data directory now holds the new key (${embeddedKey}); the old one is kept as ${embeddedKey}.previous for reading until you delete it. Restart the server.`,
      );
    } else {
      io.out(
        `Give every instance RELEASE_DESK_MASTER_KEY_FILE=${file}; keep RELEASE_DESK_PREVIOUS_MASTER_KEY_FILE=${currentFile} until all have restarted, then remove it.`,
      );
    }
    return 0;
  },
};
