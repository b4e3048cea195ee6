/**
 * How the dedupe-job bench chooses the documented bars without reading the report half (#21):
 * the pair bar from the strangers' tail (no planted labels), the corroborated bar in the middle of
 * the tuning half's feasible window (not at its loose edge).
 */

/** Expected pairs at or above a normalised score, from the job's own pairs (no labels). */
export interface StrangerTail {
  /** Expected pairs at or above `z` in the gallery: counted below `z1`, extrapolated above. */
  at(z: number): number;
  /** Decay of the count per unit of z between `z0` and `z1`. */
  lambda: number;
  /** Pairs at or above `z0` and `z1`. */
  n0: number;
  n1: number;
  z0: number;
  z1: number;
}

/**
 * The tail of the pairs' normalised scores: counted where there are many pairs, an exponential
 * through the counts at `z0` and `z1` beyond. Nearly every pair a gallery holds is two strangers,
 * so the count needs no labels; the extrapolation is conservative where the real tail falls faster
 * than an exponential (a cohort-normalised score's does).
 * @param zs - the normalised score of every pair the job kept
 */
export function strangerTail(zs: readonly number[], z0 = 3.5, z1 = 4): StrangerTail {
  if (!(z1 > z0)) throw new RangeError('z1 must be above z0');
  const sorted = [...zs].sort((a, b) => a - b);
  /** Pairs at or above `z` (binary search over the sorted scores). */
  const counted = (z: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < z) lo = mid + 1;
      else hi = mid;
    }
    return sorted.length - lo;
  };
  const n0 = counted(z0);
  const n1 = counted(z1);
  // At least one pair at each end, so a thin tail still gives a finite, falling fit.
  const lambda = Math.log(Math.max(n0, 2) / Math.max(Math.min(n1, n0 - 1), 1)) / (z1 - z0);
  return {
    at: (z) => (z < z1 ? counted(z) : Math.max(n1, 1) * Math.exp(-lambda * (z - z1))),
    lambda,
    n0,
    n1,
    z0,
    z1,
  };
}

/**
 * The pair bar (`minZ`) from the tail: the lowest multiple of `step` at or above `tail.z1` where
 * the gallery is expected to hold at most `expected` stranger pairs — a pair at the bar joins
 * alone, so it is the bar for a wrong pair with no second check.
 */
export function pairBarFromTail(tail: StrangerTail, expected = 0.1, step = 0.05): number {
  let z = Math.ceil(tail.z1 / step - 1e-9) * step;
  while (tail.at(z) > expected) z += step;
  return Number((Math.round(z / step) * step).toFixed(6));
}

/** One corroborated bar tried on the tuning half: `ok` when it meets the tuning targets. */
export interface WindowCell {
  corroboratedZ: number;
  ok: boolean;
}

/** A run of consecutive bars that all meet the tuning targets. */
export interface FeasibleWindow {
  lo: number;
  hi: number;
  /** Bars in the run. */
  cells: number;
  /** The middle bar of the run (the lower of two middles): as far as the grid allows from both edges. */
  centre: number;
}

/**
 * The longest run of consecutive `ok` bars (cells in rising order; the lowest run on a tie), with
 * its middle. The loosest `ok` bar sits next to a bar that lets a wrong cluster in on the tuning
 * half, and the report half's wrong clusters need not sit where the tuning half's do: the middle
 * keeps the most room on both sides — a missed pair above, a wrong cluster below.
 * @returns undefined when no bar is `ok`
 */
export function widestWindow(cells: readonly WindowCell[]): FeasibleWindow | undefined {
  let best: { start: number; length: number } | undefined;
  let start = -1;
  for (let i = 0; i <= cells.length; i++) {
    if (i < cells.length && (cells[i] as WindowCell).ok) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && (!best || i - start > best.length)) best = { start, length: i - start };
    start = -1;
  }
  if (!best) return undefined;
  const at = (i: number) => (cells[i] as WindowCell).corroboratedZ;
  return {
    lo: at(best.start),
    hi: at(best.start + best.length - 1),
    cells: best.length,
    centre: at(best.start + Math.floor((best.length - 1) / 2)),
  };
}
