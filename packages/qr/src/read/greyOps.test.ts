import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { radialWarp, radialWarps } from './greyOps.js';

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
