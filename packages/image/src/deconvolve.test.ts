import { describe, expect, it } from 'vitest';
import { deconvolveGaussian } from './deconvolve.js';
import type { RasterImage } from './RasterImage.js';

/** Vertical bars of period 5 px (the ridge period of a card print at 12 px/mm), 60 → 200. */
function bars(w: number, h: number): Float32Array {
  const f = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) f[y * w + x] = 130 + 70 * Math.sin((2 * Math.PI * x) / 5);
  return f;
}

/** A horizontal Gaussian blur written out directly (clamped borders), to make the test input. */
function blurRows(f: Float32Array, w: number, h: number, sigma: number): RasterImage {
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let acc = 0;
      let ws = 0;
      for (let t = -4; t <= 4; t++) {
        const k = Math.exp(-(t * t) / (2 * sigma * sigma));
        acc += k * (f[y * w + Math.min(w - 1, Math.max(0, x + t))] as number);
        ws += k;
      }
      data[y * w + x] = Math.round(acc / ws);
    }
  return { width: w, height: h, channels: 1, data };
}

const rowSpread = (img: RasterImage, y: number) => {
  const row = Array.from(img.data.subarray(y * img.width + 10, y * img.width + img.width - 10));
  return Math.max(...row) - Math.min(...row);
};

describe('deconvolveGaussian', () => {
  it('gives back contrast a Gaussian blur took, and leaves a flat image flat', () => {
    const w = 60;
    const h = 40;
    const sharp = bars(w, h);
    const blurred = blurRows(sharp, w, h, 1);
    const restored = deconvolveGaussian(blurred, { sigma: 1, iterations: 20 });
    expect([restored.width, restored.height, restored.channels]).toEqual([w, h, 1]);
    const before = rowSpread(blurred, 20);
    const after = rowSpread(restored, 20);
    // The blur leaves about 45% of the bars' 140 grey levels; deconvolution restores most of it.
    expect(before).toBeLessThan(80);
    expect(after).toBeGreaterThan(before * 1.4);
    expect(after).toBeLessThanOrEqual(160);
    let err = 0;
    let errBlurred = 0;
    for (let x = 10; x < w - 10; x++) {
      const i = 20 * w + x;
      err += Math.abs((restored.data[i] as number) - (sharp[i] as number));
      errBlurred += Math.abs((blurred.data[i] as number) - (sharp[i] as number));
    }
    expect(err).toBeLessThan(errBlurred * 0.6);
    const flat: RasterImage = { width: 9, height: 7, channels: 3, data: new Uint8Array(9 * 7 * 3).fill(77) };
    const out = deconvolveGaussian(flat, { sigma: 2 });
    expect(out.channels).toBe(1);
    expect(Array.from(new Set(out.data))).toEqual([77]);
    // A one-pixel-wide image mirrors onto itself.
    expect(
      deconvolveGaussian({ width: 1, height: 5, channels: 1, data: new Uint8Array(5).fill(9) }, { sigma: 1 }).data,
    ).toEqual(new Uint8Array(5).fill(9));
  });

  it('rejects a sigma or iteration count out of range', () => {
    const img: RasterImage = { width: 4, height: 4, channels: 1, data: new Uint8Array(16) };
    expect(() => deconvolveGaussian(img, { sigma: 0.1 })).toThrow(RangeError);
    expect(() => deconvolveGaussian(img, { sigma: Number.NaN })).toThrow(RangeError);
    expect(() => deconvolveGaussian(img, { sigma: 1, iterations: 0 })).toThrow(RangeError);
    expect(() => deconvolveGaussian(img, { sigma: 1, iterations: 201 })).toThrow(RangeError);
    expect(() => deconvolveGaussian(img, null as never)).toThrow(TypeError);
  });
});
