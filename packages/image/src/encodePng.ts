import { encode } from 'fast-png';
import type { RasterImage } from './RasterImage.js';
import { assertImage } from './validate.js';

/**
 * Encode an image as an 8-bit PNG (grey, RGB or RGBA as its channels say), with fast-png.
 * Lossless: `decodeImage(encodePng(img))` gives back `img`. Handy for tests and debugging.
 *
 * @param img - Image to encode.
 * @returns The PNG file bytes.
 */
export function encodePng(img: RasterImage): Uint8Array {
  assertImage(img);
  return encode({ width: img.width, height: img.height, channels: img.channels, depth: 8, data: img.data });
}
