import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { CANONICAL_PX_PER_MM, mmBoxToPx } from '../layout/canonical.js';
import { cardLayout } from '../layout/layouts.js';
import { fvcDpi, liveImageAsInk, loadGeneratorData, photographedCardPrints, printAtCardScale } from './index.js';

/** Vertical ink stripes of `period` pixels (a stand-in for ridges), 400 × 400. */
function stripes(period: number): RasterImage {
  const w = 400;
  const data = new Uint8Array(w * w);
  for (let y = 0; y < w; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = Math.sin((2 * Math.PI * x) / period) > 0 ? 40 : 230;
  return { width: w, height: w, channels: 1, data };
}

/** The lag (in [4, 30]) at which the centre rows' column profile best matches itself. */
function dominantPeriod(img: RasterImage): number {
  const ch = img.channels;
  const cols: number[] = [];
  for (let x = 0; x < img.width; x++) {
    let s = 0;
    for (let y = Math.floor(img.height * 0.3); y < img.height * 0.7; y++) s += img.data[(y * img.width + x) * ch] ?? 0;
    cols.push(s);
  }
  const mean = cols.reduce((a, b) => a + b, 0) / cols.length;
  const c = cols.map((v) => v - mean);
  let best = 0;
  let bestLag = 0;
  for (let lag = 4; lag <= 30; lag++) {
    let s = 0;
    for (let x = Math.floor(img.width * 0.2); x + lag < img.width * 0.8; x++) s += (c[x] ?? 0) * (c[x + lag] ?? 0);
    if (s > best) {
      best = s;
      bestLag = lag;
    }
  }
  return bestLag;
}

describe('card prints for fingerprint benchmarks', () => {
  it('fvcDpi reads the resolution from the FVC folder', () => {
    expect(fvcDpi('data/fingerprint/fvc2002/DB2_B/101_1.png')).toBe(569);
    expect(fvcDpi('data/fingerprint/fvc2002/DB1_B/101_1.png')).toBe(500);
    expect(fvcDpi('data/fingerprint/fvc2004/DB1_B/101_1.png')).toBe(500);
  });

  it("liveImageAsInk leaves a sensor's grey background bare and inks the ridges", () => {
    // a capacitive-sensor-like image: mid-grey background, ridges in the middle 200 × 200
    const w = 300;
    const data = new Uint8Array(w * w).fill(110);
    for (let y = 50; y < 250; y++)
      for (let x = 50; x < 250; x++) data[y * w + x] = Math.sin((2 * Math.PI * x) / 9) > 0 ? 30 : 150;
    const ink = liveImageAsInk({ width: w, height: w, channels: 1, data });
    expect(ink.data[10 * w + 10]).toBe(255);
    expect(ink.data[150 * w + 280]).toBe(255);
    const row = Array.from(ink.data.subarray(150 * w + 100, 150 * w + 200));
    expect(Math.min(...row)).toBeLessThan(90);
    expect(Math.max(...row)).toBeGreaterThan(200);
  });

  it('printAtCardScale resamples a 500 dpi print to the card resolution (life size)', () => {
    const out = printAtCardScale(stripes(20), 500);
    expect(out.width).toBe(Math.round((400 * CANONICAL_PX_PER_MM * 25.4) / 500));
  });

  it('photographedCardPrints prints at life size and cuts both print boxes from the photographed back', async () => {
    const data = await loadGeneratorData(undefined);
    // 20 px at 500 dpi = 1.016 mm = 12.2 px on the card.
    const prints = await photographedCardPrints({
      leftIndex: { image: stripes(20), dpi: 500 },
      rightIndex: { image: stripes(20), dpi: 1000 },
      type: 'cccd-2021',
      level: 0,
      seed: 5,
      data,
    });
    const boxes = cardLayout('cccd-2021', 'back').fingerprints;
    const box = mmBoxToPx(boxes?.leftIndex ?? { x: 0, y: 0, w: 0, h: 0 });
    expect([prints.leftIndex.width, prints.leftIndex.height]).toEqual([box.width, box.height]);
    expect(Math.abs(dominantPeriod(prints.leftIndex) - 12.2)).toBeLessThanOrEqual(1.5);
    // the same stripes scanned at twice the resolution are half as wide on the card
    expect(Math.abs(dominantPeriod(prints.rightIndex) - 6.1)).toBeLessThanOrEqual(1.5);
  }, 120_000);
});
