import type { Command } from '../command.js';

/** Every subcommand, in the order `--help` lists them. Each lives in its own file here. */
export const commands: Command[] = [];
