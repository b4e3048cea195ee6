import { type ErrorFactory, SmartCitizenError, errorFactory } from '@smart-citizen/core';

/**
 * Every code of the errors the CLI raises itself (errors of the SDK packages it runs pass through
 * with their own codes). A test scans the CLI's source and fails when a `cli/*` code is missing here.
 */
export const cliErrorCodes = [
  /** Bad command-line arguments: the message and the command's usage are printed, exit code 2. */
  'cli/usage',
  /** A file named on the command line does not exist (reported per file by `qr`). */
  'cli/file-not-found',
  /** A file named on the command line cannot be read. */
  'cli/unreadable-file',
  /** An input file or batch of records cannot be read. */
  'cli/unreadable-input',
  /** A JSON file is not valid JSON. */
  'cli/invalid-json',
  /** An output file cannot be written. */
  'cli/write-failed',
  /** A dedupe checkpoint file is not one. */
  'cli/bad-checkpoint',
  /** Anything else that went wrong (not a `SmartCitizenError`): exit code 3. */
  'cli/internal',
] as const;

/** A code of {@link cliErrorCodes}. */
export type CliErrorCode = (typeof cliErrorCodes)[number];

/** The errors the CLI raises itself: `SmartCitizenError`s whose message names `@smart-citizen/cli`. */
export const cliError: ErrorFactory<CliErrorCode> = errorFactory('cli');

/** Bad command-line input: printed as a message with the usage, exit code 2. */
export class CliUsageError extends SmartCitizenError<'cli/usage'> {
  override readonly name: string = 'CliUsageError';
  constructor(message: string) {
    super('cli/usage', message, { pkg: 'cli' });
  }
}
