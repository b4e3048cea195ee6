import { createRng, isSmartCitizenError } from '@smart-citizen/core';
import { type RasterImage, toGrey } from '@smart-citizen/image';
import { hasSharedData, sharedDataRoot } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { FVC_SETS, loadFvcSet } from '../bench/fvc.js';
import { extractTemplate } from './extractTemplate.js';
import { assessQuality, RECAPTURE_BELOW } from './quality.js';

/** The image with Gaussian noise of the given standard deviation and its contrast reduced. */
function degrade(image: RasterImage, sigma: number, seed: number): RasterImage {
  const g = toGrey(image);
  const rng = createRng(seed);
  const data = new Uint8Array(g.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = 128 + ((g.data[i] as number) - 128) * 0.5 + rng.gauss() * sigma;
    data[i] = Math.max(0, Math.min(255, Math.round(v)));
  }
  return { ...g, data };
}

describe('assessQuality on bad input', () => {
  it('throws no-print for a blank image rather than scoring it', () => {
    const blank: RasterImage = { width: 300, height: 300, channels: 1, data: new Uint8Array(300 * 300).fill(200) };
    try {
      assessQuality(blank, { dpi: 500 });
      expect.unreachable();
    } catch (err) {
      expect(isSmartCitizenError(err) && err.code).toBe('fingerprint/no-print');
    }
  });
});

describe.skipIf(!hasSharedData('fingerprint/fvc2002/DB3_B'))('assessQuality on FVC images', () => {
  it('scores in 0–100, stores the score in the template and ranks sensors and damage sensibly', async () => {
    const db2 = ((await loadFvcSet(sharedDataRoot, FVC_SETS[1] as (typeof FVC_SETS)[number])) ?? []).slice(0, 16);
    const db3 = ((await loadFvcSet(sharedDataRoot, FVC_SETS[2] as (typeof FVC_SETS)[number])) ?? []).slice(0, 16);
    const score = (img: RasterImage, dpi: number) => {
      const q = assessQuality(img, { dpi });
      expect(q.score).toBeGreaterThanOrEqual(0);
      expect(q.score).toBeLessThanOrEqual(100);
      expect(q.recapture).toBe(q.score < RECAPTURE_BELOW);
      for (const v of Object.values(q.features)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      expect(q.template.quality).toBe(q.score);
      return q.score;
    };
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const q2 = db2.map((it) => score(it.image, 569));
    const q3 = db3.map((it) => score(it.image, 500));
    // FVC2002 DB2 (optical) is the cleanest set, DB3 (small capacitive) the poorest.
    expect(mean(q2)).toBeGreaterThan(mean(q3) + 10);
    // Noise and halved contrast lower the score of the same impression.
    let lower = 0;
    for (const [k, it] of db2.slice(0, 6).entries()) {
      const clean = q2[k] as number;
      let damaged = 0;
      try {
        damaged = score(degrade(it.image, 45, k + 1), 569);
      } catch (err) {
        expect(isSmartCitizenError(err) && err.code).toBe('fingerprint/no-print');
      }
      if (damaged < clean) lower++;
    }
    expect(lower).toBe(6);
    // extractTemplate sets the same quality as assessQuality.
    const first = db2[0] as (typeof db2)[number];
    expect(extractTemplate(first.image, { dpi: 569 }).quality).toBe(q2[0]);
  });
});
