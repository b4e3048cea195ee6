import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '@smart-citizen/test-kit';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '@smart-citizen/core';
import { decodeImage } from './decodeImage.js';
import { detectImageFormat } from './detectImageFormat.js';
import type { RasterImage } from './RasterImage.js';
import { readExifOrientation } from './readExifOrientation.js';
import { withJpegOrientation } from './testing/fixtures.js';

const faces = sharedData('face/deepface');
const qr = sharedData('qr');

function read(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

/** sharp's decode of the same bytes, as upright raw pixels with the same channel count. */
async function sharpRaw(bytes: Uint8Array, channels: number, rotate = true): Promise<RasterImage> {
  // keepIccProfile: sharp would otherwise convert embedded profiles to sRGB; the SDK does no
  // colour management (up to 4 levels of mean difference on the Adobe-RGB photos here).
  let s = sharp(bytes).keepIccProfile();
  if (rotate) s = s.rotate();
  if (channels === 1) s = s.greyscale();
  else if (channels === 3) s = s.removeAlpha();
  else s = s.ensureAlpha();
  const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, channels: info.channels as 1 | 3 | 4, data: new Uint8Array(data) };
}

function meanAbsDiff(a: RasterImage, b: RasterImage): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return sum / a.data.length;
}

function imagesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(jpe?g|png|webp|bmp)$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

describe.skipIf(!faces)('decodeImage on face/deepface (real photos)', () => {
  const files = faces ? imagesIn(faces) : [];

  it('decodes every photo like sharp does (size, orientation, pixels)', async () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const file of files) {
      const bytes = read(file);
      const img = await decodeImage(bytes);
      const ref = await sharpRaw(bytes, img.channels);
      // Different IDCT and chroma upsampling: below 1 level of mean difference (a wrong
      // orientation or colour order gives tens).
      expect(meanAbsDiff(img, ref), file).toBeLessThan(1);
    }
  }, 180_000);

  it('decodes the WebP by its bytes whatever the file is called', async () => {
    const webp = read(join(faces as string, 'img47.webp'));
    expect(detectImageFormat(webp)).toBe('webp');
    const img = await decodeImage(webp);
    expect([img.width, img.height, img.channels]).toEqual([1350, 1800, 3]);
    expect(meanAbsDiff(img, await sharpRaw(webp, 3))).toBeLessThan(1);
  });

  it('applies EXIF orientations 1–8 on real photos like sharp.rotate()', async () => {
    // The photos here carry orientation 1 only, so the other seven are written into their APP1.
    for (const name of ['img22.jpg', 'img43.jpg', 'img25.jpg']) {
      const original = read(join(faces as string, name));
      const upright = await decodeImage(original);
      for (let o = 1; o <= 8; o++) {
        const bytes = withJpegOrientation(original, o);
        expect(readExifOrientation(bytes)).toBe(o);
        const img = await decodeImage(bytes);
        if (o >= 5) expect([img.width, img.height]).toEqual([upright.height, upright.width]);
        else expect([img.width, img.height]).toEqual([upright.width, upright.height]);
        expect(meanAbsDiff(img, await sharpRaw(bytes, 3)), `${name} orientation ${o}`).toBeLessThan(1);
      }
    }
  }, 120_000);

  it('refuses every real file cut short as corrupt', async () => {
    for (const file of files.slice(0, 12)) {
      const bytes = read(file);
      for (const cut of [0.5, 0.9]) {
        const err = await decodeImage(bytes.subarray(0, Math.floor(bytes.length * cut))).catch((e: unknown) => e);
        expect(isSmartCitizenError(err, 'image/corrupt'), `${file} cut at ${cut}`).toBe(true);
      }
    }
  }, 60_000);
});

describe.skipIf(!qr)('decodeImage on the qr sets (PNG, JPEG, WebP scans)', () => {
  it('decodes every image like sharp', async () => {
    const files = imagesIn(qr as string);
    expect(files.length).toBeGreaterThan(300);
    const seen = new Set<string>();
    for (const file of files) {
      const bytes = read(file);
      const img = await decodeImage(bytes);
      seen.add(`${detectImageFormat(bytes)}/${img.channels}`);
      const ref = await sharpRaw(bytes, img.channels);
      expect(meanAbsDiff(img, ref), file).toBeLessThan(1);
    }
    expect([...seen].some((s) => s.startsWith('webp'))).toBe(true);
    expect([...seen].some((s) => s.startsWith('png'))).toBe(true);
    expect([...seen].some((s) => s.startsWith('jpeg'))).toBe(true);
  }, 180_000);
});
