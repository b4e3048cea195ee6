import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { readBmpHeader } from '../readImageInfo.js';

function corrupt(why: string): never {
  throw imageError('image/corrupt', `BMP data is corrupt: ${why}`, { format: 'bmp' });
}

/** Shift and scale that turn a bit-field mask into an 8-bit value. */
function maskReader(mask: number): (v: number) => number {
  if (mask === 0) return () => 255;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (((mask >>> (shift + bits)) & 1) === 1 && shift + bits < 32) bits++;
  const max = 2 ** bits - 1;
  return (v) => Math.round((((v & mask) >>> shift) * 255) / max);
}

/** Expand RLE8 / RLE4 data into one palette index per pixel, bottom-up row order as stored. */
function decodeRle(b: Uint8Array, start: number, width: number, height: number, four: boolean): Uint8Array {
  const idx = new Uint8Array(width * height);
  let x = 0;
  let y = 0;
  let o = start;
  while (o + 1 < b.length && y < height) {
    const count = b[o++] as number;
    const value = b[o++] as number;
    if (count > 0) {
      for (let k = 0; k < count && x < width; k++, x++) {
        idx[y * width + x] = four ? (k & 1 ? value & 0x0f : value >> 4) : value;
      }
    } else if (value === 0) {
      x = 0;
      y++;
    } else if (value === 1) {
      return idx;
    } else if (value === 2) {
      if (o + 1 >= b.length) break;
      x += b[o++] as number;
      y += b[o++] as number;
    } else {
      // Absolute run of `value` pixels, padded to 16 bits.
      const nBytes = four ? Math.ceil(value / 2) : value;
      if (o + nBytes > b.length) corrupt('RLE run past the end of the data');
      for (let k = 0; k < value; k++) {
        const byte = b[o + (four ? k >> 1 : k)] as number;
        if (x < width) idx[y * width + x] = four ? (k & 1 ? byte & 0x0f : byte >> 4) : byte;
        x++;
      }
      o += nBytes + (nBytes & 1);
    }
  }
  if (y < height) corrupt('RLE data ends early');
  return idx;
}

/**
 * @internal Decode a Windows BMP: 1/4/8-bit palettes (uncompressed, RLE4, RLE8), 16/24/32-bit,
 * bit fields, top-down or bottom-up rows. Grey palettes give 1 channel; an alpha mask gives 4.
 */
export function decodeBmp(bytes: Uint8Array): RasterImage {
  const h = readBmpHeader(bytes);
  const { width, height, bpp, compression } = h;
  const n = width * height;
  if (h.pixelOffset >= bytes.length) corrupt('pixel data offset past the end');
  const rowOf = (storedRow: number) => (h.topDown ? storedRow : height - 1 - storedRow);

  if (bpp === 1 || bpp === 2 || bpp === 4 || bpp === 8) {
    const entries = h.colorsUsed > 0 ? h.colorsUsed : 1 << bpp;
    if (entries > 256) corrupt('palette too large');
    const entrySize = h.headerSize === 12 ? 3 : 4;
    const palStart = 14 + h.headerSize + (compression === 3 ? 12 : compression === 6 ? 16 : 0);
    if (palStart + entries * entrySize > bytes.length) corrupt('palette runs past the end');
    const pal = bytes.subarray(palStart, palStart + entries * entrySize);
    let grey = true;
    for (let i = 0; i < entries && grey; i++) {
      const o = i * entrySize;
      grey = pal[o] === pal[o + 1] && pal[o] === pal[o + 2];
    }
    const channels = grey ? 1 : 3;
    const out = new Uint8Array(n * channels);
    const put = (x: number, y: number, index: number) => {
      if (index >= entries) corrupt('palette index out of range');
      const p = index * entrySize;
      const o = (y * width + x) * channels;
      if (grey) out[o] = pal[p] as number;
      else {
        out[o] = pal[p + 2] as number;
        out[o + 1] = pal[p + 1] as number;
        out[o + 2] = pal[p] as number;
      }
    };
    if (compression === 1 || compression === 2) {
      if ((compression === 1 && bpp !== 8) || (compression === 2 && bpp !== 4) || h.topDown) {
        corrupt('RLE compression does not match the bit depth');
      }
      const idx = decodeRle(bytes, h.pixelOffset, width, height, compression === 2);
      for (let r = 0; r < height; r++) for (let x = 0; x < width; x++) put(x, rowOf(r), idx[r * width + x] as number);
      return { width, height, channels, data: out };
    }
    if (compression !== 0) corrupt('unsupported compression for a palette image');
    const stride = Math.ceil((width * bpp) / 32) * 4;
    if (h.pixelOffset + stride * height > bytes.length) corrupt('pixel data is truncated');
    const perByte = 8 / bpp;
    const mask = (1 << bpp) - 1;
    for (let r = 0; r < height; r++) {
      const rowStart = h.pixelOffset + r * stride;
      const y = rowOf(r);
      for (let x = 0; x < width; x++) {
        const byte = bytes[rowStart + Math.floor(x / perByte)] as number;
        const shift = 8 - bpp * ((x % perByte) + 1);
        put(x, y, (byte >> shift) & mask);
      }
    }
    return { width, height, channels, data: out };
  }

  if (bpp !== 16 && bpp !== 24 && bpp !== 32) corrupt(`unsupported bit depth ${bpp}`);
  if (compression !== 0 && compression !== 3 && compression !== 6) corrupt('unsupported compression');
  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (h.pixelOffset + stride * height > bytes.length) corrupt('pixel data is truncated');
  const masks =
    h.masks ??
    (bpp === 16 ? ([0x7c00, 0x03e0, 0x001f, 0] as const) : ([0x00ff0000, 0x0000ff00, 0x000000ff, 0] as const));
  const channels = masks[3] !== 0 ? 4 : 3;
  const out = new Uint8Array(n * channels);
  if (bpp === 24) {
    for (let r = 0; r < height; r++) {
      const rowStart = h.pixelOffset + r * stride;
      let o = rowOf(r) * width * 3;
      for (let x = 0, s = rowStart; x < width; x++, s += 3, o += 3) {
        out[o] = bytes[s + 2] as number;
        out[o + 1] = bytes[s + 1] as number;
        out[o + 2] = bytes[s] as number;
      }
    }
    return { width, height, channels: 3, data: out };
  }
  const [rr, gr, br, ar] = masks.map(maskReader) as [
    (v: number) => number,
    (v: number) => number,
    (v: number) => number,
    (v: number) => number,
  ];
  const bytesPer = bpp / 8;
  for (let r = 0; r < height; r++) {
    const rowStart = h.pixelOffset + r * stride;
    let o = rowOf(r) * width * channels;
    for (let x = 0, s = rowStart; x < width; x++, s += bytesPer, o += channels) {
      const v =
        bpp === 16
          ? (bytes[s] as number) | ((bytes[s + 1] as number) << 8)
          : ((bytes[s] as number) |
              ((bytes[s + 1] as number) << 8) |
              ((bytes[s + 2] as number) << 16) |
              ((bytes[s + 3] as number) << 24)) >>>
            0;
      out[o] = rr(v);
      out[o + 1] = gr(v);
      out[o + 2] = br(v);
      if (channels === 4) out[o + 3] = ar(v);
    }
  }
  return { width, height, channels, data: out };
}
