import { fourcc, u16be, u16le, u32be, u32le } from './bytes.js';
import { detectImageFormat } from './detectImageFormat.js';
import { assertBytes } from './imageErrors.js';
import { readJpegLayout, readPngChunks } from './readImageInfo.js';

/**
 * EXIF orientation (TIFF tag 0x0112): 1 upright, 2 mirrored, 3 rotated 180°, 4 flipped vertically,
 * 5 transposed, 6 rotated 90° clockwise to display, 7 transversed, 8 rotated 90° counter-clockwise.
 */
export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** @internal Orientation tag of a TIFF block in `b[start, end)`, or 1. */
export function orientationFromTiff(b: Uint8Array, start: number, end: number): ExifOrientation {
  const t = b.subarray(start, Math.min(end, b.length));
  const le = t[0] === 0x49 && t[1] === 0x49;
  const be = t[0] === 0x4d && t[1] === 0x4d;
  if (!le && !be) return 1;
  const r16 = le ? u16le : u16be;
  const r32 = le ? u32le : u32be;
  if (r16(t, 2) !== 42) return 1;
  const ifd = r32(t, 4);
  const count = r16(t, ifd);
  if (ifd < 8 || count <= 0) return 1;
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    const tag = r16(t, e);
    if (tag < 0) return 1;
    if (tag === 0x0112) {
      const type = r16(t, e + 2);
      const value = type === 3 ? r16(t, e + 8) : type === 4 ? r32(t, e + 8) : -1;
      return value >= 1 && value <= 8 ? (value as ExifOrientation) : 1;
    }
  }
  return 1;
}

function webpExif(b: Uint8Array): ExifOrientation {
  let o = 12;
  const end = Math.min(b.length, 8 + u32le(b, 4));
  // A file can have at most a few dozen chunks; the bound keeps a crafted file from looping long.
  for (let n = 0; n < 64 && o + 8 <= end; n++) {
    const type = fourcc(b, o);
    const len = u32le(b, o + 4);
    if (len < 0) return 1;
    if (type === 'EXIF') {
      let s = o + 8;
      // Some writers keep the JPEG "Exif\0\0" prefix.
      if (b[s] === 0x45 && b[s + 1] === 0x78 && b[s + 2] === 0x69 && b[s + 3] === 0x66) s += 6;
      return orientationFromTiff(b, s, o + 8 + len);
    }
    o += 8 + len + (len & 1);
  }
  return 1;
}

/**
 * Read the EXIF orientation of a JPEG, PNG (`eXIf` chunk) or WebP (`EXIF` chunk) file.
 *
 * @param bytes - The encoded file.
 * @returns The orientation 1–8; 1 when the file has no (valid) orientation tag or is not an image.
 *   Never throws on damaged data: a damaged EXIF block means "no orientation".
 */
export function readExifOrientation(bytes: Uint8Array): ExifOrientation {
  assertBytes(bytes);
  try {
    switch (detectImageFormat(bytes)) {
      case 'jpeg': {
        const l = readJpegLayout(bytes);
        return l.exifTiff < 0 ? 1 : orientationFromTiff(bytes, l.exifTiff, l.exifEnd);
      }
      case 'png': {
        const exif = readPngChunks(bytes).find((c) => c.type === 'eXIf');
        return exif ? orientationFromTiff(bytes, exif.start, exif.end) : 1;
      }
      case 'webp':
        return webpExif(bytes);
      default:
        return 1;
    }
  } catch {
    return 1;
  }
}
