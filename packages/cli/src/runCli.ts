import { isSmartCitizenError } from '@smart-citizen/core';
import { type CliIO, CliUsageError } from './command.js';
import { commands } from './commands/index.js';
import { version } from './version.js';

const defaultIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    `smart-citizen ${version} — Vietnamese e-citizen identification`,
    '',
    'Usage: smart-citizen <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options on every command: --json (JSON on stdout), --help',
    'Global: --version, --help',
    '',
  ].join('\n');
}

/**
 * Run the CLI with `argv` (without the node and script paths); resolves to the exit code.
 * Exit codes: 0 ok, 1 the input was read but is not valid (e.g. issues of severity error),
 * 2 bad usage or unreadable input.
 */
export async function runCli(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`smart-citizen: unknown command '${name}'. Run 'smart-citizen --help'.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    const json = rest.includes('--json');
    const code = isSmartCitizenError(err) ? err.code : 'cli/internal';
    const message = err instanceof Error ? err.message : String(err);
    if (json) io.stdout(`${JSON.stringify({ ok: false, error: { code, message } })}\n`);
    io.stderr(`smart-citizen ${name}: ${message}\n`);
    if (err instanceof CliUsageError) io.stderr(`${command.usage}\n`);
    return isSmartCitizenError(err) ? 2 : 3;
  }
}
