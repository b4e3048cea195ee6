/**
 * Grey-image operations the reading ladder uses: contrast stretching, a search for square
 * high-contrast regions (code candidates), crops and radial warps (the local mean, box blur and
 * unsharp mask are in @smart-citizen/image). All work on 1-channel {@link RasterImage}s and
 * return new images.
 * @internal
 */
import type { RasterImage } from '@smart-citizen/image';

/** Luma of an RGB(A) image, or the image itself when already grey. */
export function greyOf(img: RasterImage): RasterImage {
  if (img.channels === 1) return img;
  const { width, height, channels, data } = img;
  const n = width * height;
  const out = new Uint8Array(n);
  if (channels >= 3 && data.length >= n * channels) {
    // Every index in range: no fallbacks in the loop (the same values, fewer checks).
    for (let i = 0, p = 0; i < n; i++, p += channels) {
      out[i] = (306 * (data[p] as number) + 601 * (data[p + 1] as number) + 117 * (data[p + 2] as number) + 512) >> 10;
    }
    return { width, height, channels: 1, data: out };
  }
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    out[i] = (306 * (data[p] ?? 0) + 601 * (data[p + 1] ?? 0) + 117 * (data[p + 2] ?? 0) + 512) >> 10;
  }
  return { width, height, channels: 1, data: out };
}

/** Summed-area table with one extra row and column of zeros (of the values, or their squares). */
export function integral(img: RasterImage, square = false): Float64Array {
  const { width: w, height: h, data } = img;
  const t = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      const v = data[y * w + x] ?? 0;
      row += square ? v * v : v;
      t[(y + 1) * (w + 1) + x + 1] = (t[y * (w + 1) + x + 1] ?? 0) + row;
    }
  }
  return t;
}

/**
 * Stretch the histogram so the 1st and 99th percentiles map to 0 and 255 (global contrast).
 *
 * @param img - Grey image.
 */
export function stretchContrast(img: RasterImage): RasterImage {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const hist = new Uint32Array(256);
  for (let i = 0; i < n; i++) hist[data[i] ?? 0]!++;
  let lo = 0;
  let hi = 255;
  let acc = hist[0] ?? 0;
  while (lo < 255 && acc < n * 0.01) {
    lo++;
    acc += hist[lo] ?? 0;
  }
  acc = hist[255] ?? 0;
  while (hi > 0 && acc < n * 0.01) {
    hi--;
    acc += hist[hi] ?? 0;
  }
  if (hi - lo < 8) return img;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.max(0, Math.min(255, Math.round(((v - lo) * 255) / (hi - lo))));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = lut[data[i] ?? 0] ?? 0;
  return { width: w, height: h, channels: 1, data: out };
}

/** A rectangle in pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Mean block contrast score, higher is more code-like. */
  score: number;
}

/**
 * Regions that look like a 2-D code: connected groups of blocks with high contrast and edges
 * in both directions (text has mostly one-line structure, flat card areas none), roughly square.
 *
 * @param img - Grey image.
 * @param block - Block size in pixels.
 * @param max - Most regions to return.
 */
