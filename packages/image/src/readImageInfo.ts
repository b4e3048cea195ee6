import { i32le, u16be, u16le, u32be, u32le, fourcc } from './bytes.js';
import { type ImageFormat, detectImageFormat } from './detectImageFormat.js';
import { imageError } from './imageErrors.js';

/** What the header of an encoded image says, read without decoding any pixel. */
export interface ImageInfo {
  format: Exclude<ImageFormat, 'unknown'>;
  /** Width in pixels as stored (before EXIF orientation). */
  width: number;
  /** Height in pixels as stored (before EXIF orientation). */
  height: number;
  /** Channels {@link decodeImage} returns for this file: 1 grey, 3 RGB, 4 with alpha. */
  channels: 1 | 3 | 4;
}

/** @internal Offsets of the JPEG parts the decoder needs. */
export interface JpegLayout {
  width: number;
  height: number;
  components: number;
  /** Offset of the first SOS marker. */
  firstScan: number;
  /** Offset of the APP1 Exif TIFF header, or -1. */
  exifTiff: number;
  exifEnd: number;
}

function corrupt(format: string, why: string): never {
  throw imageError('image/corrupt', `${format} header is corrupt: ${why}`, { format });
}

/** @internal Walk the JPEG marker segments up to the first scan. */
export function readJpegLayout(b: Uint8Array): JpegLayout {
  let o = 2;
  let width = -1;
  let height = -1;
  let components = 0;
  let exifTiff = -1;
  let exifEnd = -1;
  while (o < b.length) {
    if (b[o] !== 0xff) corrupt('JPEG', 'expected a marker');
    while (o < b.length && b[o] === 0xff) o++; // fill bytes
    const marker = b[o++];
    if (marker === undefined) break;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9) corrupt('JPEG', 'end of image before any scan');
    const len = u16be(b, o);
    if (len < 2 || o + len > b.length) corrupt('JPEG', 'segment runs past the end of the data');
    if (marker === 0xda) {
      if (width < 0) corrupt('JPEG', 'scan before frame header');
      return { width, height, components, firstScan: o - 2, exifTiff, exifEnd };
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (len < 8) corrupt('JPEG', 'short frame header');
      height = u16be(b, o + 3);
      width = u16be(b, o + 5);
      components = b[o + 7] ?? 0;
      if (marker !== 0xc0 && marker !== 0xc1 && marker !== 0xc2) {
        throw imageError('image/unsupported-format', 'JPEG coding process not supported (lossless or arithmetic)', {
          format: 'jpeg',
          marker,
        });
      }
      if (components === 4) {
        throw imageError('image/unsupported-format', 'CMYK/YCCK JPEG is not supported', { format: 'jpeg' });
      }
      if (components !== 1 && components !== 3) corrupt('JPEG', 'bad component count');
    } else if (
      marker === 0xe1 &&
      exifTiff < 0 &&
      len >= 8 &&
      b[o + 2] === 0x45 &&
      b[o + 3] === 0x78 &&
      b[o + 4] === 0x69 &&
      b[o + 5] === 0x66 &&
      b[o + 6] === 0 &&
      b[o + 7] === 0
    ) {
      exifTiff = o + 8;
      exifEnd = o + len;
    }
    o += len;
  }
  return corrupt('JPEG', 'no image scan');
}

/** @internal A PNG chunk: type and data range. */
export interface PngChunk {
  type: string;
  start: number;
  end: number;
}

/** @internal Walk the PNG chunks; requires IHDR first and IEND at the end. */
export function readPngChunks(b: Uint8Array): PngChunk[] {
  const chunks: PngChunk[] = [];
  let o = 8;
  for (;;) {
    const len = u32be(b, o);
    if (len < 0 || len > 0x7fffffff || o + 12 + len > b.length)
      corrupt('PNG', 'chunk runs past the end of the data (truncated file)');
    const type = fourcc(b, o + 4);
    chunks.push({ type, start: o + 8, end: o + 8 + len });
    o += 12 + len;
    if (type === 'IEND') return chunks;
    if (chunks.length === 1 && type !== 'IHDR') corrupt('PNG', 'first chunk is not IHDR');
  }
}

