import { imageError } from './imageErrors.js';
import type { RasterImage } from './RasterImage.js';
import { assertImage } from './validate.js';

/** An axis-aligned rectangle in pixels; `x`, `y` is the top-left corner. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Cut a rectangle out of an image. The rectangle is rounded to whole pixels (edges to the
 * nearest pixel boundary) and clamped to the image, so a face box that sticks out of the frame
 * still gives its visible part.
 *
 * @param img - Source image.
 * @param rect - Region to keep; may extend past the image.
 * @returns A new image of the clamped region.
 * @throws RangeError when a rect field is not a finite number or width/height is negative.
 * @throws SmartCitizenError `image/empty-region` when nothing of the rectangle lies inside the image.
 */
export function crop(img: RasterImage, rect: Rect): RasterImage {
  assertImage(img);
  if (typeof rect !== 'object' || rect === null) throw new TypeError('rect must be an object');
  for (const k of ['x', 'y', 'width', 'height'] as const) {
    if (typeof rect[k] !== 'number' || !Number.isFinite(rect[k]))
      throw new RangeError(`rect.${k} must be a finite number`);
  }
  if (rect.width < 0 || rect.height < 0) throw new RangeError('rect.width and rect.height must not be negative');
  const x0 = Math.max(0, Math.round(rect.x));
  const y0 = Math.max(0, Math.round(rect.y));
  const x1 = Math.min(img.width, Math.round(rect.x + rect.width));
  const y1 = Math.min(img.height, Math.round(rect.y + rect.height));
  if (x1 <= x0 || y1 <= y0) {
    throw imageError('image/empty-region', 'the crop rectangle does not overlap the image', {
      rect: { ...rect },
      width: img.width,
      height: img.height,
    });
  }
  const w = x1 - x0;
  const h = y1 - y0;
  const ch = img.channels;
  const out = new Uint8Array(w * h * ch);
  const rowLen = w * ch;
  for (let y = 0; y < h; y++) {
    const s = ((y0 + y) * img.width + x0) * ch;
    out.set(img.data.subarray(s, s + rowLen), y * rowLen);
  }
  return { width: w, height: h, channels: ch, data: out };
}
