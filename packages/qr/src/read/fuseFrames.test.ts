import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { createRng } from '@smart-citizen/core';
import { fft1d, fft2d } from './fft.js';
import { fuseFrames } from './fuseFrames.js';

/** A random module pattern (4 px per module) on a 256×256 grey frame, shifted by (sx, sy). */
function pattern(sx: number, sy: number): RasterImage {
  const rng = createRng(5);
  const modules = Array.from({ length: 64 * 64 }, () => (rng.next() < 0.5 ? 30 : 220));
  const data = new Uint8Array(256 * 256);
  for (let y = 0; y < 256; y++) {
    for (let x = 0; x < 256; x++) {
      const mx = Math.floor((x - sx) / 4);
      const my = Math.floor((y - sy) / 4);
      data[y * 256 + x] = mx >= 0 && my >= 0 && mx < 64 && my < 64 ? (modules[my * 64 + mx] as number) : 128;
    }
  }
  return { width: 256, height: 256, channels: 1, data };
}

/** Motion blur along x (horizontal) or y (vertical), `length` pixels. */
function streak(img: RasterImage, length: number, vertical: boolean): RasterImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = 0; k < length; k++) {
        const xx = vertical ? x : Math.min(w - 1, x + k - (length >> 1));
        const yy = vertical ? Math.min(h - 1, y + k - (length >> 1)) : y;
        s += data[Math.max(0, yy) * w + Math.max(0, xx)] as number;
      }
      out[y * w + x] = Math.round(s / length);
    }
  }
  return { ...img, data: out };
}

/** Mean absolute difference from the sharp pattern over the window's inner part. */
function error(a: RasterImage, b: RasterImage, x0: number, y0: number): number {
  let s = 0;
  let n = 0;
  for (let y = 16; y < a.height - 16; y++) {
    for (let x = 16; x < a.width - 16; x++) {
      s += Math.abs((a.data[y * a.width + x] as number) - (b.data[(y0 + y) * b.width + x0 + x] as number));
      n++;
    }
  }
  return s / n;
}

describe('fft', () => {
  it('inverse(forward(x)) = x, and a 2-D delta has a flat spectrum', () => {
    const rng = createRng(1);
    const re = Float64Array.from({ length: 64 }, () => rng.next());
    const im = new Float64Array(64);
    const copy = Float64Array.from(re);
    fft1d(re, im);
    fft1d(re, im, true);
    for (let i = 0; i < 64; i++) expect(re[i]).toBeCloseTo(copy[i] as number, 9);
    const r2 = new Float64Array(16 * 16);
    const i2 = new Float64Array(16 * 16);
    r2[0] = 1;
    fft2d(r2, i2, 16);
    for (const v of r2) expect(v).toBeCloseTo(1, 9);
    expect(() => fft1d(new Float64Array(6), new Float64Array(6))).toThrow(RangeError);
  });
});

describe('fuseFrames', () => {
  it('registers shifted frames and, from two frames blurred in different directions, is sharper than either', () => {
    const sharp = pattern(0, 0);
    // The same code, moved by hand shake between frames and blurred along x, then along y.
    const a = streak(pattern(3, -2), 7, false);
    const b = streak(sharp, 7, true);
    const window = { x: 64, y: 64, size: 128 };
    const fused = fuseFrames([a, b], window);
    expect(fused.width).toBe(128);
    const eFused = error(fused, sharp, 64, 64);
    const eB = error({ ...fused, data: cropData(b, 64, 64, 128) }, sharp, 64, 64);
    const eA = error({ ...fused, data: cropData(a, 67, 62, 128) }, sharp, 64, 64);
    expect(eFused).toBeLessThan(0.85 * Math.min(eA, eB));
  });

  it('rejects a window that is not a power of two, and no frames', () => {
    expect(() => fuseFrames([pattern(0, 0)], { x: 0, y: 0, size: 100 })).toThrow(RangeError);
    expect(() => fuseFrames([], { x: 0, y: 0, size: 64 })).toThrow(RangeError);
  });
});

function cropData(img: RasterImage, x0: number, y0: number, n: number): Uint8Array {
  const out = new Uint8Array(n * n);
  for (let y = 0; y < n; y++)
    out.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + n), y * n);
  return out;
}
