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
 */
export function rectifyCard(img: RasterImage, quad: Quad, turned = false): RectifiedCard {
  const corners = turned ? [quad[2], quad[3], quad[0], quad[1]] : quad;
  const toPhoto = estimateHomography(CANONICAL_CORNERS, corners);
  const rgb = img.channels === 3 ? img : toRgb(img);
  return {
    image: warpPerspective(rgb, estimateHomography(corners, CANONICAL_CORNERS), {
      width: CANONICAL_WIDTH,
      height: CANONICAL_HEIGHT,
      fill: [255, 255, 255],
    }),
    toPhoto,
  };
}

/** Rotate an image by 180°. */
export function rotate180(img: RasterImage): RasterImage {
  const out = new Uint8Array(img.data.length);
  const ch = img.channels;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) for (let c = 0; c < ch; c++) out[(n - 1 - i) * ch + c] = img.data[i * ch + c] as number;
  return { ...img, data: out };
}
