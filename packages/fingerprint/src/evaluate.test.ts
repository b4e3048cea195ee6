import { describe, expect, it } from 'vitest';
import { evaluateFvc } from './evaluate.js';

describe('evaluateFvc', () => {
  it('gives zero errors when every genuine score is above every impostor score', () => {
    const e = evaluateFvc([5, 6, 7], [1, 2, 3]);
    expect(e.eer).toBe(0);
    expect(e.zeroFmr).toBe(0);
  });

  it('finds the crossing point and the FNMR at a fixed FMR', () => {
    // At t = 7: FMR 3/10, FNMR 4/10; at t = 6: FMR 4/10, FNMR 3/10 → EER 0.35.
    const genuine = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const impostor = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const e = evaluateFvc(genuine, impostor);
    expect(e.eer).toBeCloseTo(0.35, 5);
    // FMR 0 needs t > 9: genuine 3..9 (7 of 10) are rejected.
    expect(e.zeroFmr).toBeCloseTo(0.7, 5);
    expect(e.fmr100).toBeCloseTo(0.7, 5);
  });

  it('refuses empty lists', () => {
    expect(() => evaluateFvc([], [1])).toThrow(RangeError);
  });
});
