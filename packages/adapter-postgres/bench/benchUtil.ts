import { loadavg } from 'node:os';

/** A table row of a bench. */
export type Row = Record<string, string | number | boolean | null>;
/** The 1/5/15-minute load averages, for beside wall-clock figures. */
export const loadAverages = (): string =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
/** Round to 3 decimals / 1 decimal. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
export const round1 = (x: number): number => Math.round(x * 10) / 10;