export function findCodeRegions(img: RasterImage, block: number, max: number): Region[] {
  const { width: w, height: h, data } = img;
  const bw = Math.floor(w / block);
  const bh = Math.floor(h / block);
  if (bw < 2 || bh < 2) return [];
  const score = new Float32Array(bw * bh);
  // Gradients between pixels two apart: module edges survive, pixel noise and JPEG ringing
  // (uncorrelated at that distance) weigh less than with neighbouring-pixel differences.
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let gx = 0;
      let gy = 0;
      const hist = new Uint16Array(32);
      let count = 0;
      const yEnd = Math.min(h - 2, (by + 1) * block);
      const xEnd = Math.min(w - 2, (bx + 1) * block);
      for (let y = by * block; y < yEnd; y += 1) {
        const row = y * w;
        for (let x = bx * block; x < xEnd; x += 1) {
          // In range: x < w − 2 and y < h − 2.
          const v = data[row + x] as number;
          hist[v >> 3]!++;
          count++;
          gx += Math.abs(v - (data[row + x + 2] as number));
          gy += Math.abs(v - (data[row + 2 * w + x] as number));
        }
      }
      if (count === 0) continue;
      // Spread between the 10th and 90th percentiles: robust to single noisy pixels.
      let acc = 0;
      let p10 = 0;
      let p90 = 31;
      for (let i = 0; i < 32; i++) {
        acc += hist[i] ?? 0;
        if (acc < count * 0.1) p10 = i + 1;
        if (acc < count * 0.9) p90 = i + 1;
      }
      const contrast = (p90 - p10) * 8;
      // Both gradient directions must be present: QR modules are square.
      const balance = Math.min(gx, gy) / Math.max(1, Math.max(gx, gy));
      score[by * bw + bx] = balance > 0.35 ? ((gx + gy) / count) * Math.min(1, contrast / 48) : 0;
    }
  }
  // Blocks well above the typical (noise) level, and within reach of the strongest.
  const sorted = Float32Array.from(score).sort();
  const median = sorted[sorted.length >> 1] ?? 0;
  let top = 0;
  for (const v of score) if (v > top) top = v;
  if (top === 0) return [];
  const threshold = Math.max(top * 0.5, median * 2.5);
  const on = new Uint8Array(bw * bh);
  for (let i = 0; i < on.length; i++) on[i] = (score[i] ?? 0) > threshold ? 1 : 0;
  const label = new Int32Array(bw * bh).fill(-1);
  const regions: Region[] = [];
  const stack: number[] = [];
  for (let i = 0; i < on.length; i++) {
    if (!on[i] || (label[i] ?? -1) >= 0) continue;
    let x0 = bw;
    let y0 = bh;
    let x1 = 0;
    let y1 = 0;
    let count = 0;
    let sum = 0;
    stack.push(i);
    label[i] = regions.length;
    while (stack.length > 0) {
      const j = stack.pop() as number;
      const jx = j % bw;
      const jy = (j - jx) / bw;
      count++;
      sum += score[j] ?? 0;
      if (jx < x0) x0 = jx;
      if (jy < y0) y0 = jy;
      if (jx > x1) x1 = jx;
      if (jy > y1) y1 = jy;
      for (const [dx, dy] of [
        [1, 0],
        [-1, 0],
        [0, 1],
        [0, -1],
      ] as const) {
        const nx = jx + dx;
        const ny = jy + dy;
        if (nx < 0 || ny < 0 || nx >= bw || ny >= bh) continue;
        const k = ny * bw + nx;
        if (on[k] && (label[k] ?? -1) < 0) {
          label[k] = regions.length;
          stack.push(k);
        }
      }
    }
    const rw = x1 - x0 + 1;
    const rh = y1 - y0 + 1;
    const fill = count / (rw * rh);
    const aspect = Math.min(rw, rh) / Math.max(rw, rh);
    if (count >= 4 && aspect > 0.4 && fill > 0.35) {
      regions.push({
        x: x0 * block,
        y: y0 * block,
        width: rw * block,
        height: rh * block,
        score: (sum / count) * fill,
      });
    } else {
      regions.push({ x: 0, y: 0, width: 0, height: 0, score: -1 });
    }
  }
  return regions
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score * b.width - a.score * a.width)
    .slice(0, max);
}

/**
 * Copy a rectangle (clamped to the image) enlarged by `margin` of its size on every side.
 *
 * @param img - Grey image.
 * @param r - The rectangle.
 * @param margin - Extra border as a share of the larger side.
 */
