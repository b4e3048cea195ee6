export { runCli } from './runCli.js';
export { CliUsageError, printJson } from './command.js';
export type { CliIO, Command } from './command.js';
export { commands } from './commands/index.js';
export { version } from './version.js';
