import type { RasterImage } from './RasterImage.js';
import { assertImage, assertPositiveInt } from './validate.js';

/** Options of {@link resize}. */
export interface ResizeOptions {
  /** Output width in pixels. */
  width: number;
  /** Output height in pixels. */
  height: number;
  /**
   * `area`: box filter, each output pixel is the coverage-weighted mean of the source pixels
   * under it (the right choice for downscaling: no aliasing, a 2×2 block becomes its mean).
   * `bilinear`: interpolation between the 4 nearest source pixels (pixel centres aligned, like
   * OpenCV `INTER_LINEAR`); use it for upscaling or small changes.
   * @default 'area'
   */
  method?: 'area' | 'bilinear';
}

/** Per output index: first source index and the weights of the consecutive sources it covers. */
interface BoxWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  offsets: Int32Array;
}

function boxWeights(srcSize: number, dstSize: number): BoxWeights {
  const scale = srcSize / dstSize;
  const start = new Int32Array(dstSize);
  const count = new Int32Array(dstSize);
  const offsets = new Int32Array(dstSize);
  const all: number[] = [];
  for (let i = 0; i < dstSize; i++) {
    const a = i * scale;
    const b = Math.min(srcSize, (i + 1) * scale);
    const first = Math.floor(a);
    const last = Math.min(srcSize - 1, Math.ceil(b) - 1);
    start[i] = first;
    count[i] = last - first + 1;
    offsets[i] = all.length;
    const span = b - a;
    for (let s = first; s <= last; s++) {
      const cover = Math.min(b, s + 1) - Math.max(a, s);
      all.push(cover / span);
    }
  }
  return { start, count, weights: Float32Array.from(all), offsets };
}

function resizeArea(img: RasterImage, W: number, H: number): RasterImage {
  const { width: sw, height: sh, channels: ch, data } = img;
  const { start: xStart, count: xCount, weights: xWeights, offsets: xOffsets } = boxWeights(sw, W);
  const { start: yStart, count: yCount, weights: yWeights, offsets: yOffsets } = boxWeights(sh, H);
  // Horizontal pass into floats (sh × W), then vertical pass.
  const tmp = new Float32Array(sh * W * ch);
  for (let y = 0; y < sh; y++) {
    const row = y * sw * ch;
    let o = y * W * ch;
    for (let x = 0; x < W; x++, o += ch) {
      const n = xCount[x] as number;
      const off = xOffsets[x] as number;
      let s = row + (xStart[x] as number) * ch;
      if (ch === 1) {
        let a0 = 0;
        for (let k = 0; k < n; k++, s++) a0 += (data[s] as number) * (xWeights[off + k] as number);
        tmp[o] = a0;
      } else {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let k = 0; k < n; k++, s += ch) {
          const w = xWeights[off + k] as number;
          a0 += (data[s] as number) * w;
          a1 += (data[s + 1] as number) * w;
          a2 += (data[s + 2] as number) * w;
          if (ch === 4) a3 += (data[s + 3] as number) * w;
        }
        tmp[o] = a0;
        tmp[o + 1] = a1;
        tmp[o + 2] = a2;
        if (ch === 4) tmp[o + 3] = a3;
      }
    }
  }
  const out = new Uint8Array(W * H * ch);
  const rowLen = W * ch;
  const acc = new Float32Array(rowLen);
  for (let y = 0; y < H; y++) {
    acc.fill(0);
    const first = yStart[y] as number;
    const n = yCount[y] as number;
    const off = yOffsets[y] as number;
    for (let k = 0; k < n; k++) {
      const w = yWeights[off + k] as number;
      const src = (first + k) * rowLen;
      for (let i = 0; i < rowLen; i++) acc[i] = (acc[i] as number) + (tmp[src + i] as number) * w;
    }
    const o = y * rowLen;
    for (let i = 0; i < rowLen; i++) {
      // Round half up; the sum of weights is 1 so the value stays within 0–255 up to float error.
      const v = ((acc[i] as number) + 0.5) | 0;
      out[o + i] = v > 255 ? 255 : v < 0 ? 0 : v;
    }
  }
  return { width: W, height: H, channels: ch, data: out };
}

function resizeBilinear(img: RasterImage, W: number, H: number): RasterImage {
  const { width: sw, height: sh, channels: ch, data } = img;
  const sxScale = sw / W;
  const syScale = sh / H;
  const x0s = new Int32Array(W);
  const x1s = new Int32Array(W);
  const fxs = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    let sx = (x + 0.5) * sxScale - 0.5;
    if (sx < 0) sx = 0;
    const x0 = Math.min(sw - 1, Math.floor(sx));
    x0s[x] = x0 * ch;
    x1s[x] = Math.min(sw - 1, x0 + 1) * ch;
    fxs[x] = sx - x0;
  }
  const out = new Uint8Array(W * H * ch);
  let o = 0;
  for (let y = 0; y < H; y++) {
    let sy = (y + 0.5) * syScale - 0.5;
    if (sy < 0) sy = 0;
    const y0 = Math.min(sh - 1, Math.floor(sy));
    const y1 = Math.min(sh - 1, y0 + 1);
    const fy = sy - y0;
    const r0 = y0 * sw * ch;
    const r1 = y1 * sw * ch;
    for (let x = 0; x < W; x++) {
      const a = x0s[x] as number;
      const b = x1s[x] as number;
      const fx = fxs[x] as number;
      for (let c = 0; c < ch; c++) {
        const p = data[r0 + a + c] as number;
        const q = data[r1 + a + c] as number;
        const top = p + ((data[r0 + b + c] as number) - p) * fx;
        const bot = q + ((data[r1 + b + c] as number) - q) * fx;
        out[o++] = (top + (bot - top) * fy + 0.5) | 0;
      }
    }
  }
  return { width: W, height: H, channels: ch, data: out };
}

/**
 * Resize an image to an exact size (aspect ratio is the caller's business; see
 * {@link fitWithin} for a size that keeps it).
 *
 * @param img - Source image (any channel count).
 * @param options - Target size and method.
 * @returns A new image of `options.width × options.height` with the source's channels.
 * @example
 * ```ts
 * const small = resize(img, { width: 640, height: 480, method: 'area' });
 * ```
 */
export function resize(img: RasterImage, options: ResizeOptions): RasterImage {
  assertImage(img);
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { width, height } = options;
  const method = options.method ?? 'area';
  assertPositiveInt(width, 'options.width');
  assertPositiveInt(height, 'options.height');
  if (method === 'area') return resizeArea(img, width, height);
  if (method === 'bilinear') return resizeBilinear(img, width, height);
  throw new RangeError(`options.method must be 'area' or 'bilinear', got ${String(method)}`);
}

/**
 * The largest size with the same aspect ratio whose longer side is at most `maxDimension`
 * (the input size when it already fits).
 *
 * @param width - Source width.
 * @param height - Source height.
 * @param maxDimension - Longest side allowed.
 * @returns `{ width, height }`, each at least 1.
 */
export function fitWithin(width: number, height: number, maxDimension: number): { width: number; height: number } {
  assertPositiveInt(width, 'width');
  assertPositiveInt(height, 'height');
  assertPositiveInt(maxDimension, 'maxDimension');
  const longest = Math.max(width, height);
  if (longest <= maxDimension) return { width, height };
  const s = maxDimension / longest;
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}
