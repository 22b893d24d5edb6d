// What a `release-desk` command is, apart from the command list (commands.ts), so a command in its
// own file (keys.ts) can be typed without importing the list that imports it.
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../config.js';
import type { Services } from '../context.js';

export class UsageError extends Error {}

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** The environment (keys rotate finds the current key's file through it). */
  env?: NodeJS.ProcessEnv;
}

type Values = Record<string, string | boolean | undefined>;

export interface Command {
  usage: string;
  summary: string;
  /** More lines for `<command> --help`. */
  details?: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  /** A word after the command, given to `parse` as this value (`backup <file>`). */
  positional?: string;
  /** Checks the options before the database is opened (UsageError on bad input). */
  parse(values: Values): unknown;
  /**
   * Work before the database is opened (restore checks the key and the whole file): may replace
   * the input and add to the configuration the database is opened with.
   */
  prepare?(
    input: unknown,
    ctx: { env: NodeJS.ProcessEnv; dataDir: string | undefined; io: Io },
  ): Promise<{ input: unknown; overrides?: Partial<Config> }>;
  run(services: Services, input: unknown, io: Io): Promise<number>;
}
