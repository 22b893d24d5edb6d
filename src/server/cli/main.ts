// `release-desk` (`npm run cli -- <command>`): the operator's tool. Exit codes: 0 done, 1 failed
// (or the audit chain is broken), 2 bad usage. Options follow the command words.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Config, ConfigError } from '../config.js';
import { IncompatibleDataDirectoryError } from '../db/embedded.js';
import { KeyMismatchError } from '../db/keys.js';
import { COMMANDS, type Command, describeFailure, type Io } from './commands.js';
import { openDatabase } from './database.js';

export interface CliIo extends Io {
  env: NodeJS.ProcessEnv;
}

const COMMON = {
  'data-dir': { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};

function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: release-desk <command> [options]     (from a checkout: npm run cli -- <command> [options])',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  --data-dir <dir>  the data directory (default: RELEASE_DESK_DATA_DIR, else ./data); with',
    '                    DATABASE_URL set and no --data-dir, that PostgreSQL is used',
    '  -h, --help        help for a command',
    '',
    'First run: release-desk practice create --name "…" --state CA --time-zone America/Los_Angeles',
    '           release-desk admin create --email you@example.org --name "Your Name"',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [
    `Usage: release-desk ${command.usage} [--data-dir <dir>]`,
    '',
    command.summary,
    ...(command.details ? ['', ...command.details] : []),
  ].join('\n');
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const words: string[] = [];
  let i = 0;
  while (i < argv.length && words.length < 2 && !argv[i]!.startsWith('-')) words.push(argv[i++]!);
  let name = words.join(' ');
  let rest = argv.slice(i);
  // A one-word command with a file after it: `backup <file>`, `restore <file>`.
  if (!COMMANDS[name] && words.length === 2 && COMMANDS[words[0]!]?.positional) {
    name = words[0]!;
    rest = argv.slice(1);
  }
  const command = COMMANDS[name];
  if (!command) {
    if (words.length === 0 && (rest.length === 0 || rest.includes('--help') || rest.includes('-h'))) {
      io.out(generalHelp());
      return rest.length === 0 ? 2 : 0;
    }
    io.err(`release-desk: unknown command "${name || rest[0]}".\n\n${generalHelp()}`);
    return 2;
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...COMMON, ...command.options },
      strict: true,
      allowPositionals: command.positional !== undefined,
    });
    values = parsed.values;
    if (command.positional) {
      if (parsed.positionals.length > 1)
        throw new Error(`one ${command.positional} only (got: ${parsed.positionals.join(' ')})`);
      values[command.positional] = parsed.positionals[0];
    }
  } catch (err) {
    io.err(`release-desk ${name}: ${(err as Error).message}\n\n${commandHelp(command)}`);
    return 2;
  }
  if (values.help) {
    io.out(commandHelp(command));
    return 0;
  }
  let input: unknown;
  try {
    input = command.parse(values);
  } catch (err) {
    const { message, code } = describeFailure(err);
    io.err(`release-desk ${name}: ${message}\n\n${commandHelp(command)}`);
    return code;
  }
  const dataDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined;
  let overrides: Partial<Config> = {};
  if (command.prepare) {
    try {
      const prepared = await command.prepare(input, { env: io.env, dataDir, io });
      input = prepared.input;
      overrides = prepared.overrides ?? {};
    } catch (err) {
      const { message, code } = describeFailure(err);
      io.err(`release-desk ${name}: ${message}`);
      return code;
    }
  }
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(io.env, dataDir, (m) => io.err(m), overrides);
  } catch (err) {
    const known =
      err instanceof ConfigError ||
      err instanceof IncompatibleDataDirectoryError ||
      err instanceof KeyMismatchError;
    io.err(`release-desk: cannot open the database.\n${known ? (err as Error).message : String(err)}`);
    return 1;
  }
  try {
    io.err(`Using ${opened.where}.`);
    return await command.run(opened.running.services, input, io);
  } catch (err) {
    const { message, code } = describeFailure(err);
    io.err(`release-desk ${name}: ${message}`);
    return code;
  } finally {
    await opened.running.close();
  }
}

function processIo(): CliIo {
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2));
}