function pngInfo(b: Uint8Array): ImageInfo {
  if (fourcc(b, 12) !== 'IHDR' || u32be(b, 8) !== 13) corrupt('PNG', 'missing IHDR');
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const depth = b[24];
  const colorType = b[25];
  if (depth === undefined || colorType === undefined) corrupt('PNG', 'short IHDR');
  if (![1, 2, 4, 8, 16].includes(depth)) corrupt('PNG', 'bad bit depth');
  let channels: 1 | 3 | 4;
  if (colorType === 0) channels = 1;
  else if (colorType === 2) channels = 3;
  else if (colorType === 3) channels = 3;
  else if (colorType === 4 || colorType === 6) channels = 4;
  else return corrupt('PNG', 'bad colour type');
  return { format: 'png', width, height, channels };
}

function webpInfo(b: Uint8Array): ImageInfo {
  const riffSize = u32le(b, 4);
  if (riffSize < 4) corrupt('WebP', 'bad RIFF size');
  const chunk = fourcc(b, 12);
  if (chunk === 'VP8X') {
    const flags = b[20];
    if (flags === undefined || b.length < 30) corrupt('WebP', 'short VP8X chunk');
    if (flags & 0x02) {
      throw imageError('image/unsupported-format', 'animated WebP is not supported', { format: 'webp' });
    }
    const width = 1 + ((b[24] as number) | ((b[25] as number) << 8) | ((b[26] as number) << 16));
    const height = 1 + ((b[27] as number) | ((b[28] as number) << 8) | ((b[29] as number) << 16));
    return { format: 'webp', width, height, channels: flags & 0x10 ? 4 : 3 };
  }
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) corrupt('WebP', 'bad VP8 start code');
    const width = u16le(b, 26) & 0x3fff;
    const height = u16le(b, 28) & 0x3fff;
    return { format: 'webp', width, height, channels: 3 };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f || b.length < 25) corrupt('WebP', 'bad VP8L signature');
    const bits = u32le(b, 21);
    const width = 1 + (bits & 0x3fff);
    const height = 1 + ((bits >>> 14) & 0x3fff);
    const alpha = (bits >>> 28) & 1;
    return { format: 'webp', width, height, channels: alpha ? 4 : 3 };
  }
  return corrupt('WebP', 'unknown first chunk');
}

/** @internal BMP header fields. */
export interface BmpHeader {
  pixelOffset: number;
  headerSize: number;
  width: number;
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  colorsUsed: number;
  masks: [number, number, number, number] | undefined;
}

/** @internal */
export function readBmpHeader(b: Uint8Array): BmpHeader {
  const pixelOffset = u32le(b, 10);
  const headerSize = u32le(b, 14);
  if (pixelOffset < 0 || headerSize < 0) corrupt('BMP', 'short header');
  if (headerSize === 12) {
    const width = u16le(b, 18);
    const height = u16le(b, 20);
    const bpp = u16le(b, 24);
    if (bpp < 0) corrupt('BMP', 'short header');
    return {
      pixelOffset,
      headerSize,
      width,
      height,
      topDown: false,
      bpp,
      compression: 0,
      colorsUsed: 0,
      masks: undefined,
    };
  }
  const width = i32le(b, 18);
  const rawHeight = i32le(b, 22);
  const bpp = u16le(b, 28);
  const compression = u32le(b, 30);
  const colorsUsed = headerSize >= 40 ? u32le(b, 46) : 0;
  if (width === undefined || rawHeight === undefined || bpp < 0 || compression < 0 || colorsUsed < 0) {
    corrupt('BMP', 'short header');
  }
  if (width <= 0 || rawHeight === 0 || rawHeight === -2147483648) corrupt('BMP', 'bad dimensions');
  let masks: BmpHeader['masks'];
  if (compression === 3 || compression === 6) {
    // BITFIELDS: masks inside a V2+ header, or right after a 40-byte header.
    const at = 14 + 40;
    const hasAlphaMask = compression === 6 || headerSize >= 56;
    masks = [u32le(b, at), u32le(b, at + 4), u32le(b, at + 8), hasAlphaMask ? u32le(b, at + 12) : 0];
    if (masks.some((m) => m < 0)) corrupt('BMP', 'short bit masks');
  } else if (headerSize >= 56 && compression === 0 && (bpp === 16 || bpp === 32)) {
    const a = u32le(b, 14 + 52);
    masks = bpp === 32 ? [0x00ff0000, 0x0000ff00, 0x000000ff, a > 0 ? a : 0] : [0x7c00, 0x03e0, 0x001f, 0];
  }
  return {
    pixelOffset,
    headerSize,
    width,
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bpp,
    compression,
    colorsUsed,
    masks,
  };
}

