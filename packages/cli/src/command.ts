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

/** A flag's kind: `'string'` takes a value, `'boolean'` does not; the object form adds a one-letter alias. */
export type OptionSpec = 'string' | 'boolean' | { type: 'string' | 'boolean'; short: string };

/** A command's flags by long name, besides `--json`, which every command takes. */
export type OptionSpecs = Record<string, OptionSpec>;

type KindOf<S extends OptionSpec> = S extends { type: infer K } ? K : S;

/** Parsed flags: a string or `true` when given, absent when not; `json` is always a boolean. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]?: KindOf<O[K]> extends 'string' ? string : boolean;
} & { json: boolean };

/** A command line parsed by {@link parseOptions}. */
export interface ParsedOptions<O extends OptionSpecs> {
  values: OptionValues<O>;
  positionals: string[];
}

/**
 * Parse `argv` strictly against `options` plus `--json` (an unknown flag or a missing value is a
 * {@link CliUsageError}).
 * @param allowPositionals - false: a positional argument is a usage error too
 */
export function parseOptions<const O extends OptionSpecs>(
  argv: string[],
  options: O,
  allowPositionals = true,
): ParsedOptions<O> {
  const config: NonNullable<ParseArgsConfig['options']> = { json: { type: 'boolean', default: false } };
  for (const [name, spec] of Object.entries(options)) config[name] = typeof spec === 'string' ? { type: spec } : spec;
  const { values, positionals } = parseCommandArgs({ args: argv, options: config, allowPositionals, strict: true });
  return { values: values as OptionValues<O>, positionals };
}

/** What {@link defineCommand} makes a {@link Command} of. */
export interface CommandSpec<O extends OptionSpecs> extends Omit<Command, 'run'> {
  /** The command's flags besides `--json`. */
  options: O;
  /** Runs the command on its parsed flags and positional arguments; resolves to the exit code. */
  run(args: ParsedOptions<O>, io: CliIO): Promise<number>;
}

/** A {@link Command} whose arguments are parsed by {@link parseOptions} before it runs. */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): Command {
  const { options, run, ...about } = spec;
  return { ...about, run: async (argv, io) => run(parseOptions(argv, options), io) };
}

/** Print `value` as one JSON line. */
export function printJson(io: CliIO, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** One issue as an indented text line: severity, code, the path when there is one, message. */
export function describeIssue(i: Issue): string {
  return `  ${i.severity.padEnd(7)} ${i.code}${i.path ? ` (${i.path})` : ''}: ${i.message}`;
}
