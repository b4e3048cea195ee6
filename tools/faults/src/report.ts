import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@smart-citizen/test-kit';

/** One row of the fault report. */
export interface FaultRow {
  /** What was injected. */
  fault: string;
  /** How many times. */
  injected: number;
  /** What came through intact. */
  survived: string;
  /** What was lost (the goal is 0). */
  lost: number;
  /** Longest time from the fault (or the server's restart) to normal service, ms. */
  recoveryMs: number | undefined;
}

const dir = join(repoRoot, 'bench-results');
const rowsFile = join(dir, 'faults.jsonl');

/** Adds a row to this run's report (`bench-results/faults.jsonl`, printed at the end). */
export function recordFault(row: FaultRow): void {
  mkdirSync(dir, { recursive: true });
  appendFileSync(rowsFile, `${JSON.stringify(row)}\n`);
}

/** The report as a Markdown table. */
export function faultTable(rows: FaultRow[]): string {
  const lines = [
    '| fault injected | count | survived | lost | recovery |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.injected.toLocaleString('en')} | ${r.survived} | ${r.lost} | ${
          r.recoveryMs === undefined ? '—' : `${(r.recoveryMs / 1000).toFixed(1)} s`
        } |`,
    ),
  ];
  return lines.join('\n');
}

/** vitest global setup: start an empty report; at the end print it and write `bench-results/faults.json`. */
export default function setup(): () => void {
  rmSync(rowsFile, { force: true });
  return () => {
    if (!existsSync(rowsFile)) return;
    const rows = readFileSync(rowsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as FaultRow);
    const load = loadavg().map((x) => x.toFixed(1));
    writeFileSync(
      join(dir, 'faults.json'),
      `${JSON.stringify({ date: new Date().toISOString(), loadavg: load, rows }, null, 2)}\n`,
    );
    console.log(`\nFault report (load average ${load.join(' ')}):\n${faultTable(rows)}\n`);
  };
}
