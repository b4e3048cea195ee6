import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, onTestFinished } from 'vitest';
import { runCli } from '../runCli.js';
import { captureIO } from './captureIO.js';

/** What one in-process run of the CLI returned and printed. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `smart-citizen <argv>` in this process, with `cwd` as the working directory, and keeps what
 * it prints on stdout and stderr.
 */
export async function runCaptured(argv: string[], cwd: string = process.cwd()): Promise<CliRun> {
  const io = captureIO(cwd);
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

/** stdout of a `--json` run that prints one JSON object per line, parsed. */
export function jsonLines(out: string): ReturnType<typeof JSON.parse>[] {
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/**
 * A fresh temporary folder holding `files` (name → text or bytes). It is removed when the test
 * that made it ends, or after the file's tests when made outside a test.
 */
export function tempDir(prefix: string, files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove);
  }
  return dir;
}

/**
 * Runs each `argv` of `cases` with `--json` through `run` and expects exit code 2 and a JSON error
 * with the case's code.
 */
export async function expectTypedErrors(
  run: (argv: string[]) => Promise<CliRun>,
  cases: [argv: string[], code: string][],
): Promise<void> {
  for (const [argv, code] of cases) {
    const r = await run([...argv, '--json']);
    expect(r.code, argv.join(' ')).toBe(2);
    expect(JSON.parse(r.out).error.code, argv.join(' ')).toBe(code);
  }
}

/** Expects a run to have printed nothing on stderr and exited with `code`; returns its stdout parsed as JSON. */
export function expectJson(r: CliRun, code = 0): ReturnType<typeof JSON.parse> {
  expect(r.err, 'stderr').toBe('');
  expect(r.code, r.out).toBe(code);
  return JSON.parse(r.out);
}
