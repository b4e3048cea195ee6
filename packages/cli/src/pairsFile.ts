import { dirname, resolve } from 'node:path';
import { type CliIO, printJson } from './command.js';
import { readBytes } from './files.js';

/** A file that could not be loaded, kept as data so one bad line does not stop a pairs run. */
export interface LoadFailure {
  error: { code: string; message: string };
}

/**
 * Loads each key once: later calls with the same key share the first promise, and a thrown error
 * becomes a {@link LoadFailure} (its `code` when it has one, otherwise `cli/internal`).
 */
export function loadOnce<T>(): (key: string, load: () => Promise<T>) => Promise<T | LoadFailure> {
  const cache = new Map<string, Promise<T | LoadFailure>>();
  return (key, load) => {
    let p = cache.get(key);
    if (!p) {
      p = load().catch((err: unknown) => ({
        error: {
          code: (err as { code?: string }).code ?? 'cli/internal',
          message: err instanceof Error ? err.message : String(err),
        },
      }));
      cache.set(key, p);
    }
    return p;
  };
}

/** What one compared line prints: its JSON fields, its text after the two names, and whether it counts as a failure. */
export interface PairOutcome {
  json: Record<string, unknown>;
  text: string;
  failed: boolean;
}

export interface PairsFileOptions<T> {
  /**
   * The pairs file as named on the command line (relative to the working directory): one `a<TAB>b`
   * pair per line, paths relative to the file's folder; blank lines and `#` comments are skipped.
   */
  file: string;
  io: CliIO;
  json: boolean;
  /** JSON keys for the two names of a line, e.g. `['a', 'b']` or `['probe', 'reference']`. */
  keys: readonly [string, string];
  /** Loads the first (`0`) or second (`1`) file of a line, by its path resolved against the pairs file's folder. */
  load(path: string, side: 0 | 1): Promise<T | LoadFailure>;
  /** Compares two loaded files; `startedAt` is `performance.now()` before they were loaded. */
  compare(a: T, b: T, startedAt: number): PairOutcome;
}

/**
 * Runs a tab-separated pairs file in one process, printing one JSON line (or one text line) per
 * pair; malformed lines and files that fail to load are reported on their line and counted.
 * @returns the exit code: 1 when any line failed, else 0
 */
export async function runPairsFile<T>(options: PairsFileOptions<T>): Promise<number> {
  const { io, json, keys } = options;
  const file = resolve(io.cwd, options.file);
  const text = new TextDecoder().decode(await readBytes(file));
  let failures = 0;
  let lineNo = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [a, b] = line.split('\t').map((s) => s.trim());
    if (!a || !b) {
      failures++;
      const error = { code: 'cli/usage', message: `line ${lineNo}: expected "${keys[0]}<TAB>${keys[1]}"` };
      if (json) printJson(io, { line: lineNo, ok: false, error });
      else io.stderr(`${error.message}\n`);
      continue;
    }
    const t0 = performance.now();
    const la = await options.load(resolve(dirname(file), a), 0);
    const lb = await options.load(resolve(dirname(file), b), 1);
    const names = { [keys[0]]: a, [keys[1]]: b };
    if (isFailure(la) || isFailure(lb)) {
      failures++;
      const error = isFailure(la) ? la.error : (lb as LoadFailure).error;
      if (json) printJson(io, { line: lineNo, ...names, ok: false, error });
      else io.stdout(`${a}\t${b}\terror ${error.code}\n`);
      continue;
    }
    const r = options.compare(la, lb, t0);
    if (r.failed) failures++;
    if (json) printJson(io, { line: lineNo, ...names, ...r.json });
    else io.stdout(`${a}\t${b}\t${r.text}\n`);
  }
  return failures > 0 ? 1 : 0;
}

function isFailure(value: unknown): value is LoadFailure {
  return typeof value === 'object' && value !== null && 'error' in value;
}
