import { decode as fastPngDecode } from 'fast-png';
import { Unzlib } from 'fflate';
import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { readPngChunks } from '../readImageInfo.js';

function corrupt(why: string): never {
  throw imageError('image/corrupt', `PNG data is corrupt: ${why}`, { format: 'png' });
}

/** Unpack 1/2/4-bit samples (rows padded to whole bytes) into one byte per sample, unscaled. */
function unpackSubByte(src: Uint8Array, width: number, height: number, channels: number, depth: number): Uint8Array {
  const perRow = width * channels;
  const bytesPerRow = Math.ceil((perRow * depth) / 8);
  const out = new Uint8Array(perRow * height);
  const mask = (1 << depth) - 1;
  const perByte = 8 / depth;
  for (let y = 0; y < height; y++) {
    const row = y * bytesPerRow;
    const o = y * perRow;
    for (let i = 0; i < perRow; i++) {
      const byte = src[row + Math.floor(i / perByte)] as number;
      out[o + i] = (byte >> (8 - depth * ((i % perByte) + 1))) & mask;
    }
  }
  return out;
}

const SAMPLES_PER_PIXEL: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Refuse an image stream that inflates to more than its header allows (a decompression bomb: a
 * few hundred KB claiming 100 × 100 px that inflates to hundreds of MB). fast-png inflates the
 * whole stream before looking at the size, so the stream is inflated here first, in 4 KB
 * pieces, and abandoned as soon as it passes the size the header gives (plus the Adam7 filter
 * bytes): at most about 4 MB more than the image is ever produced.
 */
function checkInflatedSize(bytes: Uint8Array, chunks: readonly { type: string; start: number; end: number }[]): void {
  const width = ((bytes[16]! << 24) | (bytes[17]! << 16) | (bytes[18]! << 8) | bytes[19]!) >>> 0;
  const height = ((bytes[20]! << 24) | (bytes[21]! << 16) | (bytes[22]! << 8) | bytes[23]!) >>> 0;
  const bitsPerPixel = (bytes[24] ?? 8) * (SAMPLES_PER_PIXEL[bytes[25] ?? 0] ?? 4);
  const limit = height * (1 + Math.ceil((width * bitsPerPixel) / 8)) + 16 * (height + 8) + 1024;
  let produced = 0;
  const inflate = new Unzlib((data) => {
    produced += data.length;
    if (produced > limit) throw new RangeError('inflated past the header size');
  });
  try {
    for (const c of chunks) {
      if (c.type !== 'IDAT') continue;
      for (let o = c.start; o < c.end; o += 4096) inflate.push(bytes.subarray(o, Math.min(o + 4096, c.end)));
    }
  } catch (err) {
    if (produced > limit) corrupt("the image data inflates to more than the header's size (decompression bomb)");
    throw err;
  }
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
  checkInflatedSize(bytes, chunks);
  const png = fastPngDecode(bytes, { checkCrc: false });
  const { width, height, depth } = png;
  const srcCh = png.channels;
  const n = width * height;
  const src = png.data;
  if (srcCh < 1 || srcCh > 4) corrupt('bad channel count');
  const expected = depth < 8 ? Math.ceil((width * srcCh * depth) / 8) * height : n * srcCh;
  if (src.length !== expected) corrupt('pixel data has the wrong size');

  // Raw samples, one array element per sample (palette indices, or values in the file's depth).
  const raw: Uint8Array | Uint16Array | Uint8ClampedArray =
    depth < 8 ? unpackSubByte(src as Uint8Array, width, height, srcCh, depth) : src;

  if (png.palette) {
    const palette = png.palette;
    const withAlpha = palette.some((e) => e.length === 4 && e[3] !== 255);
    const channels = withAlpha ? 4 : 3;
    const table = new Uint8Array(256 * channels);
    palette.forEach((e, i) => {
      if (i < 256) for (let c = 0; c < channels; c++) table[i * channels + c] = e[c] ?? 255;
    });
    const count = palette.length;
    const out = new Uint8Array(n * channels);
    for (let i = 0, o = 0; i < n; i++, o += channels) {
      const idx = raw[i] as number;
      if (idx >= count) corrupt('palette index out of range');
      const t = idx * channels;
      out[o] = table[t] as number;
      out[o + 1] = table[t + 1] as number;
      out[o + 2] = table[t + 2] as number;
      if (withAlpha) out[o + 3] = table[t + 3] as number;
    }
    return { width, height, channels, data: out };
  }

  // 8-bit view of the samples.
  let s8: Uint8Array;
  if (depth === 8) s8 = src instanceof Uint8Array ? src : new Uint8Array(src);
  else if (depth === 16) {
    s8 = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) s8[i] = (raw[i] as number) >> 8;
  } else {
    const scale = 255 / ((1 << depth) - 1);
    const lut = Uint8Array.from({ length: 1 << depth }, (_, v) => Math.round(v * scale));
    s8 = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) s8[i] = lut[raw[i] as number] as number;
  }

  // tRNS on grey / RGB images names one colour (in the file's bit depth) as fully transparent.
  const key = png.transparency && png.transparency.length >= (srcCh === 1 ? 1 : 3) ? png.transparency : undefined;
  const outCh: 1 | 3 | 4 = srcCh === 2 || srcCh === 4 || key ? 4 : srcCh === 1 ? 1 : 3;
  if (outCh === srcCh) return { width, height, channels: outCh, data: s8 };
  const out = new Uint8Array(n * outCh);
  for (let i = 0, s = 0, o = 0; i < n; i++, s += srcCh, o += outCh) {
    if (srcCh <= 2) {
      const v = s8[s] as number;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
      out[o + 3] = srcCh === 2 ? (s8[s + 1] as number) : key && raw[s] === key[0] ? 0 : 255;
    } else {
      // srcCh === 3 with a tRNS key
      out[o] = s8[s] as number;
      out[o + 1] = s8[s + 1] as number;
      out[o + 2] = s8[s + 2] as number;
      out[o + 3] = key && raw[s] === key[0] && raw[s + 1] === key[1] && raw[s + 2] === key[2] ? 0 : 255;
    }
  }
  return { width, height, channels: outCh, data: out };
}
