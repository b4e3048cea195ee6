import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { degradationLevels, renderCardImage } from '../testing/renderCardImage.js';
import { createRng } from '@smart-citizen/core';
import { localMean } from '@smart-citizen/image';
import { binariseLocalMean, findFinderPatterns, groupFinders } from './finders.js';

describe('finder patterns', () => {
  it('finds the three finders of a plain code and groups them into one candidate around the code', async () => {
    const writer = await createBarcodeWriter();
    const code = await writer.write('finder pattern test 0123456789', 'QRCode');
    const img = renderCardImage(code, degradationLevels[0] as never, createRng(3), {
      width: 640,
      height: 480,
      layout: 'plain',
    });
    const finders = findFinderPatterns(img, binariseLocalMean(img, 20, 3));
    const sure = finders.filter((f) => f.hits >= 3);
    expect(sure.length).toBeGreaterThanOrEqual(3);
    for (const f of sure.slice(0, 3)) expect(f.module).toBeGreaterThan(3.5);
    const [c] = groupFinders(finders, img.width, img.height, 2);
    expect(c?.finders).toHaveLength(3);
    // The candidate holds the code: its side is the code's plus margins, its module ~4.5 px.
    const side = code.width * 4.5;
    expect(c?.width).toBeGreaterThan(side * 0.9);
    expect(c?.width).toBeLessThan(side * 1.8);
    expect(c?.module).toBeGreaterThan(3.5);
    expect(c?.module).toBeLessThan(5.5);
  });

  it('finds no sure finder in noise, none on a flat image, and never crashes on tiny images', () => {
    const rng = createRng(9);
    const noise: RasterImage = {
      width: 200,
      height: 150,
      channels: 1,
      data: Uint8Array.from({ length: 200 * 150 }, () => Math.floor(rng.next() * 256)),
    };
    // Noise makes a few chance 1:1:3:1:1 runs, never a finder confirmed over many rows.
    const chance = findFinderPatterns(noise, binariseLocalMean(noise, 10));
    expect(chance.every((f) => f.hits < 6)).toBe(true);
    expect(groupFinders(chance, 200, 150, 3).length).toBeLessThanOrEqual(3);
    const flat: RasterImage = { width: 50, height: 40, channels: 1, data: new Uint8Array(2000).fill(128) };
    expect(findFinderPatterns(flat, binariseLocalMean(flat, 8))).toEqual([]);
    const tiny: RasterImage = { width: 1, height: 1, channels: 1, data: new Uint8Array([0]) };
    expect(findFinderPatterns(tiny, binariseLocalMean(tiny, 8))).toEqual([]);
  });

  it('binarises exactly as the float local mean does (v < mean − offset), on every size, radius and offset', () => {
    const rng = createRng(21);
    // Smooth images with noise put many window means within a rounding step of an integer.
    const shapes: [number, number][] = [
      [1, 1],
      [7, 3],
      [40, 33],
      [121, 97],
      [300, 8],
    ];
    let compared = 0;
    for (const [w, h] of shapes) {
      const data = Uint8Array.from({ length: w * h }, (_, i) => {
        const x = i % w;
        const y = Math.floor(i / w);
        return Math.max(
          0,
          Math.min(255, Math.round(128 + 90 * Math.sin(x / 5) * Math.cos(y / 7) + (rng.next() - 0.5) * 40)),
        );
      });
      const img: RasterImage = { width: w, height: h, channels: 1, data };
      for (const radius of [0, 1, 2.7, 10, 40, 127, 130]) {
        for (const offset of [-3, 0, 2, 3, 2.5]) {
          const mean = localMean(img, radius);
          const want = Uint8Array.from(data, (v, i) => (v < (mean[i] as number) - offset ? 1 : 0));
          expect(binariseLocalMean(img, radius, offset)).toEqual(want);
          compared++;
        }
      }
    }
    expect(compared).toBe(5 * 7 * 5);
  });
});
