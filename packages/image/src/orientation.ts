import type { RasterImage } from './RasterImage.js';
import type { ExifOrientation } from './readExifOrientation.js';
import { assertImage } from './validate.js';

/**
 * Remap pixels so that output (x', y') takes input (ax·x' + bx·y' + cx, ay·x' + by·y' + cy),
 * with each coefficient in {-1, 0, 1}: every 90° rotation and flip is one of these.
 */
function remap(
  img: RasterImage,
  outW: number,
  outH: number,
  ax: number,
  bx: number,
  cx: number,
  ay: number,
  by: number,
  cy: number,
): RasterImage {
  const { width, channels: ch, data } = img;
  const out = new Uint8Array(outW * outH * ch);
  const stepX = (ay * width + ax) * ch; // source index step per output x
  for (let y = 0, o = 0; y < outH; y++) {
    let s = ((by * y + cy) * width + (bx * y + cx)) * ch;
    if (ch === 1) {
      for (let x = 0; x < outW; x++, s += stepX) out[o++] = data[s] as number;
    } else if (ch === 3) {
      for (let x = 0; x < outW; x++, s += stepX) {
        out[o++] = data[s] as number;
        out[o++] = data[s + 1] as number;
        out[o++] = data[s + 2] as number;
      }
    } else {
      for (let x = 0; x < outW; x++, s += stepX) {
        out[o++] = data[s] as number;
        out[o++] = data[s + 1] as number;
        out[o++] = data[s + 2] as number;
        out[o++] = data[s + 3] as number;
      }
    }
  }
  return { width: outW, height: outH, channels: ch, data: out };
}

/**
 * Rotate by quarter turns clockwise.
 *
 * @param img - Source image (any channel count).
 * @param quarterTurns - 0, 1 (90° clockwise), 2 (180°) or 3 (90° counter-clockwise).
 * @returns A new image (a copy also for 0); width and height swap for 1 and 3.
 */
export function rotate90(img: RasterImage, quarterTurns: 0 | 1 | 2 | 3): RasterImage {
  assertImage(img);
  if (quarterTurns !== 0 && quarterTurns !== 1 && quarterTurns !== 2 && quarterTurns !== 3) {
    throw new RangeError(`quarterTurns must be 0, 1, 2 or 3, got ${String(quarterTurns)}`);
  }
  // The EXIF orientations of a stored image that is upright after 0, 1, 2, 3 quarter turns.
  return applyOrientation(img, ([1, 6, 3, 8] as const)[quarterTurns]);
}

/**
 * Mirror an image.
 *
 * @param img - Source image.
 * @param axis - `horizontal` mirrors left↔right, `vertical` top↔bottom.
 * @returns A new image of the same size.
 */
export function flip(img: RasterImage, axis: 'horizontal' | 'vertical'): RasterImage {
  assertImage(img);
  // EXIF orientations 2 and 4 are the mirrored ones.
  if (axis === 'horizontal') return applyOrientation(img, 2);
  if (axis === 'vertical') return applyOrientation(img, 4);
  throw new RangeError(`axis must be 'horizontal' or 'vertical', got ${String(axis)}`);
}

/**
 * Turn a stored image upright according to its EXIF orientation (what a viewer does before
 * display). Orientations 5–8 swap width and height.
 *
 * @param img - The image as stored in the file.
 * @param exifOrientation - EXIF orientation 1–8 (see {@link readExifOrientation}).
 * @returns The upright image (a copy for orientation 1).
 */
export function applyOrientation(img: RasterImage, exifOrientation: ExifOrientation): RasterImage {
  assertImage(img);
  const W = img.width;
  const H = img.height;
  switch (exifOrientation) {
    case 1:
      return { width: W, height: H, channels: img.channels, data: img.data.slice() };
    case 2:
      return remap(img, W, H, -1, 0, W - 1, 0, 1, 0);
    case 3:
      return remap(img, W, H, -1, 0, W - 1, 0, -1, H - 1);
    case 4:
      return remap(img, W, H, 1, 0, 0, 0, -1, H - 1);
    case 5: // transpose
      return remap(img, H, W, 0, 1, 0, 1, 0, 0);
    case 6: // rotate 90° clockwise
      return remap(img, H, W, 0, 1, 0, -1, 0, H - 1);
    case 7: // transverse
      return remap(img, H, W, 0, -1, W - 1, -1, 0, H - 1);
    case 8: // rotate 90° counter-clockwise
      return remap(img, H, W, 0, -1, W - 1, 1, 0, 0);
    default:
      throw new RangeError(`exifOrientation must be an integer 1–8, got ${String(exifOrientation)}`);
  }
}
