import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { flipTensor, imageToTensor } from './tensor.js';

const rgb: RasterImage = {
  width: 2,
  height: 1,
  channels: 3,
  data: new Uint8Array([10, 20, 30, 40, 50, 60]),
};

describe('imageToTensor', () => {
  it('writes planar RGB and BGR with normalisation', () => {
    expect(Array.from(imageToTensor(rgb, { colour: 'rgb', mean: 0, std: 1 }))).toEqual([10, 40, 20, 50, 30, 60]);
    expect(Array.from(imageToTensor(rgb, { colour: 'bgr', mean: 0, std: 1 }))).toEqual([30, 60, 20, 50, 10, 40]);
    const n = imageToTensor(rgb, { colour: 'rgb', mean: 127.5, std: 128 });
    expect(n[0]).toBeCloseTo((10 - 127.5) / 128);
  });

  it('reads RGBA and grey inputs, writes grey tensors', () => {
    const rgba: RasterImage = { width: 1, height: 1, channels: 4, data: new Uint8Array([100, 150, 200, 255]) };
    expect(Array.from(imageToTensor(rgba, { colour: 'rgb', mean: 0, std: 1 }))).toEqual([100, 150, 200]);
    const grey: RasterImage = { width: 1, height: 1, channels: 1, data: new Uint8Array([77]) };
    expect(Array.from(imageToTensor(grey, { colour: 'bgr', mean: 0, std: 1 }))).toEqual([77, 77, 77]);
    const g = imageToTensor(rgba, { colour: 'grey', mean: 0, std: 256 });
    expect(g[0]).toBeCloseTo((0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 256);
  });

  it('pads right and below with the normalised zero', () => {
    const t = imageToTensor(rgb, { colour: 'rgb', mean: 1, std: 2 }, { width: 3, height: 2 });
    expect(t).toHaveLength(18);
    expect(t[0]).toBeCloseTo(4.5);
    expect(t[2]).toBeCloseTo(-0.5);
    expect(t[5]).toBeCloseTo(-0.5);
  });

  it('flips each plane horizontally', () => {
    const t = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(Array.from(flipTensor(t, 2, 3, 2))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10]);
  });
});
