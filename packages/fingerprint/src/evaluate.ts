/** Verification accuracy in the FVC manner (higher score = more similar). */
export interface FvcEvaluation {
  genuine: number;
  impostor: number;
  /** Equal error rate, 0–1. */
  eer: number;
  /** Lowest false non-match rate with a false match rate ≤ 1%, 0–1. */
  fmr100: number;
  /** Lowest false non-match rate with a false match rate ≤ 0.1%, 0–1. */
  fmr1000: number;
  /** Lowest false non-match rate with no false match, 0–1. */
  zeroFmr: number;
  /** Threshold at the equal error rate. */
  eerThreshold: number;
}

function sortedCopy(v: readonly number[]): Float64Array {
  return Float64Array.from(v).sort();
}

/** How many values of an ascending array are below `t` (binary search). @internal */
export function countBelow(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * EER, FMR100, FMR1000 and ZeroFMR from genuine and impostor scores, as FVC reports them: a
 * pair matches when its score is at or above the threshold; FMR(t) is the share of impostor
 * scores ≥ t, FNMR(t) the share of genuine scores < t. The EER is taken where |FMR − FNMR| is
 * smallest over all observed thresholds, as the mean of the two there.
 * @param genuine - Scores of same-finger pairs.
 * @param impostor - Scores of different-finger pairs.
 * @returns The evaluation.
 * @throws RangeError when either list is empty.
 */
export function evaluateFvc(genuine: readonly number[], impostor: readonly number[]): FvcEvaluation {
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError('need genuine and impostor scores');
  const g = sortedCopy(genuine);
  const im = sortedCopy(impostor);
  const fnmr = (t: number) => countBelow(g, t) / g.length;
  const fmr = (t: number) => 1 - countBelow(im, t) / im.length;
  const thresholds = [...new Set([...g, ...im, Number.POSITIVE_INFINITY])].sort((a, b) => a - b);
  let eer = 1;
  let eerThreshold = 0;
  let gap = Number.POSITIVE_INFINITY;
  const atFmr = (limit: number) => {
    for (const t of thresholds) if (fmr(t) <= limit) return fnmr(t);
    return 1;
  };
  for (const t of thresholds) {
    const a = fmr(t);
    const r = fnmr(t);
    const d = Math.abs(a - r);
    if (d < gap || (d === gap && (a + r) / 2 < eer)) {
      gap = d;
      eer = (a + r) / 2;
      eerThreshold = t;
    }
  }
  return {
    genuine: g.length,
    impostor: im.length,
    eer,
    fmr100: atFmr(0.01),
    fmr1000: atFmr(0.001),
    zeroFmr: atFmr(0),
    eerThreshold,
  };
}
