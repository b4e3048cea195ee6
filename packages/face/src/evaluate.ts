/** Verification accuracy from genuine and impostor scores (higher score = more similar). */
export interface ScoreEvaluation {
  genuine: number;
  impostor: number;
  /** Equal error rate (mean of FAR and FRR where they cross). */
  eer: number;
  /** Threshold at the EER. */
  eerThreshold: number;
  /** True accept rate at the given false accept rates, with the threshold that reaches it. */
  tarAtFar: { far: number; tar: number; threshold: number }[];
}

/**
 * Evaluate verification scores: EER and TAR at fixed FARs. A pair matches when its score is
 * at or above the threshold; thresholds are searched over every observed score.
 * @param genuine - Scores of same-identity pairs.
 * @param impostor - Scores of different-identity pairs.
 * @param fars - False accept rates to report TAR at. @default [1e-2, 1e-3]
 * @returns The evaluation.
 */
export function evaluateScores(
  genuine: readonly number[],
  impostor: readonly number[],
  fars: readonly number[] = [1e-2, 1e-3],
): ScoreEvaluation {
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError('need genuine and impostor scores');
  const g = [...genuine].sort((a, b) => a - b);
  const im = [...impostor].sort((a, b) => a - b);
  const countBelow = (arr: number[], t: number) => {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((arr[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const frr = (t: number) => countBelow(g, t) / g.length;
  const far = (t: number) => 1 - countBelow(im, t) / im.length;
  const candidates = [...new Set([...g, ...im, Number.POSITIVE_INFINITY])].sort((a, b) => a - b);
  let best = { gap: Number.POSITIVE_INFINITY, eer: 1, t: 0 };
  for (const t of candidates) {
    const a = far(t);
    const r = frr(t);
    const gap = Math.abs(a - r);
    if (gap < best.gap || (gap === best.gap && (a + r) / 2 < best.eer)) best = { gap, eer: (a + r) / 2, t };
  }
  const tarAtFar = fars.map((target) => {
    // Lowest threshold whose FAR is within the target.
    let chosen = Number.POSITIVE_INFINITY;
    for (const t of candidates) {
      if (far(t) <= target) {
        chosen = t;
        break;
      }
    }
    return { far: target, tar: 1 - frr(chosen), threshold: chosen };
  });
  return { genuine: g.length, impostor: im.length, eer: best.eer, eerThreshold: best.t, tarAtFar };
}

/**
 * All genuine (same-label) and impostor (different-label) index pairs of a labelled set.
 * @param labels - One label per item.
 * @returns Index pairs `[i, j]` with i < j.
 */
export function allPairs(labels: readonly string[]): { genuine: [number, number][]; impostor: [number, number][] } {
  const genuine: [number, number][] = [];
  const impostor: [number, number][] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      (labels[i] === labels[j] ? genuine : impostor).push([i, j]);
    }
  }
  return { genuine, impostor };
}
