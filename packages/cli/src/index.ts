export { runCli } from './runCli.js';
export { printJson } from './command.js';
export { CliUsageError, cliErrorCodes } from './errors.js';
export type { CliErrorCode } from './errors.js';
export type { CliIO, Command } from './command.js';
export { commands } from './commands/index.js';
export { version } from './version.js';
