import { assertBytes } from './imageErrors.js';

/** Image container formats recognised from their first bytes. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'bmp' | 'gif' | 'jpeg2000' | 'unknown';

/** The JP2 signature box: length 12, type `jP  `, content 0D 0A 87 0A. */
const JP2_SIGNATURE = [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a] as const;

/**
 * Detect an image's real format from its magic bytes, ignoring any file name or MIME type
 * (a WebP file named `.jpg` is reported as `webp`).
 *
 * @param bytes - The encoded file (at least the first 12 bytes).
 * @returns The format, or `unknown` when no known signature matches.
 * @example
 * ```ts
 * detectImageFormat(bytes); // 'webp'
 * ```
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat {
  assertBytes(bytes);
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  ) {
    return 'png';
  }
  if (
    b.length >= 12 &&
    b[0] === 0x52 && // R
    b[1] === 0x49 && // I
    b[2] === 0x46 && // F
    b[3] === 0x46 && // F
    b[8] === 0x57 && // W
    b[9] === 0x45 && // E
    b[10] === 0x42 && // B
    b[11] === 0x50 // P
  ) {
    return 'webp';
  }
  // JPEG 2000: a bare codestream (SOC then SIZ) or a JP2 file (its 12-byte signature box).
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) return 'jpeg2000';
  if (b.length >= 12 && JP2_SIGNATURE.every((x, i) => b[i] === x)) return 'jpeg2000';
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) {
    if ((b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return 'gif';
  }
  // 'BM' plus a DIB header size that a real BMP can have (12, 16, 40, 52, 56, 64, 108, 124).
  if (b.length >= 18 && b[0] === 0x42 && b[1] === 0x4d) {
    const dib = (b[14] ?? 0) | ((b[15] ?? 0) << 8) | ((b[16] ?? 0) << 16) | ((b[17] ?? 0) << 24);
    if ([12, 16, 40, 52, 56, 64, 108, 124].includes(dib)) return 'bmp';
  }
  return 'unknown';
}
