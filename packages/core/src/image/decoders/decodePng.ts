import { decode as fastPngDecode } from 'fast-png';
import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { readPngChunks } from '../readImageInfo.js';

function corrupt(why: string): never {
  throw imageError('image/corrupt', `PNG data is corrupt: ${why}`, { format: 'png' });
}

/**
 * @internal Decode a PNG with fast-png and normalise it to 8 bits: grey stays 1 channel, grey+alpha
 * and anything with a tRNS transparency becomes RGBA, palettes expand to RGB(A), 16-bit samples
 * keep their high byte.
 */
export function decodePng(bytes: Uint8Array): RasterImage {
  // Walk the chunks first: a file cut short (no IEND) is refused before inflating anything.
  const chunks = readPngChunks(bytes);
  if (!chunks.some((c) => c.type === 'IDAT')) corrupt('no image data');
  const png = fastPngDecode(bytes, { checkCrc: false });
  const { width, height, depth } = png;
  const srcChannels = png.channels;
  const n = width * height;
  const src = png.data;
  const bytesPerRow = Math.ceil((width * srcChannels * depth) / 8);
  const expected = depth < 8 ? bytesPerRow * height : n * srcChannels;
  if (src.length !== expected) corrupt('pixel data has the wrong size');

  // Sample (x, y, channel) as an 8-bit value, or the raw index for palettes.
  const maxSample = (1 << Math.min(depth, 8)) - 1;
  const readRaw = (i: number, c: number, y: number, x: number): number => {
    if (depth === 8) return src[i * srcChannels + c] as number;
    if (depth === 16) return (src[i * srcChannels + c] as number) >> 8;
    const bitPos = (x * srcChannels + c) * depth;
    const byte = src[y * bytesPerRow + (bitPos >> 3)] as number;
    return (byte >> (8 - depth - (bitPos & 7))) & maxSample;
  };
  const scale = png.palette ? 1 : 255 / maxSample;

  if (png.palette) {
    const palette = png.palette;
    const withAlpha = palette.some((e) => e.length === 4 && e[3] !== 255);
    const channels = withAlpha ? 4 : 3;
    const out = new Uint8Array(n * channels);
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const entry = palette[readRaw(i, 0, y, x)];
        if (entry === undefined) corrupt('palette index out of range');
        const o = i * channels;
        out[o] = entry[0] ?? 0;
        out[o + 1] = entry[1] ?? 0;
        out[o + 2] = entry[2] ?? 0;
        if (withAlpha) out[o + 3] = entry[3] ?? 255;
      }
    }
    return { width, height, channels, data: out };
  }

  // tRNS on grey / RGB images names one colour (in the file's bit depth) as fully transparent.
  const key = png.transparency && png.transparency.length >= (srcChannels === 1 ? 1 : 3) ? png.transparency : undefined;
  const isKey = (i: number, y: number, x: number): boolean => {
    if (!key) return false;
    for (let c = 0; c < srcChannels; c++) {
      let raw: number;
      if (depth === 16) raw = src[i * srcChannels + c] as number;
      else if (depth === 8) raw = src[i * srcChannels + c] as number;
      else raw = readRaw(i, c, y, x);
      if (raw !== key[c]) return false;
    }
    return true;
  };

  const outChannels: 1 | 3 | 4 = srcChannels === 2 || srcChannels === 4 || key ? 4 : srcChannels === 1 ? 1 : 3;
  if (srcChannels !== 1 && srcChannels !== 2 && srcChannels !== 3 && srcChannels !== 4) corrupt('bad channel count');
  if (depth === 8 && outChannels === srcChannels && src instanceof Uint8Array) {
    return { width, height, channels: outChannels, data: src };
  }
  const out = new Uint8Array(n * outChannels);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const o = i * outChannels;
      const v0 = Math.round(readRaw(i, 0, y, x) * scale);
      if (srcChannels === 1 || srcChannels === 2) {
        if (outChannels === 1) {
          out[o] = v0;
          continue;
        }
        out[o] = v0;
        out[o + 1] = v0;
        out[o + 2] = v0;
        out[o + 3] = srcChannels === 2 ? Math.round(readRaw(i, 1, y, x) * scale) : isKey(i, y, x) ? 0 : 255;
      } else {
        out[o] = v0;
        out[o + 1] = Math.round(readRaw(i, 1, y, x) * scale);
        out[o + 2] = Math.round(readRaw(i, 2, y, x) * scale);
        if (outChannels === 4) {
          out[o + 3] = srcChannels === 4 ? Math.round(readRaw(i, 3, y, x) * scale) : isKey(i, y, x) ? 0 : 255;
        }
      }
    }
  }
  return { width, height, channels: outChannels, data: out };
}
