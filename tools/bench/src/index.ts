/**
 * The benchmark harness every package plugs into.
 *
 * A package declares its benchmarks in `packages/<name>/bench/*.bench.ts`, each exporting
 * `bench` made with {@link defineBench}. `pnpm bench` runs them all, `pnpm bench qr` those of
 * one package (or one bench by its name). Each bench returns tables; the harness prints them
 * and writes `bench-results/<bench>.json` (and a timestamped copy) with the machine's
 * description so figures can be compared run to run.
 */
import { cpus, totalmem, arch, platform, release, loadavg } from 'node:os';

export type Cell = string | number | boolean | null;

export interface BenchTable {
  /** Title printed above the table. */
  title: string;
  /** Rows of the table; the keys of the first row are the columns. */
  rows: Record<string, Cell>[];
}

export interface BenchContext {
  /** True when `--quick` was given: use smaller sets so the run finishes fast. */
  quick: boolean;
  /** Extra arguments after the bench name. */
  args: string[];
  /** Report progress (printed on stderr). */
  progress(message: string): void;
}

export interface BenchResult {
  tables: BenchTable[];
  /** Any further figures to keep in the JSON. */
  data?: Record<string, unknown>;
  /** Notes printed under the tables (skipped parts, data sources). */
  notes?: string[];
}

export interface BenchDefinition {
  /** Unique bench name, e.g. `qr-decode`. */
  name: string;
  /** Package the bench belongs to, e.g. `qr`. */
  pkg: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export function defineBench(def: BenchDefinition): BenchDefinition {
  return def;
}

/** The 1, 5 and 15-minute load averages, e.g. `"6.2 7.9 8.1"` (to print beside CPU and wall figures). */
export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
}

/** Description of this machine, stored with every result. */
export function describeMachine(): Record<string, unknown> {
  const c = cpus();
  return {
    cpuModel: c[0]?.model ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    date: new Date().toISOString(),
  };
}

function fmt(v: Cell): string {
  if (v === null) return '–';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
  }
  return String(v);
}

/** Whether `name` names bench `b` itself: its name or `package/name`. */
const isNamed = (b: BenchDefinition, name: string) => name === b.name || name === `${b.pkg}/${b.name}`;

/**
 * Whether `name` (a word of `pnpm bench`) selects bench `b` among `all`: the bench by its own name
 * (`pnpm bench idcard` is the `idcard` bench, not also `idcard-pairs` and `idcard-ocr`), else every
 * bench of a package of that name that has no bench of the same name (`pnpm bench adapter-postgres`).
 */
export function selects(all: readonly BenchDefinition[], b: BenchDefinition, name: string): boolean {
  return isNamed(b, name) || (name === b.pkg && !all.some((other) => isNamed(other, name)));
}

/** Render a table as GitHub-flavoured Markdown (also readable in a terminal). */
export function formatTable(table: BenchTable): string {
  const first = table.rows[0];
  if (!first) return `### ${table.title}\n(no rows)\n`;
  // Columns in order of first appearance over all rows: a row may carry a column the first lacks.
  const cols = [...new Set(table.rows.flatMap((r) => Object.keys(r)))];
  const cells = table.rows.map((r) => cols.map((c) => fmt(r[c] ?? null)));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `### ${table.title}`,
    line(cols),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
    '',
  ].join('\n');
}

/** Percentile (0–100) of a list of numbers, by linear interpolation; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (idx - lo);
}

/** Process CPU (user + system, all threads) since `since` (a `process.cpuUsage()`), in ms. */
export function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

/** Time an async function in milliseconds. */
export async function timeMs<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Throughput and latency of {@link measureOps}. */
export interface OpsMeasurement {
  /** Operations per second over the whole run (wall time). */
  perSec: number;
  /** Median latency (ms). */
  p50: number;
  /** 99th-percentile latency (ms). */
  p99: number;
}

/**
 * Run `op(0)` … `op(n - 1)` with `concurrency` of them in flight and time each.
 * @param n - number of operations
 * @param concurrency - operations in flight at once (1 = sequential awaits)
 * @param op - the operation, given its index
 */
export async function measureOps(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<unknown>,
): Promise<OpsMeasurement> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const s = performance.now();
        await op(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  const total = (performance.now() - t0) / 1000;
  return { perSec: Math.round(n / total), p50: percentile(lat, 50), p99: percentile(lat, 99) };
}
