import { isSmartCitizenError } from '@smart-citizen/core';
import { decodeBmp } from './decoders/decodeBmp.js';
import { decodeJpeg } from './decoders/decodeJpeg.js';
import { decodeJpeg2000 } from './decoders/decodeJpeg2000.js';
import { decodePng } from './decoders/decodePng.js';
import { decodeWebp } from './decoders/decodeWebp.js';
import { assertBytes, imageError } from './imageErrors.js';
import { applyOrientation } from './orientation.js';
import type { RasterImage } from './RasterImage.js';
import { readExifOrientation } from './readExifOrientation.js';
import { readImageInfo } from './readImageInfo.js';
import { fitWithin, resize } from './resize.js';

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /**
   * Turn the image upright according to its EXIF orientation (JPEG APP1, PNG `eXIf`, WebP
   * `EXIF`), as browsers and sharp's `.rotate()` do. Orientations 5–8 swap width and height.
   * @default true
   */
  applyExifOrientation?: boolean;
  /**
   * Refuse images with more pixels than this (`image/too-large`), judged from the header
   * before any pixel buffer is allocated. Guards against decompression bombs.
   * @default 40_000_000
   */
  maxPixels?: number;
  /**
   * Refuse files larger than this (`image/too-large`) before parsing anything: a 50 MB upload
   * is not an ID photo, and a lower cap keeps a kiosk server's memory per request bounded.
   * @default 33_554_432 (32 MiB)
   */
  maxBytes?: number;
  /**
   * When set, images whose longer side exceeds it are downscaled (area filter, aspect ratio
   * kept) right after decoding, before orientation is applied.
   * @default undefined (no downscaling)
   */
  maxDimension?: number;
}

/** Default pixel limit of {@link decodeImage}: 40 megapixels. */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/** Default file-size limit of {@link decodeImage}: 32 MiB. */
export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Decode a JPEG, PNG, WebP, BMP or JPEG 2000 (JP2 or bare codestream) file into a {@link RasterImage}. The format is read from the
 * bytes, never from a file name, so a WebP named `.jpg` decodes.
 *
 * Channels of the result: 1 for greyscale JPEG/PNG/BMP (and grey-palette BMP), 4 when the file
 * carries alpha (PNG with an alpha channel or tRNS, WebP with alpha, BMP with an alpha mask),
 * 3 otherwise. 16-bit PNGs are reduced to 8 bits. No colour management (ICC profiles are ignored).
 *
 * @param bytes - The encoded file.
 * @param options - See {@link DecodeImageOptions}.
 * @returns The decoded, upright image.
 * @throws SmartCitizenError `image/unsupported-format` (unknown format, GIF, animated WebP,
 *   lossless/arithmetic/CMYK JPEG), `image/too-large` (more than `maxPixels` or `maxBytes`), `image/corrupt`
 *   (damaged or truncated data), `image/decoder-unavailable` (a JPEG, WebP or JPEG 2000 WebAssembly could not load).
 * @throws TypeError when `bytes` is not a Uint8Array; RangeError for bad options.
 * @example
 * ```ts
 * const img = await decodeImage(new Uint8Array(await file.arrayBuffer()), { maxDimension: 2048 });
 * ```
 */
export async function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Promise<RasterImage> {
  assertBytes(bytes);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (typeof maxPixels !== 'number' || !(maxPixels >= 1)) {
    throw new RangeError(`options.maxPixels must be a number ≥ 1, got ${String(maxPixels)}`);
  }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !(maxBytes >= 1)) {
    throw new RangeError(`options.maxBytes must be a number ≥ 1, got ${String(maxBytes)}`);
  }
  if (bytes.length > maxBytes) {
    throw imageError('image/too-large', `file of ${bytes.length} bytes exceeds the limit of ${maxBytes} bytes`, {
      bytes: bytes.length,
      maxBytes,
    });
  }
  const maxDimension = options.maxDimension;
  if (maxDimension !== undefined && (!Number.isInteger(maxDimension) || maxDimension < 1)) {
    throw new RangeError(`options.maxDimension must be a positive integer, got ${String(maxDimension)}`);
  }
  const info = readImageInfo(bytes);
  if (info.width * info.height > maxPixels) {
    throw imageError(
      'image/too-large',
      `image of ${info.width}×${info.height} exceeds the limit of ${maxPixels} pixels`,
      {
        width: info.width,
        height: info.height,
        maxPixels,
      },
    );
  }
  let img: RasterImage;
  try {
    switch (info.format) {
      case 'jpeg':
        img = await decodeJpeg(bytes);
        break;
      case 'png':
        img = decodePng(bytes);
        break;
      case 'webp':
        img = await decodeWebp(bytes, info.channels === 4);
        break;
      case 'bmp':
        img = decodeBmp(bytes);
        break;
      case 'jpeg2000':
        img = await decodeJpeg2000(bytes);
        break;
      default:
        throw imageError('image/unsupported-format', `${info.format.toUpperCase()} images are not supported`, {
          format: info.format,
        });
    }
  } catch (err) {
    if (isSmartCitizenError(err)) throw err;
    throw imageError(
      'image/corrupt',
      `${info.format.toUpperCase()} data could not be decoded`,
      { format: info.format },
      err,
    );
  }
  if (img.width !== info.width || img.height !== info.height) {
    throw imageError('image/corrupt', 'decoded size differs from the header', { format: info.format });
  }
  if (maxDimension !== undefined && Math.max(img.width, img.height) > maxDimension) {
    img = resize(img, { ...fitWithin(img.width, img.height, maxDimension), method: 'area' });
  }
  if (options.applyExifOrientation ?? true) {
    const orientation = readExifOrientation(bytes);
    if (orientation !== 1) img = applyOrientation(img, orientation);
  }
  return img;
}
