import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSmartCitizenError } from '@smart-citizen/core';
import { sharedData } from '@smart-citizen/test-kit';
import { describe, expect, it } from 'vitest';
import { toGrey } from './convert.js';
import { decodeImage } from './decodeImage.js';
import { detectImageFormat } from './detectImageFormat.js';
import type { RasterImage } from './RasterImage.js';
import { readImageInfo } from './readImageInfo.js';
import { resize } from './resize.js';
import { fuzzDecode, gradient } from './testing/fixtures.js';
import { encodeJpeg2000, wrapJp2 } from './testing.js';

const faces = sharedData('face/deepface');

function meanAbsDiff(a: RasterImage, b: RasterImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return s / a.data.length;
}

async function codeOf(e: Promise<unknown>): Promise<string> {
  try {
    await e;
    return 'decoded';
  } catch (err) {
    if (!isSmartCitizenError(err)) throw err;
    return err.code;
  }
}

describe('JPEG 2000 (OpenJPEG, @cornerstonejs/codec-openjpeg)', () => {
  it('detects JP2 files and bare codestreams and reads their size from the header', async () => {
    const img = gradient(37, 23, 3);
    const jp2 = await encodeJpeg2000(img, { lossless: true });
    const j2k = await encodeJpeg2000(img, { lossless: true, jp2: false });
    expect(detectImageFormat(jp2)).toBe('jpeg2000');
    expect(detectImageFormat(j2k)).toBe('jpeg2000');
    expect(readImageInfo(jp2)).toEqual({ format: 'jpeg2000', width: 37, height: 23, channels: 3 });
    expect(readImageInfo(j2k)).toEqual({ format: 'jpeg2000', width: 37, height: 23, channels: 3 });
  });

  it('decodes lossless RGB and grey images exactly, in both containers', async () => {
    for (const img of [gradient(37, 23, 3), gradient(16, 9, 1), gradient(1, 1, 3)]) {
      for (const jp2 of [true, false]) {
        const out = await decodeImage(await encodeJpeg2000(img, { lossless: true, jp2 }));
        expect(out).toEqual(img);
      }
    }
  });

  it('refuses a cut-off file, garbage after the header and an oversized header as typed errors', async () => {
    const img = gradient(40, 30, 3);
    const jp2 = await encodeJpeg2000(img, { lossless: true });
    const j2k = await encodeJpeg2000(img, { lossless: true, jp2: false });
    const codes = new Set<string>();
    for (const cut of [12, 40, 60, 90, jp2.length - 200, jp2.length - 3])
      codes.add(await codeOf(decodeImage(jp2.subarray(0, cut))));
    expect([...codes].every((c) => c === 'image/corrupt')).toBe(true);
    const garbage = j2k.slice();
    for (let i = 60; i < garbage.length; i++) garbage[i] = (i * 131) & 0xff;
    expect(await codeOf(decodeImage(garbage))).toBe('image/corrupt');
    // SIZ says 100000 × 100000: refused before any pixel buffer exists.
    const huge = j2k.slice();
    new DataView(huge.buffer).setUint32(8, 100_000);
    new DataView(huge.buffer).setUint32(12, 100_000);
    expect(await codeOf(decodeImage(huge))).toBe('image/too-large');
    // A JP2 file without a codestream box.
    expect(await codeOf(decodeImage(wrapJp2(new Uint8Array(0), 1, 1, 3).subarray(0, 45 + 14)))).toBe('image/corrupt');
  });

  it.skipIf(!faces)(
    'decodes real face photos encoded by OpenJPEG: lossless exactly, lossy (9/7) within 3 grey levels',
    async () => {
      for (const name of ['img1.jpg', 'img25.jpg']) {
        const src = await decodeImage(new Uint8Array(readFileSync(join(faces as string, name))), { maxDimension: 240 });
        const rgb = src.channels === 3 ? src : resize(src, { width: src.width, height: src.height });
        const lossless = await decodeImage(await encodeJpeg2000(rgb, { lossless: true }));
        expect(lossless).toEqual(rgb);
        const lossyBytes = await encodeJpeg2000(rgb);
        const lossy = await decodeImage(lossyBytes);
        expect(meanAbsDiff(lossy, rgb)).toBeLessThan(3);
        expect(meanAbsDiff(toGrey(lossy), toGrey(rgb))).toBeLessThan(3);
      }
    },
  );

  it('fuzz: 1500 mutated JPEG 2000 files end in an image or a typed error, none slow', async () => {
    const seeds = [
      await encodeJpeg2000(gradient(48, 40, 3), {}),
      await encodeJpeg2000(gradient(33, 17, 1), { lossless: true, jp2: false }),
      await encodeJpeg2000(gradient(64, 64, 3), { lossless: true }),
    ];
    const { outcomes, slowestMs: slowest } = await fuzzDecode(
      (b) => decodeImage(b, { maxPixels: 1_000_000 }),
      seeds,
      1500,
      2026,
    );
    for (const code of outcomes.keys())
      expect(['decoded', 'image/corrupt', 'image/unsupported-format', 'image/too-large']).toContain(code);
    expect(outcomes.get('image/corrupt') ?? 0).toBeGreaterThan(100);
    expect(outcomes.get('decoded') ?? 0).toBeGreaterThan(50);
    expect(slowest).toBeLessThan(5000);
  }, 170_000);
});
