import { estimateHomography, type Matrix3x3, type RasterImage, toRgb, warpPerspective } from '@smart-citizen/image';
import { CANONICAL_HEIGHT, CANONICAL_WIDTH } from '../layout/canonical.js';
import type { Quad } from './findCardQuad.js';

/** The card warped to the canonical frame, and the homography canonical → photo. */
export interface RectifiedCard {
  /** RGB, {@link CANONICAL_WIDTH} × {@link CANONICAL_HEIGHT}. */
  image: RasterImage;
  /** Maps canonical pixels to photo pixels (for positions of crops in the photo). */
  toPhoto: Matrix3x3;
}

const CANONICAL_CORNERS = [
  { x: 0, y: 0 },
  { x: CANONICAL_WIDTH, y: 0 },
  { x: CANONICAL_WIDTH, y: CANONICAL_HEIGHT },
  { x: 0, y: CANONICAL_HEIGHT },
];

/**
 * Warp the card inside `quad` to the canonical 12 px/mm frame, optionally turned by 180°.
 *
 * @param img - The photo.
 * @param quad - Card corners (top-left first, long side first).
 * @param turned - The card is upside down in the quad: start from the opposite corner.
 * @param scale - Size of the image relative to the canonical frame (a cheaper, smaller warp for
 *   layout checks); `toPhoto` still maps canonical pixels. @default 1
 */
export function rectifyCard(img: RasterImage, quad: Quad, turned = false, scale = 1): RectifiedCard {
  const corners = turned ? [quad[2], quad[3], quad[0], quad[1]] : quad;
  const width = Math.round(CANONICAL_WIDTH * scale);
  const height = Math.round(CANONICAL_HEIGHT * scale);
  const frame = CANONICAL_CORNERS.map((p) => ({
    x: (p.x * width) / CANONICAL_WIDTH,
    y: (p.y * height) / CANONICAL_HEIGHT,
  }));
  const rgb = img.channels === 3 ? img : toRgb(img);
  return {
    image: warpPerspective(rgb, estimateHomography(corners, frame), { width, height, fill: [255, 255, 255] }),
    toPhoto: cardToPhoto(quad, turned),
  };
}

/** The homography from canonical card pixels to the photo, without warping anything. */
export function cardToPhoto(quad: Quad, turned = false): Matrix3x3 {
  return estimateHomography(CANONICAL_CORNERS, turned ? [quad[2], quad[3], quad[0], quad[1]] : quad);
}

/** Rotate an image by 180°. */
export function rotate180(img: RasterImage): RasterImage {
  const out = new Uint8Array(img.data.length);
  const ch = img.channels;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) out[(n - 1 - i) * ch + c] = img.data[i * ch + c] as number;
  return { ...img, data: out };
}
