import { assertMatrix, invert3x3, invertAffine, type Matrix2x3, type Matrix3x3 } from './geometry.js';
import type { RasterImage } from './RasterImage.js';
import { assertImage, assertPositiveInt } from './validate.js';

/** Options of {@link warpAffine} and {@link warpPerspective}. */
export interface WarpOptions {
  /** Output width in pixels. */
  width: number;
  /** Output height in pixels. */
  height: number;
  /**
   * Value of output pixels that map outside the source: one number for every channel, or one
   * per channel.
   * @default 0
   */
  fill?: number | readonly number[];
  /**
   * `bilinear` blends the 4 nearest source pixels (edges blend with `fill`, like OpenCV's
   * constant border); `nearest` takes the closest one.
   * @default 'bilinear'
   */
  interpolation?: 'bilinear' | 'nearest';
}

/** Checks the arguments of a warp: the image, its `size`-element matrix and the options. */
function checkWarp(
  img: RasterImage,
  matrix: unknown,
  size: 6 | 9,
  name: string,
  options: WarpOptions,
): { W: number; H: number; fill: Float64Array; nearest: boolean } {
  assertImage(img);
  assertMatrix(matrix, size, name);
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  assertPositiveInt(options.width, 'options.width');
  assertPositiveInt(options.height, 'options.height');
  const interpolation = options.interpolation ?? 'bilinear';
  if (interpolation !== 'bilinear' && interpolation !== 'nearest') {
    throw new RangeError(`options.interpolation must be 'bilinear' or 'nearest', got ${String(interpolation)}`);
  }
  const ch = img.channels;
  const f = options.fill ?? 0;
  const fill = new Float64Array(ch);
  if (typeof f === 'number') fill.fill(f);
  else if (Array.isArray(f) && f.length === ch) fill.set(f);
  else throw new RangeError(`options.fill must be a number or an array of ${ch} numbers`);
  for (const v of fill) if (!(v >= 0 && v <= 255)) throw new RangeError('options.fill values must be within 0–255');
  return { W: options.width, H: options.height, fill, nearest: interpolation === 'nearest' };
}

/**
 * Fast path: bilinear sample when all 4 neighbours are inside the image (the common case).
 * Returns false, writing nothing, when the point is near or past the border.
 */
function bilinearInside(img: RasterImage, sx: number, sy: number, out: Uint8Array, o: number): boolean {
  const w = img.width;
  if (!(sx >= 0 && sy >= 0 && sx < w - 1 && sy < img.height - 1)) return false;
  const x0 = sx | 0;
  const y0 = sy | 0;
  const fx = sx - x0;
  const fy = sy - y0;
  const ch = img.channels;
  const data = img.data;
  const s = (y0 * w + x0) * ch;
  const t = s + w * ch;
  for (let c = 0; c < ch; c++) {
    const p = data[s + c] as number;
    const q = data[t + c] as number;
    const top = p + ((data[s + ch + c] as number) - p) * fx;
    const bot = q + ((data[t + ch + c] as number) - q) * fx;
    out[o + c] = (top + (bot - top) * fy + 0.5) | 0;
  }
  return true;
}

/** Sample `img` at (sx, sy) into out[o…o+ch). */
function sampleInto(
  img: RasterImage,
  sx: number,
  sy: number,
  out: Uint8Array,
  o: number,
  fill: Float64Array,
  nearest: boolean,
): void {
  const { width: w, height: h, channels: ch, data } = img;
  if (nearest) {
    const x = Math.round(sx);
    const y = Math.round(sy);
    if (x >= 0 && y >= 0 && x < w && y < h) {
      const s = (y * w + x) * ch;
      for (let c = 0; c < ch; c++) out[o + c] = data[s + c] as number;
    } else {
      for (let c = 0; c < ch; c++) out[o + c] = fill[c] as number;
    }
    return;
  }
  if (!(sx > -1 && sy > -1 && sx < w && sy < h)) {
    for (let c = 0; c < ch; c++) out[o + c] = fill[c] as number;
    return;
  }
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const inX0 = x0 >= 0;
  const inX1 = x0 + 1 < w;
  const inY0 = y0 >= 0;
  const inY1 = y0 + 1 < h;
  const s00 = (y0 * w + x0) * ch;
  const s01 = s00 + ch;
  const s10 = s00 + w * ch;
  const s11 = s10 + ch;
  if (inX0 && inX1 && inY0 && inY1) {
    for (let c = 0; c < ch; c++) {
      const a = data[s00 + c] as number;
      const b = data[s01 + c] as number;
      const top = a + (b - a) * fx;
      const d = data[s10 + c] as number;
      const e = data[s11 + c] as number;
      const bot = d + (e - d) * fx;
      out[o + c] = Math.round(top + (bot - top) * fy);
    }
    return;
  }
  for (let c = 0; c < ch; c++) {
    const f = fill[c] as number;
    const a = inX0 && inY0 ? (data[s00 + c] as number) : f;
    const b = inX1 && inY0 ? (data[s01 + c] as number) : f;
    const d = inX0 && inY1 ? (data[s10 + c] as number) : f;
    const e = inX1 && inY1 ? (data[s11 + c] as number) : f;
    const top = a + (b - a) * fx;
    const bot = d + (e - d) * fx;
    out[o + c] = Math.round(top + (bot - top) * fy);
  }
}

