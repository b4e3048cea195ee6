import type { RasterImage } from './RasterImage.js';
import { assertImage } from './validate.js';

/**
 * Convert to one grey channel with ITU-R BT.601 luma: Y = 0.299 R + 0.587 G + 0.114 B, rounded
 * (integer weights 4899/9617/1868 over 2^14). Alpha is dropped, not composited.
 *
 * @param img - Source image.
 * @returns A new 1-channel image (a copy when the source is already grey).
 */
export function toGrey(img: RasterImage): RasterImage {
  assertImage(img);
  const { width, height, channels: ch, data } = img;
  if (ch === 1) return { width, height, channels: 1, data: data.slice() };
  const n = width * height;
  const out = new Uint8Array(n);
  for (let i = 0, s = 0; i < n; i++, s += ch) {
    out[i] =
      (4899 * (data[s] as number) + 9617 * (data[s + 1] as number) + 1868 * (data[s + 2] as number) + 8192) >> 14;
  }
  return { width, height, channels: 1, data: out };
}

/**
 * Convert to three RGB channels: grey is replicated, alpha is dropped (not composited).
 *
 * @param img - Source image.
 * @returns A new 3-channel image.
 */
export function toRgb(img: RasterImage): RasterImage {
  assertImage(img);
  const { width, height, channels: ch, data } = img;
  const n = width * height;
  if (ch === 3) return { width, height, channels: 3, data: data.slice() };
  const out = new Uint8Array(n * 3);
  for (let i = 0, s = 0, o = 0; i < n; i++, s += ch, o += 3) {
    const r = data[s] as number;
    out[o] = r;
    out[o + 1] = ch === 1 ? r : (data[s + 1] as number);
    out[o + 2] = ch === 1 ? r : (data[s + 2] as number);
  }
  return { width, height, channels: 3, data: out };
}

/**
 * Convert to four RGBA channels: grey is replicated, missing alpha is 255.
 *
 * @param img - Source image.
 * @returns A new 4-channel image (the layout of canvas `ImageData`).
 */
export function toRgba(img: RasterImage): RasterImage {
  assertImage(img);
  const { width, height, channels: ch, data } = img;
  const n = width * height;
  if (ch === 4) return { width, height, channels: 4, data: data.slice() };
  const out = new Uint8Array(n * 4);
  for (let i = 0, s = 0, o = 0; i < n; i++, s += ch, o += 4) {
    const r = data[s] as number;
    out[o] = r;
    out[o + 1] = ch === 1 ? r : (data[s + 1] as number);
    out[o + 2] = ch === 1 ? r : (data[s + 2] as number);
    out[o + 3] = 255;
  }
  return { width, height, channels: 4, data: out };
}
