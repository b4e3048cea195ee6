import type { CliIO } from '../command.js';

/** A {@link CliIO} that keeps what a command prints, for tests. */
export function captureIO(cwd: string = process.cwd()): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    cwd,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
  };
  return io;
}
