import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { radialWarp, radialWarps, unsharpMask } from './greyOps.js';

function gradient(w: number, h: number): RasterImage {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = (x * 255) / (w - 1);
  return { width: w, height: h, channels: 1, data };
}

describe('radialWarp', () => {
  it('with zero strength is a plain k-times enlargement', () => {
    const img = gradient(40, 30);
    const out = radialWarp(img, { cx: 0.5, cy: 0.5, sigma: 0.3, strength: 0 }, 2);
    expect(out.width).toBe(80);
    expect(out.height).toBe(60);
    // Output x samples input x / 2: the ramp is preserved.
    expect(Math.abs((out.data[10 * 80 + 40] ?? 0) - (img.data[5 * 40 + 20] ?? 0))).toBeLessThanOrEqual(1);
  });

  it('magnifies around the centre with negative strength and shrinks with positive', () => {
    const img = gradient(100, 100);
    const at = (o: RasterImage, x: number, y: number): number => o.data[y * o.width + x] ?? 0;
    const flat = radialWarp(img, { cx: 0.5, cy: 0.5, sigma: 0.3, strength: 0 }, 1);
    const mag = radialWarp(img, { cx: 0.5, cy: 0.5, sigma: 0.3, strength: -0.2 }, 1);
    const shr = radialWarp(img, { cx: 0.5, cy: 0.5, sigma: 0.3, strength: 0.2 }, 1);
    // Right of the centre: magnifying samples closer to the centre (darker on this ramp).
    expect(at(mag, 60, 50)).toBeLessThan(at(flat, 60, 50));
    expect(at(shr, 60, 50)).toBeGreaterThan(at(flat, 60, 50));
    // Far from the centre the displacement fades out.
    expect(Math.abs(at(mag, 99, 0) - at(flat, 99, 0))).toBeLessThanOrEqual(2);
  });

  it('has a fixed symmetric set of warps', () => {
    const ws = radialWarps();
    expect(ws).toHaveLength(10);
    expect(ws.filter((w) => w.strength < 0)).toHaveLength(5);
    for (const w of ws) expect(w.cx + w.cy).toBeGreaterThan(0);
  });
});

describe('localMean', () => {
  it('is the mean of the window clipped at the borders', async () => {
    const { localMean } = await import('./greyOps.js');
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
