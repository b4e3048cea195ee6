import { describe, expect, it } from 'vitest';
import { allPairs, crossValidateByIdentity, evaluateScores, type LabelledScore } from './evaluate.js';

describe('evaluateScores', () => {
  it('gives EER 0 and TAR 1 for separable scores', () => {
    const e = evaluateScores([0.8, 0.9, 0.7], [0.1, 0.2, 0.3, 0.4]);
    expect(e.eer).toBe(0);
    expect(e.eerThreshold).toBeGreaterThan(0.4);
    expect(e.eerThreshold).toBeLessThanOrEqual(0.7);
    expect(e.tarAtFar.every((t) => t.tar === 1)).toBe(true);
  });

  it('matches the analytic EER of two overlapping uniform distributions', () => {
    // genuine U(0.3, 1.3), impostor U(0, 1): the EER is where 1 − t = t − 0.3, t = 0.65, EER 0.35.
    const n = 20000;
    const genuine = Array.from({ length: n }, (_, i) => 0.3 + (i + 0.5) / n);
    const impostor = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const e = evaluateScores(genuine, impostor, [0.01]);
    expect(e.eer).toBeCloseTo(0.35, 3);
    expect(e.eerThreshold).toBeCloseTo(0.65, 2);
    // FAR 1% means t = 0.99, TAR = 1 − (0.99 − 0.3) = 0.31.
    expect(e.tarAtFar[0]?.tar).toBeCloseTo(0.31, 2);
  });

  it('reports TAR 0 when no threshold reaches the FAR', () => {
    const e = evaluateScores([0.1], [0.5, 0.6], [0.001]);
    expect(e.eer).toBe(1);
    expect(e.tarAtFar[0]?.tar).toBe(0);
  });

  it('rejects empty inputs', () => {
    expect(() => evaluateScores([], [1])).toThrow(RangeError);
  });
});

describe('allPairs', () => {
  it('splits all pairs into genuine and impostor', () => {
    const { genuine, impostor } = allPairs(['a', 'a', 'b', 'a', 'c']);
    expect(genuine).toEqual([
      [0, 1],
      [0, 3],
      [1, 3],
    ]);
    expect(genuine.length + impostor.length).toBe(10);
  });
});

describe('crossValidateByIdentity', () => {
  // Identities a, b, c match at 0.9; d matches itself at only 0.5; every impostor pair is ≤ 0.3.
  // On all pairs the scores separate (EER 0), but d's genuine pair lies below every threshold
  // chosen without d (0.9), so the held-out figure shows one false reject.
  const ids = ['a', 'b', 'c', 'd'];
  const scores: LabelledScore[] = [];
  for (const [i, x] of ids.entries()) {
    scores.push({ labels: [x, x], score: x === 'd' ? 0.5 : 0.9 });
    for (const y of ids.slice(i + 1)) scores.push({ labels: [x, y], score: 0.1 + 0.04 * i });
  }

  it('reports held-out errors that the in-sample evaluation hides', () => {
    const inSample = evaluateScores(
      scores.filter((s) => s.labels[0] === s.labels[1]).map((s) => s.score),
      scores.filter((s) => s.labels[0] !== s.labels[1]).map((s) => s.score),
    );
    expect(inSample.eer).toBe(0);
    const cv = crossValidateByIdentity(scores);
    for (const r of [cv.far, cv.eer]) {
      expect(r.folds).toBe(4);
      expect(r.genuineTrials).toBe(4);
      expect(r.falseRejects).toBe(1);
      expect(r.frr).toBe(0.25);
      // Six impostor pairs, each held out in the folds of both its identities.
      expect(r.impostorTrials).toBe(12);
      expect(r.falseAccepts).toBe(0);
      expect(r.thresholdRange).toEqual([0.5, 0.9]);
    }
  });

  it('counts false accepts of an impostor pair above the calibrated threshold', () => {
    const withSpoof = [...scores, { labels: ['a', 'b'] as const, score: 0.95 }];
    const cv = crossValidateByIdentity(withSpoof, 0.01);
    // The 0.95 pair involves a and b: in folds c and d it is in the calibration set, so those
    // thresholds rise above it; in folds a and b it is held out and accepted.
    expect(cv.far.falseAccepts).toBe(2);
  });

  it('needs three identities', () => {
    expect(() => crossValidateByIdentity([{ labels: ['a', 'b'], score: 0.1 }])).toThrow(RangeError);
  });
});
