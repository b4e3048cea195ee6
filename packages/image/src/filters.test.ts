import { describe, expect, it } from 'vitest';
import { boxBlur, localMean, unsharpMask } from './filters.js';
import type { RasterImage } from './RasterImage.js';

describe('localMean', () => {
  it('is the mean of the window clipped at the borders', () => {
    const w = 37;
    const h = 23;
    const data = new Uint8Array(w * h).map((_, i) => (i * 7919 + 13) % 256);
    const img: RasterImage = { width: w, height: h, channels: 1, data };
    for (const r of [0, 1, 3, 50]) {
      const m = localMean(img, r);
      for (const [x, y] of [
        [0, 0],
        [5, 7],
        [36, 22],
        [18, 0],
      ] as const) {
        let s = 0;
        let n = 0;
        for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
          for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
            s += data[yy * w + xx] ?? 0;
            n++;
          }
        }
        expect(m[y * w + x]).toBeCloseTo(s / n, 3);
      }
    }
  });
});

describe('unsharpMask', () => {
  it('steepens an edge, leaves flat areas and stays within 0–255', () => {
    // A blurred step: 60 … 60, 100, 140, 180 … 180.
    const w = 20;
    const data = new Uint8Array(w * 5);
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < w; x++) data[y * w + x] = x < 9 ? 60 : x === 9 ? 100 : x === 10 ? 140 : 180;
    const img: RasterImage = { width: w, height: 5, channels: 1, data };
    const out = unsharpMask(img, 2, 1);
    // Flat far from the edge: unchanged.
    expect(out.data[2 * w + 2]).toBe(60);
    expect(out.data[2 * w + 17]).toBe(180);
    // Next to the edge the dark side darkens and the light side lightens (over- and undershoot).
    expect(out.data[2 * w + 8]!).toBeLessThan(60);
    expect(out.data[2 * w + 11]!).toBeGreaterThan(180);
    const white: RasterImage = {
      width: 3,
      height: 3,
      channels: 1,
      data: new Uint8Array([255, 255, 255, 255, 0, 255, 255, 255, 255]),
    };
    expect(Math.min(...unsharpMask(white, 1, 5).data)).toBe(0);
    expect(Math.max(...unsharpMask(white, 1, 5).data)).toBe(255);
  });
});

describe('boxBlur and bad arguments', () => {
  it('rounds the local mean, converts colour to grey and rejects a bad radius or amount', () => {
    const rgb: RasterImage = { width: 3, height: 1, channels: 3, data: new Uint8Array([0, 0, 0, 90, 90, 90, 0, 0, 0]) };
    expect(Array.from(boxBlur(rgb, 1).data)).toEqual([45, 30, 45]);
    expect(() => localMean(rgb, Number.NaN)).toThrow(RangeError);
    expect(() => localMean(rgb, -1)).toThrow(RangeError);
    expect(() => unsharpMask(rgb, 1, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
