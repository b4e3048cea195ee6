import { describe, expect, it } from 'vitest';
import type { RidgeFields } from './fields.js';
import { findMinutiae } from './minutiae.js';

const SIZE = 72;

/** Uniform fields (certain orientation, good contrast) so only the skeleton decides. */
function flatFields(): RidgeFields {
  const hw = SIZE >> 1;
  const hn = hw * hw;
  return {
    width: SIZE,
    height: SIZE,
    hw,
    hh: hw,
    norm: new Float32Array(SIZE * SIZE),
    cos2: new Float32Array(hn).fill(1),
    sin2: new Float32Array(hn),
    coherence: new Float32Array(hn).fill(0.9),
    spread: new Float32Array(hn).fill(40),
  };
}

function skeletonOf(points: [number, number][]): Uint8Array {
  const s = new Uint8Array(SIZE * SIZE);
  for (const [x, y] of points) s[y * SIZE + x] = 1;
  return s;
}

function line(x0: number, y0: number, dx: number, dy: number, n: number): [number, number][] {
  return Array.from({ length: n }, (_, k) => [x0 + k * dx, y0 + k * dy] as [number, number]);
}

describe('findMinutiae', () => {
  it('keeps a bifurcation whose junction pixel has two diagonally touching branches (N and E)', () => {
    // Junction at (36, 36): a ridge comes down from the top to (36, 35), steps diagonally to
    // (37, 36) and runs right; a branch leaves to the lower left. N and E of the junction touch
    // each other diagonally, yet they are two ridges.
    const skel = skeletonOf([
      ...line(36, 0, 0, 1, 36),
      [36, 36],
      ...line(37, 36, 1, 0, SIZE - 37),
      ...line(35, 37, -1, 1, 35),
    ]);
    const mask = new Uint8Array(SIZE * SIZE).fill(1);
    const found = findMinutiae(skel, flatFields(), mask);
    const bif = found.filter((m) => m.type === 'bifurcation');
    expect(bif).toHaveLength(1);
    expect(Math.hypot((bif[0]?.x ?? 0) - 36, (bif[0]?.y ?? 0) - 36)).toBeLessThan(1.5);
  });

  it('still treats two 4-adjacent pixels next to a junction as one ridge', () => {
    // A T whose stem joins the bar with a two-pixel-wide step: no extra branch, one bifurcation.
    const skel = skeletonOf([...line(4, 36, 1, 0, SIZE - 8), ...line(36, 37, 0, 1, 30)]);
    const mask = new Uint8Array(SIZE * SIZE).fill(1);
    const found = findMinutiae(skel, flatFields(), mask);
    expect(found.filter((m) => m.type === 'bifurcation')).toHaveLength(1);
  });
});
