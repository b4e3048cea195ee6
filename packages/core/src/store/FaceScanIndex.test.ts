import { describe, expect, it } from 'vitest';
import { createRng } from '../ports/random.js';
import { FaceScanIndex } from './FaceScanIndex.js';

const DIM = 64;
function vec(rng: () => number): Float32Array {
  return Float32Array.from({ length: DIM }, () => rng() * 2 - 1);
}

describe('FaceScanIndex sign-hash prefilter', () => {
  it('finds what the exact scan finds for noisy captures of enrolled faces, and forgets removed ones', () => {
    const rng = createRng(7).next;
    const exact = new FaceScanIndex(DIM);
    const hashed = new FaceScanIndex(DIM, 16, { bits: 128, candidates: 200 });
    const stored: Float32Array[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = vec(rng);
      stored.push(v);
      exact.add(`t${i}`, `p${i}`, v);
      hashed.add(`t${i}`, `p${i}`, v);
    }
    let same = 0;
    for (let q = 0; q < 50; q++) {
      const base = stored[(q * 97) % stored.length] as Float32Array;
      const probe = base.map((x) => x + 0.4 * (rng() * 2 - 1));
      const a = exact.search(probe, { k: 3 });
      const b = hashed.search(probe, { k: 3 });
      if (a[0]?.templateId === b[0]?.templateId) same++;
      expect(b[0]?.similarity).toBeCloseTo(a[0]?.similarity ?? 0, 5);
    }
    expect(same).toBe(50);
    // Removal moves the last row (and its code) into the hole.
    hashed.remove('t97');
    expect(hashed.search(stored[97] as Float32Array, { k: 1 })[0]?.templateId).not.toBe('t97');
    expect(hashed.search(stored[4999] as Float32Array, { k: 1 })[0]?.templateId).toBe('t4999');
    expect(hashed.size).toBe(4999);
  });

  it('refuses a code length that is not a multiple of 32', () => {
    expect(() => new FaceScanIndex(DIM, 16, { bits: 100 })).toThrow(RangeError);
  });
});
