import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Issue } from '@smart-citizen/core';
import { CliUsageError } from './errors.js';

/** Where a command writes: stdout for results, stderr for messages. Injectable for tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Working directory that relative paths resolve against. */
  cwd: string;
}

/** One `smart-citizen <name>` subcommand. */
export interface Command {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Usage text printed by `smart-citizen <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[], io: CliIO): Promise<number>;
}

export { CliUsageError } from './errors.js';

/**
 * A command's flags and positionals, parsed by `node:util` `parseArgs` (strict: an unknown flag or
 * a missing value is refused); bad arguments are a {@link CliUsageError} (usage printed, exit 2).
 * @param config - `parseArgs` config: `args`, `options`, `allowPositionals`
 */
export function parseCommandArgs<const T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : 'bad arguments');
  }
}

/** Print `value` as one JSON line. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** One issue as an indented text line: severity, code, the path when there is one, message. */
export function describeIssue(i: Issue): string {
  return `  ${i.severity.padEnd(7)} ${i.code}${i.path ? ` (${i.path})` : ''}: ${i.message}`;
}
