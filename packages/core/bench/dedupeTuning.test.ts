import { describe, expect, it } from 'vitest';
import { pairBarFromTail, strangerTail, widestWindow } from './dedupeTuning.js';

const cells = (lo: number, oks: string) =>
  [...oks].map((c, i) => ({ corroboratedZ: Math.round((lo + 0.025 * i) * 1000) / 1000, ok: c === '1' }));

describe('widestWindow', () => {
  it('picks the middle of the longest run of feasible bars, not its loose edge', () => {
    // 3.0 3.025 … : feasible 3.05–3.075 (2 bars) and 3.125–3.225 (5 bars).
    const w = widestWindow(cells(3, '0011011111000'));
    expect(w).toEqual({ lo: 3.125, hi: 3.225, cells: 5, centre: 3.175 });
  });

  it('takes the lower middle of an even run and the lowest of two equal runs', () => {
    expect(widestWindow(cells(3, '0110110'))).toEqual({ lo: 3.025, hi: 3.05, cells: 2, centre: 3.025 });
    expect(widestWindow(cells(3, '1111'))?.centre).toBe(3.025);
  });

  it('finds no window when no bar is feasible', () => {
    expect(widestWindow(cells(3, '000'))).toBeUndefined();
    expect(widestWindow([])).toBeUndefined();
  });
});

describe('strangerTail and pairBarFromTail', () => {
  // An exponential tail: count(z ≥ t) = 10,000 · e^{-4 (t − 3)} (the k-th highest score at 3 + ln(10,000 / (k + 1)) / 4).
  const zs = Array.from({ length: 10_000 }, (_, k) => 3 + Math.log(10_000 / (k + 1)) / 4);

  it('counts below z1 and extrapolates the exponential above it', () => {
    const tail = strangerTail(zs, 3.5, 4);
    expect(tail.lambda).toBeCloseTo(4, 1);
    expect(tail.at(3.25)).toBe(zs.filter((z) => z >= 3.25).length);
    // 10,000 · e^{-4 · 2.5} ≈ 0.45
    expect(tail.at(5.5)).toBeCloseTo(10_000 * Math.exp(-10), 1);
  });

  it('sets the pair bar where the gallery expects at most the given stranger pairs, higher for a heavier tail', () => {
    const bar = pairBarFromTail(strangerTail(zs, 3.5, 4), 0.1);
    // 10,000 · e^{-4 (z − 3)} ≤ 0.1 ⇔ z ≥ 3 + ln(10⁵) / 4 ≈ 5.878 → 5.9 on a 0.05 grid
    expect(bar).toBeCloseTo(5.9, 5);
    const tenTimes = zs.flatMap((z) => Array(10).fill(z) as number[]);
    expect(pairBarFromTail(strangerTail(tenTimes, 3.5, 4), 0.1)).toBeGreaterThan(bar + 0.5);
  });

  it('keeps a finite, falling fit for a thin tail', () => {
    const tail = strangerTail([3.6, 3.7], 3.5, 4);
    expect(Number.isFinite(tail.lambda) && tail.lambda > 0).toBe(true);
    expect(pairBarFromTail(tail, 0.1)).toBeGreaterThan(4);
  });
});