/**
 * Warp an image with an affine transform that maps source coordinates to destination
 * coordinates (like OpenCV `warpAffine`): each destination pixel is looked up through the
 * inverse transform. Pixel centres sit at integer coordinates.
 *
 * @param img - Source image (any channel count).
 * @param m - Source→destination transform, e.g. from {@link estimateSimilarity}.
 * @param options - Output size, fill, interpolation.
 * @returns A new image of `options.width × options.height` with the source's channels.
 * @throws SmartCitizenError `geometry/degenerate` when `m` is singular.
 * @example
 * ```ts
 * const M = estimateSimilarity(landmarks, ARCFACE_TEMPLATE);
 * const aligned = warpAffine(img, M, { width: 112, height: 112 });
 * ```
 */
export function warpAffine(
  img: RasterImage,
  m: Readonly<Matrix2x3> | ArrayLike<number>,
  options: WarpOptions,
): RasterImage {
  const { W, H, fill, nearest } = checkWarp(img, m, 6, 'm', options);
  const [a, b, c, d, e, f] = invertAffine(m);
  const ch = img.channels;
  const out = new Uint8Array(W * H * ch);
  for (let y = 0, o = 0; y < H; y++) {
    let sx = b * y + c;
    let sy = e * y + f;
    for (let x = 0; x < W; x++, o += ch) {
      if (nearest || !bilinearInside(img, sx, sy, out, o)) sampleInto(img, sx, sy, out, o, fill, nearest);
      sx += a;
      sy += d;
    }
  }
  return { width: W, height: H, channels: ch, data: out };
}

/**
 * Warp an image with a homography that maps source coordinates to destination coordinates
 * (like OpenCV `warpPerspective`): each destination pixel is mapped through the inverse and
 * sampled. Use it to rectify a card photographed at an angle onto a flat rectangle.
 *
 * @param img - Source image (any channel count).
 * @param h - Source→destination homography, e.g. from {@link estimateHomography}.
 * @param options - Output size, fill, interpolation.
 * @returns A new image of `options.width × options.height` with the source's channels.
 * @throws SmartCitizenError `geometry/degenerate` when `h` is singular.
 */
export function warpPerspective(
  img: RasterImage,
  h: Readonly<Matrix3x3> | ArrayLike<number>,
  options: WarpOptions,
): RasterImage {
  const { W, H, fill, nearest } = checkWarp(img, h, 9, 'h', options);
  const [a, b, c, d, e, f, g, k, l] = invert3x3(h);
  const ch = img.channels;
  const out = new Uint8Array(W * H * ch);
  for (let y = 0, o = 0; y < H; y++) {
    let nx = b * y + c;
    let ny = e * y + f;
    let nw = k * y + l;
    for (let x = 0; x < W; x++, o += ch) {
      if (nw > 1e-12 || nw < -1e-12) {
        const sx = nx / nw;
        const sy = ny / nw;
        if (nearest || !bilinearInside(img, sx, sy, out, o)) sampleInto(img, sx, sy, out, o, fill, nearest);
      } else {
        for (let q = 0; q < ch; q++) out[o + q] = fill[q] as number;
      }
      nx += a;
      ny += d;
      nw += g;
    }
  }
  return { width: W, height: H, channels: ch, data: out };
}
