import type { RasterImage } from '@smart-citizen/image';
import { hasSharedData, sharedDataRoot } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { degradeToCardPrint } from '../bench/cardDegrade.js';
import { FVC_SETS, loadFvcSet } from '../bench/fvc.js';
import { extractCardPrint, preprocessCardPrint } from './cardPrint.js';
import { extractTemplate } from './extractTemplate.js';
import { matchTemplates } from './matchTemplates.js';
import { thrownCode } from './thrownCode.js';

const code = thrownCode;

describe('preprocessCardPrint on bad input', () => {
  it('gives typed errors for non-images, tiny or blank crops and a wrong scale', () => {
    const blank: RasterImage = { width: 204, height: 252, channels: 1, data: new Uint8Array(204 * 252).fill(210) };
    expect(code(() => preprocessCardPrint(blank))).toBe('fingerprint/no-print');
    expect(code(() => preprocessCardPrint({ width: 8, height: 8, channels: 1, data: new Uint8Array(64) }))).toBe(
      'fingerprint/bad-image',
    );
    expect(code(() => preprocessCardPrint(null as unknown as RasterImage))).toBe('fingerprint/bad-image');
    expect(code(() => preprocessCardPrint(blank, { pxPerMm: 0 }))).toBe('fingerprint/bad-dpi');
    expect(code(() => preprocessCardPrint(blank, { pxPerMm: Number.NaN }))).toBe('fingerprint/bad-dpi');
    expect(() => preprocessCardPrint(blank, { deblur: -1 })).toThrow(RangeError);
    expect(() => preprocessCardPrint(blank, { deblur: 1 })).toThrow(RangeError);
  });
});

describe('preprocessCardPrint sharpening', () => {
  it('gives back ridge contrast that blur took, and deblur: 0 with sharpen: 0 leaves the resampled image as it is', () => {
    // soft ridges (period 5.5 px at 12 px/mm, low contrast) in the middle of a light crop
    const w = 204;
    const h = 252;
    const data = new Uint8Array(w * h).fill(225);
    for (let y = 40; y < 212; y++)
      for (let x = 30; x < 174; x++) data[y * w + x] = Math.round(160 + 40 * Math.sin((2 * Math.PI * x) / 5.5));
    const img: RasterImage = { width: w, height: h, channels: 1, data };
    const spread = (r: RasterImage) => {
      const row = Array.from(
        r.data.subarray((r.height >> 1) * r.width + (r.width >> 2), (r.height >> 1) * r.width + (r.width >> 1)),
      );
      return Math.max(...row) - Math.min(...row);
    };
    const plain = preprocessCardPrint(img, { sharpen: 0, deblur: 0 });
    const deblurred = preprocessCardPrint(img, { sharpen: 0 });
    const sharp = preprocessCardPrint(img);
    expect(sharp.image.width).toBe(plain.image.width);
    expect(spread(deblurred.image)).toBeGreaterThan(spread(plain.image) * 1.2);
    expect(spread(sharp.image)).toBeGreaterThan(spread(deblurred.image) * 1.2);
    expect(spread(plain.image)).toBeLessThanOrEqual(81);
  });
});

describe.skipIf(!hasSharedData('fingerprint/fvc2002/DB2_B'))('card prints made from FVC2002 DB2', () => {
  it('brings a 12 px/mm card-like print to 500 dpi at a plausible ridge period and matches it to its finger', async () => {
    const def = FVC_SETS[1] as (typeof FVC_SETS)[number];
    const items = ((await loadFvcSet(sharedDataRoot, def)) ?? []).filter((it) => Number(it.finger) <= 104);
    const firsts = items.filter((it) => it.impression === 1);
    const live = items.filter((it) => it.impression === 2).map((it) => extractTemplate(it.image, { dpi: def.dpi }));
    let genuineWins = 0;
    for (const [k, it] of firsts.entries()) {
      const card = degradeToCardPrint(it.image, def.dpi, 100 + k);
      expect(card.width).toBeLessThanOrEqual(204);
      const p = preprocessCardPrint(card);
      expect(p.image.width).toBeGreaterThan(card.width * 1.5);
      expect(p.measuredPeriod).toBeGreaterThan(6);
      expect(p.measuredPeriod).toBeLessThan(14);
      const t = extractCardPrint(card);
      expect(t.minutiae.length).toBeGreaterThan(5);
      const scores = live.map((l) => matchTemplates(l, t).score);
      const own = scores[k] as number;
      if (scores.every((s, j) => j === k || s < own)) genuineWins++;
    }
    // Most fingers rank their own card print first (the bench measures the EER).
    expect(genuineWins).toBeGreaterThanOrEqual(3);
  });
});
