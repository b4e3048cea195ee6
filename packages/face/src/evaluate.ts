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

/** One scored comparison between two labelled items (`labels` are the identities of both sides). */
export interface LabelledScore {
  labels: readonly [string, string];
  score: number;
}

/** Held-out error rates of a threshold rule, pooled over the folds of {@link crossValidateByIdentity}. */
export interface CrossValidation {
  /** How the threshold of each fold was chosen: `far` (lowest threshold with FAR ≤ the target) or `eer`. */
  rule: 'far' | 'eer';
  /** The FAR target of the `far` rule. */
  targetFar?: number;
  folds: number;
  /** Smallest and largest threshold chosen over the folds. */
  thresholdRange: [number, number];
  /** False accepts / impostor trials on the held-out pairs, summed over the folds. */
  falseAccepts: number;
  impostorTrials: number;
  /** False rejects / genuine trials on the held-out pairs, summed over the folds. */
  falseRejects: number;
  genuineTrials: number;
  far: number;
  frr: number;
}

/**
 * Leave-one-identity-out cross-validation of a threshold: for each identity, the threshold is
 * chosen (at a FAR target and at the EER) on the pairs that do not involve it, then applied to
 * the pairs that do. Counts are pooled over the folds; an impostor pair between two identities
 * is held out twice (once in each identity's fold). Folds without a held-out genuine pair still
 * contribute their impostor pairs.
 * @param scores - Scored pairs; a pair is genuine when both labels are equal.
 * @param targetFar - FAR target of the `far` rule. @default 1e-3
 * @returns The `far` rule and the `eer` rule results.
 * @throws RangeError when fewer than three identities are present.
 */
export function crossValidateByIdentity(
  scores: readonly LabelledScore[],
  targetFar = 1e-3,
): { far: CrossValidation; eer: CrossValidation } {
  const ids = [...new Set(scores.flatMap((s) => s.labels))].sort();
  if (ids.length < 3) throw new RangeError('need at least three identities');
  const init = (rule: 'far' | 'eer'): CrossValidation => ({
    rule,
    ...(rule === 'far' ? { targetFar } : {}),
    folds: 0,
    thresholdRange: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
    falseAccepts: 0,
    impostorTrials: 0,
    falseRejects: 0,
    genuineTrials: 0,
    far: 0,
    frr: 0,
  });
  const out = { far: init('far'), eer: init('eer') };
  for (const id of ids) {
    const calG: number[] = [];
    const calI: number[] = [];
    const held: LabelledScore[] = [];
    for (const s of scores) {
      if (s.labels[0] === id || s.labels[1] === id) held.push(s);
      else (s.labels[0] === s.labels[1] ? calG : calI).push(s.score);
    }
    if (held.length === 0 || calG.length === 0 || calI.length === 0) continue;
    const e = evaluateScores(calG, calI, [targetFar]);
    const thresholds = { far: e.tarAtFar[0]?.threshold ?? Number.POSITIVE_INFINITY, eer: e.eerThreshold };
    for (const rule of ['far', 'eer'] as const) {
      const t = thresholds[rule];
      const cv = out[rule];
      cv.folds++;
      cv.thresholdRange = [Math.min(cv.thresholdRange[0], t), Math.max(cv.thresholdRange[1], t)];
      for (const s of held) {
        if (s.labels[0] === s.labels[1]) {
          cv.genuineTrials++;
          if (s.score < t) cv.falseRejects++;
        } else {
          cv.impostorTrials++;
          if (s.score >= t) cv.falseAccepts++;
        }
      }
    }
  }
  for (const cv of [out.far, out.eer]) {
    cv.far = cv.impostorTrials ? cv.falseAccepts / cv.impostorTrials : 0;
    cv.frr = cv.genuineTrials ? cv.falseRejects / cv.genuineTrials : 0;
  }
  return out;
}
