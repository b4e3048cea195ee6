import { describe, expect, it } from 'vitest';
import { evaluationHalf } from './split.js';

describe('evaluationHalf', () => {
  const names = Array.from({ length: 2000 }, (_, i) => `qrcode-${i % 7}/${i}.png`);

  it('is fixed by the name and the seed, and splits about evenly', () => {
    const halves = names.map((n) => evaluationHalf(n));
    expect(names.map((n) => evaluationHalf(n))).toEqual(halves);
    const report = halves.filter((h) => h === 'report').length;
    expect(report).toBeGreaterThan(900);
    expect(report).toBeLessThan(1100);
  });

  it('another seed draws another split', () => {
    const moved = names.filter((n) => evaluationHalf(n, 16) !== evaluationHalf(n, 17)).length;
    expect(moved).toBeGreaterThan(800);
    expect(moved).toBeLessThan(1200);
  });

  it('does not depend on the other names (adding files moves none)', () => {
    expect(evaluationHalf('zxing-cpp/qrcode-2/13.png')).toBe(evaluationHalf('zxing-cpp/qrcode-2/13.png'));
    expect(['tune', 'report']).toContain(evaluationHalf(''));
  });
});
