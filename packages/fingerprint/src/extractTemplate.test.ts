import type { RasterImage } from '@smart-citizen/image';
import { sharedDataRoot, hasSharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { FVC_SETS, loadFvcSet } from '../bench/fvc.js';
import { extractTemplate } from './extractTemplate.js';
import { matchTemplates } from './matchTemplates.js';
import { thrownCode } from './thrownCode.js';

function grey(width: number, height: number, f: (x: number, y: number) => number): RasterImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, channels: 1, data };
}

const code = thrownCode;

describe('extractTemplate on bad input', () => {
  it('rejects blank, saturated and black images as no-print', () => {
    expect(
      code(() =>
        extractTemplate(
          grey(300, 300, () => 200),
          { dpi: 500 },
        ),
      ),
    ).toBe('fingerprint/no-print');
    expect(
      code(() =>
        extractTemplate(
          grey(300, 300, (x) => (x % 2 ? 255 : 254)),
          { dpi: 500 },
        ),
      ),
    ).toBe('fingerprint/no-print');
    expect(
      code(() =>
        extractTemplate(
          grey(300, 300, () => 0),
          { dpi: 500 },
        ),
      ),
    ).toBe('fingerprint/no-print');
  });

  it('rejects a picture with a small textured patch only', () => {
    const img = grey(400, 400, (x, y) => (x > 180 && x < 220 && y > 180 && y < 220 ? (x % 9 < 4 ? 40 : 220) : 128));
    expect(code(() => extractTemplate(img, { dpi: 500 }))).toBe('fingerprint/no-print');
  });

  it('rejects a wrong dpi and malformed images', () => {
    const img = grey(300, 300, (x) => (x % 9 < 4 ? 40 : 220));
    for (const dpi of [0, 100, 5000, Number.NaN, '500' as unknown as number]) {
      expect(code(() => extractTemplate(img, { dpi }))).toBe('fingerprint/bad-dpi');
    }
    expect(
      code(() => extractTemplate({ width: 10, height: 10, channels: 1, data: new Uint8Array(5) }, { dpi: 500 })),
    ).toBe('fingerprint/bad-image');
    expect(
      code(() =>
        extractTemplate(
          grey(40, 40, () => 0),
          { dpi: 500 },
        ),
      ),
    ).toBe('fingerprint/bad-image');
    expect(code(() => extractTemplate(null as unknown as RasterImage, { dpi: 500 }))).toBe('fingerprint/bad-image');
  });

  it('never throws anything but a FingerprintError on noise', () => {
    let seed = 7;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let k = 0; k < 4; k++) {
      const img = grey(200 + k * 37, 180 + k * 23, () => rnd());
      const c = code(() => extractTemplate(img, { dpi: 500 }));
      expect(['no error', 'fingerprint/no-print']).toContain(c);
    }
  });
});

describe.skipIf(!hasSharedData('fingerprint/fvc2002/DB1_B'))('extractTemplate + matchTemplates on FVC2002 DB1', () => {
  it('finds minutiae and scores the same finger above different fingers', async () => {
    const items = (await loadFvcSet(sharedDataRoot, FVC_SETS[0] as (typeof FVC_SETS)[number])) ?? [];
    const pick = items.filter((it) => it.impression <= 3 && Number(it.finger) <= 105);
    const templates = pick.map((it) => extractTemplate(it.image, { dpi: 500 }));
    for (const t of templates) {
      expect(t.minutiae.length).toBeGreaterThan(10);
      for (const m of t.minutiae) {
        expect(m.x).toBeGreaterThanOrEqual(0);
        expect(m.x).toBeLessThan(t.width);
        expect(m.angle).toBeGreaterThanOrEqual(0);
        expect(m.angle).toBeLessThan(2 * Math.PI);
      }
    }
    const genuine: number[] = [];
    const impostor: number[] = [];
    for (let a = 0; a < pick.length; a++) {
      for (let b = a + 1; b < pick.length; b++) {
        const s = matchTemplates(templates[a] as never, templates[b] as never).score;
        ((pick[a] as { finger: string }).finger === (pick[b] as { finger: string }).finger ? genuine : impostor).push(
          s,
        );
      }
    }
    const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
    expect(mean(genuine)).toBeGreaterThan(2 * mean(impostor));
    // Regression floor: most genuine pairs beat the best impostor.
    const maxImpostor = Math.max(...impostor);
    expect(genuine.filter((s) => s > maxImpostor).length / genuine.length).toBeGreaterThan(0.5);
  });
});
