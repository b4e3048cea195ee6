/**
 * Test helper: a minimal PNG encoder (8-bit RGB or grey, no filtering) that can carry an
 * `eXIf` chunk with an orientation tag, to make EXIF-rotated fixtures from decoded images.
 */
import { deflateSync } from 'node:zlib';
import type { RasterImage } from '@smart-citizen/image';
import { tiffWithOrientation } from '@smart-citizen/image/testing';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

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
  const ch = img.channels === 1 ? 1 : 3;
  const raw = new Uint8Array((img.width * ch + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    const row = y * (img.width * ch + 1);
    for (let x = 0; x < img.width; x++) {
      for (let c = 0; c < ch; c++) raw[row + 1 + x * ch + c] = img.data[(y * img.width + x) * img.channels + c] ?? 0;
    }
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, img.width);
  v.setUint32(4, img.height);
  ihdr.set([8, ch === 1 ? 0 : 2, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(orientation === undefined ? [] : [chunk('eXIf', tiffWithOrientation(orientation))]),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array()),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