function bmpPaletteIsGrey(b: Uint8Array, h: BmpHeader): boolean {
  const entries = h.colorsUsed > 0 ? h.colorsUsed : 1 << h.bpp;
  const entrySize = h.headerSize === 12 ? 3 : 4;
  const start = 14 + h.headerSize;
  for (let i = 0; i < entries; i++) {
    const o = start + i * entrySize;
    if (o + 3 > b.length) return false;
    if (b[o] !== b[o + 1] || b[o] !== b[o + 2]) return false;
  }
  return true;
}

function bmpInfo(b: Uint8Array): ImageInfo {
  const h = readBmpHeader(b);
  let channels: 1 | 3 | 4;
  if (h.bpp <= 8) channels = bmpPaletteIsGrey(b, h) ? 1 : 3;
  else channels = h.masks !== undefined && h.masks[3] !== 0 ? 4 : 3;
  return { format: 'bmp', width: h.width, height: h.height, channels };
}

function gifInfo(b: Uint8Array): ImageInfo {
  const width = u16le(b, 6);
  const height = u16le(b, 8);
  if (width < 0 || height < 0) corrupt('GIF', 'short header');
  return { format: 'gif', width, height, channels: 3 };
}

/** @internal What the decoder needs of a JPEG 2000 file: where its codestream is, and the SIZ header. */
export interface Jpeg2000Layout {
  /** The codestream (SOC … EOC): the whole input, or the `jp2c` box's content of a JP2 file. */
  codestreamStart: number;
  codestreamEnd: number;
  width: number;
  height: number;
  components: number;
  /** Bit depth of each component (1–38). */
  bitDepths: number[];
  signed: boolean[];
  /** Some component is subsampled (XRsiz or YRsiz above 1). */
  subsampled: boolean;
  /** JP2 `colr` enumerated colour space (16 sRGB, 17 greyscale, 18 sYCC), when given. */
  colourSpace?: number;
}

/** The boxes of a JP2 file (ISO/IEC 15444-1 annex I) in `[start, end)`: type and content range. */
function jp2Boxes(b: Uint8Array, start: number, end: number): { type: string; from: number; to: number }[] {
  const boxes: { type: string; from: number; to: number }[] = [];
  let o = start;
  while (o < end) {
    if (o + 8 > end) corrupt('JPEG 2000', 'box header runs past the end of the data');
    let length = u32be(b, o);
    const type = fourcc(b, o + 4);
    let header = 8;
    if (length === 1) {
      // 64-bit XLBox: only sizes a browser or Node can hold are accepted.
      if (o + 16 > end || u32be(b, o + 8) !== 0) corrupt('JPEG 2000', 'box too large');
      length = u32be(b, o + 12);
      header = 16;
    } else if (length === 0) length = end - o;
    if (length < header || o + length > end) corrupt('JPEG 2000', `${type} box runs past the end of the data`);
    boxes.push({ type, from: o + header, to: o + length });
    o += length;
    if (boxes.length > 10_000) corrupt('JPEG 2000', 'too many boxes');
  }
  return boxes;
}