export function cropRegion(img: RasterImage, r: Region, margin: number): RasterImage {
  const m = Math.round(Math.max(r.width, r.height) * margin);
  const x0 = Math.max(0, r.x - m);
  const y0 = Math.max(0, r.y - m);
  const x1 = Math.min(img.width, r.x + r.width + m);
  const y1 = Math.min(img.height, r.y + r.height + m);
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    out.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  return { width: w, height: h, channels: 1, data: out };
}

/**
 * Bilinear sample of a grey image at (u, v), clamped to the image (the warps below share it).
 * @internal
 */
export function sampleBilinear(img: RasterImage, u: number, v: number): number {
  const { width, height, data } = img;
  const x0 = Math.max(0, Math.min(width - 2, Math.floor(u)));
  const y0 = Math.max(0, Math.min(height - 2, Math.floor(v)));
  const fx = Math.min(1, Math.max(0, u - x0));
  const fy = Math.min(1, Math.max(0, v - y0));
  const i = y0 * width + x0;
  return (
    ((data[i] ?? 0) * (1 - fx) + (data[i + 1] ?? 0) * fx) * (1 - fy) +
    ((data[i + width] ?? 0) * (1 - fx) + (data[i + width + 1] ?? 0) * fx) * fy
  );
}

/** A black grey image `k` times the size of `img` (rounded), for the warps that enlarge as they resample. */
function blankEnlarged(img: RasterImage, k: number): { width: number; height: number; channels: 1; data: Uint8Array } {
  const width = Math.round(img.width * k);
  const height = Math.round(img.height * k);
  return { width, height, channels: 1, data: new Uint8Array(width * height) };
}

/** Parameters of a smooth radial displacement (see {@link radialWarp}). */
export interface RadialWarp {
  /** Centre, as fractions of the width and height. */
  cx: number;
  cy: number;
  /** Gaussian radius, as a fraction of the smaller side. */
  sigma: number;
  /** Relative displacement at the centre: negative magnifies around it, positive shrinks. */
  strength: number;
}

/**
 * Resample an image through a local radial displacement, enlarged `k` times: an output point
 * at offset `d` from the centre samples the input at `d · (1 + strength · exp(−|d|²/2σ²))`.
 * A wrinkle or bulge in a code on cloth or a bent card stretches or squeezes the modules
 * around one spot, so the engine's projective grid (fitted to the finder and alignment
 * patterns) misses the modules there; the opposite local displacement brings them back.
 *
 * @param img - Grey image.
 * @param w - The warp.
 * @param k - Enlargement factor.
 * @returns A grey image `k` times larger.
 */
export function radialWarp(img: RasterImage, w: RadialWarp, k: number): RasterImage {
  const { width, height } = img;
  const enlarged = blankEnlarged(img, k);
  const { width: W, height: H, data: out } = enlarged;
  const cx = w.cx * width;
  const cy = w.cy * height;
  const sigma = Math.max(1, w.sigma * Math.min(width, height));
  const inv = 1 / (2 * sigma * sigma);
  for (let y = 0; y < H; y++) {
    const dy = y / k - cy;
    for (let x = 0; x < W; x++) {
      const dx = x / k - cx;
      const f = 1 + w.strength * Math.exp(-(dx * dx + dy * dy) * inv);
      out[y * W + x] = sampleBilinear(img, cx + dx * f, cy + dy * f);
    }
  }
  return enlarged;
}

/**
 * A fixed, symmetric set of radial warps: magnify and shrink (±8%) around the centre of each
 * quarter of the image and around its centre, with a radius of 30% of the smaller side.
 *
 * @returns The warps, quarters first.
 */
export function radialWarps(): RadialWarp[] {
  const centres: [number, number][] = [
    [0.3, 0.3],
    [0.7, 0.3],
    [0.3, 0.7],
    [0.7, 0.7],
    [0.5, 0.5],
  ];
  const out: RadialWarp[] = [];
  for (const strength of [-0.08, 0.08]) {
    for (const [cx, cy] of centres) out.push({ cx, cy, sigma: 0.3, strength });
  }
  return out;
}
