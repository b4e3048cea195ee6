/**
 * @internal Generated test images and hand-made encoders for the image tests (not exported
 * from the package).
 */
import { encode as encodeJpegJs } from 'jpeg-js';
import type { Point } from '../geometry.js';
import type { RasterImage } from '../RasterImage.js';
import { tiffWithOrientation } from './tiffWithOrientation.js';

export { tiffWithOrientation };

/** ArcFace 112×112 five-point template (eyes, nose, mouth corners), as used by insightface. */
export const ARCFACE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/** The corners of the rectangle from (0, 0) to (`right`, `bottom`), clockwise from the top left. */
export function rectCorners(right: number, bottom: number): Point[] {
  return [
    { x: 0, y: 0 },
    { x: right, y: 0 },
    { x: right, y: bottom },
    { x: 0, y: bottom },
  ];
}

/** An image of the given size and channels holding `values`, row by row. */
export function raster(width: number, height: number, channels: 1 | 3 | 4, values: number[]): RasterImage {
  return { width, height, channels, data: new Uint8Array(values) };
}

/** A gradient with distinct values per channel, so every orientation is distinguishable. */
export function gradient(width: number, height: number, channels: 1 | 3 | 4): RasterImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) {
        data[o + c] = c === 3 ? 128 + ((x + y) % 128) : (x * 7 + y * 31 + c * 50) % 256;
      }
    }
  }
  return { width, height, channels, data };
}

/** A checkerboard of `cell`-pixel squares, 0 and 255. */
export function checkerboard(width: number, height: number, cell: number, channels: 1 | 3 | 4 = 1): RasterImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0 ? 255 : 0;
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) data[o + c] = c === 3 ? 255 : v;
    }
  }
  return { width, height, channels, data };
}

/** Pixel value at (x, y, c). */
export function px(img: RasterImage, x: number, y: number, c = 0): number {
  return img.data[(y * img.width + x) * img.channels + c] as number;
}

/** Encode RGB (or grey expanded) with jpeg-js at high quality. */
export function encodeJpeg(img: RasterImage, quality = 95): Uint8Array {
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = img.data[i * img.channels + (img.channels === 1 ? 0 : c)] as number;
    rgba[i * 4 + 3] = 255;
  }
  return new Uint8Array(encodeJpegJs({ width: img.width, height: img.height, data: rgba }, quality).data);
}

/** Insert an APP1 Exif segment carrying `orientation` right after a JPEG's SOI marker. */
export function withJpegOrientation(jpeg: Uint8Array, orientation: number, bigEndian = false): Uint8Array {
  const tiff = tiffWithOrientation(orientation, bigEndian);
  const len = 2 + 6 + tiff.length;
  const seg = new Uint8Array(2 + len);
  seg.set([0xff, 0xe1, len >> 8, len & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0], 0);
  seg.set(tiff, 10);
  const out = new Uint8Array(jpeg.length + seg.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(seg, 2);
  out.set(jpeg.subarray(2), 2 + seg.length);
  return out;
}

/** Minimal BMP writer: 24-bit, 32-bit with alpha mask (V4 header), or 8-bit grey palette. */
export function encodeBmp(img: RasterImage, opts: { topDown?: boolean; bpp?: 8 | 24 | 32 } = {}): Uint8Array {
  const bpp = opts.bpp ?? (img.channels === 1 ? 8 : img.channels === 4 ? 32 : 24);
  const { width, height } = img;
  const headerSize = bpp === 32 ? 108 : 40;
  const paletteSize = bpp === 8 ? 256 * 4 : 0;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const offset = 14 + headerSize + paletteSize;
  const out = new Uint8Array(offset + stride * height);
  const dv = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  dv.setUint32(2, out.length, true);
  dv.setUint32(10, offset, true);
  dv.setUint32(14, headerSize, true);
  dv.setInt32(18, width, true);
  dv.setInt32(22, opts.topDown ? -height : height, true);
  dv.setUint16(26, 1, true);
  dv.setUint16(28, bpp, true);
  dv.setUint32(30, bpp === 32 ? 3 : 0, true);
  if (bpp === 32) {
    dv.setUint32(54, 0x00ff0000, true);
    dv.setUint32(58, 0x0000ff00, true);
    dv.setUint32(62, 0x000000ff, true);
    dv.setUint32(66, 0xff000000, true);
  }
  if (bpp === 8) for (let i = 0; i < 256; i++) out.set([i, i, i, 0], 14 + headerSize + i * 4);
  for (let y = 0; y < height; y++) {
    const row = offset + (opts.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * img.channels;
      const g = img.data[s] as number;
      const r = img.channels === 1 ? g : g;
      const gg = img.channels === 1 ? g : (img.data[s + 1] as number);
      const b = img.channels === 1 ? g : (img.data[s + 2] as number);
      if (bpp === 8) out[row + x] = g;
      else if (bpp === 24) out.set([b, gg, r], row + x * 3);
      else out.set([b, gg, r, img.channels === 4 ? (img.data[s + 3] as number) : 255], row + x * 4);
    }
  }
  return out;
}

export { fuzzDecode } from './fuzzDecode.js';
export type { FuzzOutcome } from './fuzzDecode.js';
