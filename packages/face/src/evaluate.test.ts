import { describe, expect, it } from 'vitest';
import { allPairs, evaluateScores } from './evaluate.js';

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
