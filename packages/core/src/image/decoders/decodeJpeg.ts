import { decode as jpegJsDecode } from 'jpeg-js';
import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { readJpegLayout } from '../readImageInfo.js';

/** @internal True when an EOI marker follows the first scan (entropy-coded data never contains FF D9). */
function hasEndOfImage(b: Uint8Array, from: number): boolean {
  for (let i = b.length - 2; i >= from; i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * @internal Decode a baseline or progressive JPEG with jpeg-js. Grey JPEGs keep one channel.
 * jpeg-js runs in tolerant mode (real-world files with small errors decode); a file cut before
 * its end-of-image marker is refused as corrupt instead of coming back half grey.
 */
export function decodeJpeg(bytes: Uint8Array, maxPixels: number): RasterImage {
  const layout = readJpegLayout(bytes);
  if (!hasEndOfImage(bytes, layout.firstScan)) {
    throw imageError('image/corrupt', 'JPEG data is truncated (no end-of-image marker)', { format: 'jpeg' });
  }
  const pixels = layout.width * layout.height;
  const decoded = jpegJsDecode(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: true,
    maxResolutionInMP: Math.max(1, Math.ceil(maxPixels / 1e6)),
    // jpeg-js counts its coefficient buffers too (about 2 bytes per sample per component).
    maxMemoryUsageInMB: Math.max(512, Math.ceil((pixels * 16) / 2 ** 20) + 64),
  });
  const { width, height } = decoded;
  const rgb = decoded.data;
  if (width !== layout.width || height !== layout.height || rgb.length !== width * height * 3) {
    throw imageError('image/corrupt', 'JPEG decoder returned an inconsistent image', { format: 'jpeg' });
  }
  if (layout.components !== 1) return { width, height, channels: 3, data: rgb };
  const grey = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < grey.length; i++, j += 3) grey[i] = rgb[j] as number;
  return { width, height, channels: 1, data: grey };
}
