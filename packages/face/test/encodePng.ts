/**
 * Test helper: a PNG of an image (image's `encodePng`) that can carry an `eXIf` chunk with an
 * orientation tag, to make EXIF-rotated fixtures from decoded images.
 */
import { crc32 } from 'node:zlib';
import { encodePng as encodePlainPng, type RasterImage } from '@smart-citizen/image';
import { tiffWithOrientation } from '@smart-citizen/image/testing';

/** Signature (8 bytes) and IHDR chunk (4 length, 4 type, 13 data, 4 CRC): where eXIf may follow. */
const AFTER_IHDR = 8 + 25;

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Encode an image as PNG, optionally with an EXIF orientation. */
export function encodePng(img: RasterImage, orientation?: number): Uint8Array {
  const png = encodePlainPng(img);
  if (orientation === undefined) return png;
  const exif = chunk('eXIf', tiffWithOrientation(orientation));
  return new Uint8Array(Buffer.concat([png.subarray(0, AFTER_IHDR), exif, png.subarray(AFTER_IHDR)]));
}
