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

/** `img` in `to` channels: grey replicated into R, G and B; alpha dropped, or 255 where missing. */
function toColour(img: RasterImage, to: 3 | 4): RasterImage {
  assertImage(img);
  const { width, height, channels: ch, data } = img;
  const n = width * height;
  if (ch === to) return { width, height, channels: to, data: data.slice() };
  const out = new Uint8Array(n * to);
  for (let i = 0, s = 0, o = 0; i < n; i++, s += ch, o += to) {
    const r = data[s] as number;
    out[o] = r;
    out[o + 1] = ch === 1 ? r : (data[s + 1] as number);
    out[o + 2] = ch === 1 ? r : (data[s + 2] as number);
    if (to === 4) out[o + 3] = 255;
  }
  return { width, height, channels: to, data: out };
}

/**
 * Convert to three RGB channels: grey is replicated, alpha is dropped (not composited).
 *
 * @param img - Source image.
 * @returns A new 3-channel image.
 */
export function toRgb(img: RasterImage): RasterImage {
  return toColour(img, 3);
}

/**
 * Convert to four RGBA channels: grey is replicated, missing alpha is 255.
 *
 * @param img - Source image.
 * @returns A new 4-channel image (the layout of canvas `ImageData`).
 */
export function toRgba(img: RasterImage): RasterImage {
  return toColour(img, 4);
}
