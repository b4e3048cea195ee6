import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '@smart-citizen/core';
import { toGrey, toRgb, toRgba } from './convert.js';
import { crop } from './crop.js';
import { decodeImage } from './decodeImage.js';
import { encodePng } from './encodePng.js';
import { applyOrientation, flip, rotate90 } from './orientation.js';
import type { RasterImage } from './RasterImage.js';
import { fitWithin, resize } from './resize.js';
import { checkerboard, gradient, px, raster } from './testing/fixtures.js';

const same = (a: RasterImage, b: RasterImage) => {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
};

describe('rotate90, flip, applyOrientation', () => {
  for (const ch of [1, 3, 4] as const) {
    it(`round-trips on ${ch}-channel images`, () => {
      const g = gradient(7, 5, ch);
      let r = g;
      for (let i = 0; i < 4; i++) r = rotate90(r, 1);
      same(r, g);
      same(rotate90(rotate90(g, 1), 3), g);
      same(rotate90(rotate90(g, 2), 2), g);
      same(flip(flip(g, 'horizontal'), 'horizontal'), g);
      same(flip(flip(g, 'vertical'), 'vertical'), g);
      same(rotate90(g, 2), flip(flip(g, 'vertical'), 'horizontal'));
    });
  }

  it('rotates clockwise: the top-left pixel goes to the top-right', () => {
    const g = gradient(7, 5, 3);
    const r = rotate90(g, 1);
    expect([r.width, r.height]).toEqual([5, 7]);
    for (let c = 0; c < 3; c++) {
      expect(px(r, 4, 0, c)).toBe(px(g, 0, 0, c));
      expect(px(r, 0, 0, c)).toBe(px(g, 0, 4, c));
      expect(px(r, 4, 6, c)).toBe(px(g, 6, 0, c));
    }
  });

  it('maps the 8 EXIF orientations to the right rotation/flip', () => {
    const g = gradient(6, 4, 3);
    same(applyOrientation(g, 1), g);
    same(applyOrientation(g, 2), flip(g, 'horizontal'));
    same(applyOrientation(g, 3), rotate90(g, 2));
    same(applyOrientation(g, 4), flip(g, 'vertical'));
    same(applyOrientation(g, 5), flip(rotate90(g, 1), 'horizontal'));
    same(applyOrientation(g, 6), rotate90(g, 1));
    same(applyOrientation(g, 7), flip(rotate90(g, 3), 'horizontal'));
    same(applyOrientation(g, 8), rotate90(g, 3));
    // transpose: (x, y) -> (y, x)
    const t = applyOrientation(g, 5);
    expect(px(t, 3, 1)).toBe(px(g, 1, 3));
  });

  it('validates arguments', () => {
    const g = gradient(2, 2, 1);
    expect(() => rotate90(g, 4 as 0)).toThrow(RangeError);
    expect(() => flip(g, 'diagonal' as 'horizontal')).toThrow(RangeError);
    expect(() => applyOrientation(g, 9 as 1)).toThrow(RangeError);
    expect(() => rotate90({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) }, 1)).toThrow(
      expect.objectContaining({ code: 'image/corrupt' }),
    );
    expect(() => rotate90({ width: 2, height: 2, channels: 2 as 1, data: new Uint8Array(8) }, 1)).toThrow(TypeError);
  });
});

describe('toGrey, toRgb, toRgba', () => {
  it('uses BT.601 luma', () => {
    const img = raster(4, 1, 3, [255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 200, 200]);
    expect(Array.from(toGrey(img).data)).toEqual([76, 150, 29, 200]);
    const rgba = toRgba(img);
    expect(Array.from(toGrey(rgba).data)).toEqual([76, 150, 29, 200]);
  });

  it('expands and drops channels consistently', () => {
    const g = gradient(5, 3, 1);
    const rgb = toRgb(g);
    expect(rgb.channels).toBe(3);
    same(toGrey(rgb), g);
    const rgba = toRgba(g);
    expect(px(rgba, 2, 1, 3)).toBe(255);
    same(toRgb(rgba), rgb);
    same(toGrey(g), g);
  });
});

