import type { Issue } from '@smart-citizen/core';

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

/** Print `value` as one JSON line. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** One issue as an indented text line: severity, code, the path when there is one, message. */
export function describeIssue(i: Issue): string {
  return `  ${i.severity.padEnd(7)} ${i.code}${i.path ? ` (${i.path})` : ''}: ${i.message}`;
}