/** @internal Find the codestream of a JPEG 2000 file and read its SIZ marker segment. */
export function readJpeg2000Layout(b: Uint8Array): Jpeg2000Layout {
  let start = 0;
  let end = b.length;
  let colourSpace: number | undefined;
  if (!(b[0] === 0xff && b[1] === 0x4f)) {
    const boxes = jp2Boxes(b, 0, b.length);
    const jp2h = boxes.find((x) => x.type === 'jp2h');
    const colr = jp2h ? jp2Boxes(b, jp2h.from, jp2h.to).find((x) => x.type === 'colr') : undefined;
    if (colr && b[colr.from] === 1) colourSpace = u32be(b, colr.from + 3);
    const jp2c = boxes.find((x) => x.type === 'jp2c');
    if (!jp2c) corrupt('JPEG 2000', 'JP2 file holds no codestream (jp2c) box');
    start = jp2c.from;
    end = jp2c.to;
  }
  // SOC, then SIZ: Lsiz Rsiz Xsiz Ysiz XOsiz YOsiz XTsiz YTsiz XTOsiz YTOsiz Csiz, then Ssiz XRsiz YRsiz per component.
  if (u16be(b, start) !== 0xff4f || u16be(b, start + 2) !== 0xff51)
    corrupt('JPEG 2000', 'codestream does not open with SOC and SIZ');
  const o = start + 4;
  const lsiz = u16be(b, o);
  const components = u16be(b, o + 36);
  if (components < 1 || lsiz !== 38 + 3 * components || o + lsiz > end) corrupt('JPEG 2000', 'bad SIZ marker segment');
  const width = u32be(b, o + 4) - u32be(b, o + 12);
  const height = u32be(b, o + 8) - u32be(b, o + 16);
  const bitDepths: number[] = [];
  const signed: boolean[] = [];
  let subsampled = false;
  for (let c = 0; c < components; c++) {
    const ssiz = b[o + 38 + 3 * c] as number;
    bitDepths.push((ssiz & 0x7f) + 1);
    signed.push((ssiz & 0x80) !== 0);
    if (b[o + 39 + 3 * c] !== 1 || b[o + 40 + 3 * c] !== 1) subsampled = true;
  }
  if (!(width > 0 && height > 0)) corrupt('JPEG 2000', 'zero width or height');
  return {
    codestreamStart: start,
    codestreamEnd: end,
    width,
    height,
    components,
    bitDepths,
    signed,
    subsampled,
    ...(colourSpace !== undefined ? { colourSpace } : {}),
  };
}

/** A JPEG or JPEG 2000 header's size, and the channels decoding gives (grey stays grey). */
function layoutInfo(format: 'jpeg' | 'jpeg2000', l: { width: number; height: number; components: number }): ImageInfo {
  return { format, width: l.width, height: l.height, channels: l.components === 1 ? 1 : 3 };
}

/** How each format's header is read. */
const headerReaders: Record<Exclude<ImageFormat, 'unknown'>, (bytes: Uint8Array) => ImageInfo> = {
  jpeg: (bytes) => layoutInfo('jpeg', readJpegLayout(bytes)),
  png: pngInfo,
  webp: webpInfo,
  bmp: bmpInfo,
  gif: gifInfo,
  jpeg2000: (bytes) => layoutInfo('jpeg2000', readJpeg2000Layout(bytes)),
};

/**
 * Read an encoded image's format, dimensions and the channel count {@link decodeImage} will
 * return, from the header only (no pixel is decoded, nothing large is allocated).
 *
 * @param bytes - The encoded file.
 * @returns The header information.
 * @throws SmartCitizenError `image/unsupported-format` for an unknown format,
 *   `image/corrupt` when the header is damaged or truncated.
 */
export function readImageInfo(bytes: Uint8Array): ImageInfo {
  const format = detectImageFormat(bytes);
  if (format === 'unknown') {
    throw imageError('image/unsupported-format', 'not a JPEG, PNG, WebP, BMP, GIF or JPEG 2000 file', {
      length: bytes.length,
    });
  }
  const info = headerReaders[format](bytes);
  if (!(info.width > 0 && info.height > 0)) corrupt(format.toUpperCase(), 'zero width or height');
  return info;
}