describe('resize', () => {
  it('area: each 2×2 block becomes its mean', () => {
    const img = raster(4, 2, 1, [0, 10, 100, 101, 20, 30, 102, 103]);
    const r = resize(img, { width: 2, height: 1, method: 'area' });
    expect(Array.from(r.data)).toEqual([15, 102]); // 60/4, 406/4 = 101.5 -> 102
  });

  it('area: a checkerboard of 1-pixel cells downscales to flat grey, in every channel count', () => {
    for (const ch of [1, 3, 4] as const) {
      const r = resize(checkerboard(64, 48, 1, ch), { width: 16, height: 12, method: 'area' });
      for (let i = 0; i < r.data.length; i++) {
        expect(r.data[i]).toBe(ch === 4 && i % 4 === 3 ? 255 : 128);
      }
    }
  });

  it('area: non-integer ratios weight the partial pixels', () => {
    const img = raster(3, 1, 1, [0, 90, 180]);
    // Two output pixels of 1.5 source pixels: (0 + 0.5*90)/1.5 = 30, (0.5*90 + 180)/1.5 = 150.
    expect(Array.from(resize(img, { width: 2, height: 1 }).data)).toEqual([30, 150]);
  });

  it('bilinear: interpolates between pixel centres and keeps flat images flat', () => {
    const img = raster(2, 1, 1, [0, 200]);
    const r = resize(img, { width: 4, height: 1, method: 'bilinear' });
    expect(Array.from(r.data)).toEqual([0, 50, 150, 200]);
    const flat: RasterImage = { width: 9, height: 7, channels: 3, data: new Uint8Array(9 * 7 * 3).fill(77) };
    expect(resize(flat, { width: 20, height: 3, method: 'bilinear' }).data.every((v) => v === 77)).toBe(true);
  });

  it('same size is an exact copy for both methods', () => {
    const g = gradient(11, 6, 4);
    same(resize(g, { width: 11, height: 6, method: 'area' }), g);
    same(resize(g, { width: 11, height: 6, method: 'bilinear' }), g);
  });

  it('validates arguments and computes fitting sizes', () => {
    const g = gradient(4, 4, 1);
    expect(() => resize(g, { width: 0, height: 2 })).toThrow(RangeError);
    expect(() => resize(g, { width: 2.5, height: 2 })).toThrow(RangeError);
    expect(() => resize(g, { width: 2, height: 2, method: 'cubic' as 'area' })).toThrow(RangeError);
    expect(fitWithin(4000, 3000, 1000)).toEqual({ width: 1000, height: 750 });
    expect(fitWithin(300, 200, 1000)).toEqual({ width: 300, height: 200 });
  });
});

describe('crop', () => {
  it('cuts and clamps to the image', () => {
    const g = gradient(10, 8, 3);
    const c = crop(g, { x: 2, y: 3, width: 4, height: 2 });
    expect([c.width, c.height]).toEqual([4, 2]);
    expect(px(c, 0, 0, 1)).toBe(px(g, 2, 3, 1));
    expect(px(c, 3, 1, 2)).toBe(px(g, 5, 4, 2));
    const clamped = crop(g, { x: -5, y: 6, width: 8, height: 10 });
    expect([clamped.width, clamped.height]).toEqual([3, 2]);
    expect(px(clamped, 0, 0)).toBe(px(g, 0, 6));
  });

  it('throws a typed error on an empty region and RangeError on bad numbers', () => {
    const g = gradient(10, 8, 1);
    for (const rect of [
      { x: 20, y: 0, width: 5, height: 5 },
      { x: 0, y: 0, width: 0, height: 5 },
      { x: -10, y: -10, width: 5, height: 5 },
    ]) {
      let err: unknown;
      try {
        crop(g, rect);
      } catch (e) {
        err = e;
      }
      expect(isSmartCitizenError(err, 'image/empty-region')).toBe(true);
    }
    expect(() => crop(g, { x: Number.NaN, y: 0, width: 1, height: 1 })).toThrow(RangeError);
    expect(() => crop(g, { x: 0, y: 0, width: -1, height: 1 })).toThrow(RangeError);
  });
});

describe('encodePng', () => {
  it('round-trips through decodeImage losslessly for 1, 3 and 4 channels', async () => {
    for (const ch of [1, 3, 4] as const) {
      const g = gradient(13, 9, ch);
      same(await decodeImage(encodePng(g)), g);
    }
  });
});
