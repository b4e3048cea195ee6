import { describe, expect, it } from 'vitest';
import { stratifiedHalves } from './dedupe-job.bench.js';

describe('stratifiedHalves', () => {
  it('alternates halves down the people ranked by photos, so the two most-photographed people are apart', () => {
    const labels = [...Array(8).fill('a'), ...Array(8).fill('b'), ...Array(7).fill('c'), ...Array(2).fill('d')];
    const halves = stratifiedHalves(labels);
    expect(halves.size).toBe(4);
    expect(halves.get('a')).not.toBe(halves.get('b'));
    expect(halves.get('c')).toBe('tune');
    expect(halves.get('d')).toBe('report');
    expect(stratifiedHalves([...labels].reverse())).toEqual(halves);
  });
});
