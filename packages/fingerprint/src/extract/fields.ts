import { boxFilter } from './boxFilter.js';

/** Block size of the segmentation and frequency grids at 500 dpi (pixels). @internal */
export const BLOCK = 8;

/**
 * Fields of an impression at 500 dpi: contrast-normalised intensity (per pixel), and on the
 * half-resolution grid (cell `(y >> 1) * hw + (x >> 1)`): ridge orientation as the
 * doubled-angle unit vector, orientation certainty and the local spread of grey levels that
 * segmentation is based on. They are smooth at the scale of a ridge period, so the half grid
 * loses nothing and costs a quarter.
 * @internal
 */
export interface RidgeFields {
  width: number;
  height: number;
  /** Half-resolution grid size. */
  hw: number;
  hh: number;
  /** (I − local mean) / local standard deviation, per pixel; ridges are negative. */
  norm: Float32Array;
  /** cos 2θ and sin 2θ of the ridge direction θ (image coordinates, y down), half grid. */
  cos2: Float32Array;
  sin2: Float32Array;
  /** Orientation certainty 0–1 (coherence of the gradient structure tensor), half grid. */
  coherence: Float32Array;
  /** Local standard deviation of the grey levels (0–255 scale), half grid. */
  spread: Float32Array;
}

/** Half-grid cell of pixel (x, y). @internal */
export function cellOf(fields: RidgeFields, x: number, y: number): number {
  return (y >> 1) * fields.hw + (x >> 1);
}

/**
 * Local normalisation (Hong–Wan–Jain in spirit, with a sliding window rather than a global
 * mean), then the ridge orientation from the averaged gradient structure tensor
 * (Kass–Witkin / Bazen–Gerez): θ = ½·atan2(2ΣgxGy, Σ(gx²−gy²)) + 90°, certainty
 * |Σ(gx²−gy², 2gxgy)| / Σ(gx²+gy²).
 * @internal
 */
export function computeRidgeFields(grey: Float32Array, width: number, height: number): RidgeFields {
  const n = width * height;
  const hw = (width + 1) >> 1;
  const hh = (height + 1) >> 1;
  const hn = hw * hh;
  // 2×2 cell sums of I and I², then window statistics on the half grid.
  const sumI = new Float32Array(hn);
  const sumSq = new Float32Array(hn);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const hrow = (y >> 1) * hw;
    for (let x = 0; x < width; x++) {
      const v = grey[row + x] as number;
      const h = hrow + (x >> 1);
      sumI[h] = (sumI[h] as number) + v;
      sumSq[h] = (sumSq[h] as number) + v * v;
    }
  }
  const inv = cellInverse(width, height, hw, hh);
  for (let h = 0; h < hn; h++) {
    sumI[h] = (sumI[h] as number) * (inv[h] as number);
    sumSq[h] = (sumSq[h] as number) * (inv[h] as number);
  }
  const mean = boxFilter(sumI, hw, hh, 4);
  const meanSq = boxFilter(sumSq, hw, hh, 4);
  const spread = new Float32Array(hn);
  const invSd = new Float32Array(hn);
  for (let i = 0; i < hn; i++) {
    const m = mean[i] as number;
    const sd = Math.sqrt(Math.max(0, (meanSq[i] as number) - m * m));
    spread[i] = sd;
    invSd[i] = 1 / (sd > 4 ? sd : 4);
  }
  const norm = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    const hrow = (y >> 1) * hw;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const h = hrow + (x >> 1);
      norm[row + x] = ((grey[row + x] as number) - (mean[h] as number)) * (invSd[h] as number);
    }
  }
  // Sobel gradients, their tensor terms summed straight into the half grid.
  const gxx = new Float32Array(hn);
  const gxy = new Float32Array(hn);
  const gmag = new Float32Array(hn);
  // Along a row the 3 × 3 window slides one column at a time, and each cell's three sums stay
  // in locals between its pixels, rounded to float32 at each step as stores would round them.
  const f32 = Math.fround;
  for (let y = 1; y < height - 1; y++) {
    const hrow = (y >> 1) * hw;
    const up = (y - 1) * width;
    const mid = y * width;
    const down = (y + 1) * width;
    let a = norm[up] as number;
    let b = norm[up + 1] as number;
    let d = norm[mid] as number;
    let e = norm[mid + 1] as number;
    let g = norm[down] as number;
    let h = norm[down + 1] as number;
    let cell = hrow;
    let sxx = gxx[cell] as number;
    let sxy = gxy[cell] as number;
    let smag = gmag[cell] as number;
    for (let x = 1; x < width - 1; x++) {
      const c = norm[up + x + 1] as number;
      const f = norm[mid + x + 1] as number;
      const k = norm[down + x + 1] as number;
      const gx = c + 2 * f + k - a - 2 * d - g;
      const gy = g + 2 * h + k - a - 2 * b - c;
      const at = hrow + (x >> 1);
      if (at !== cell) {
        gxx[cell] = sxx;
        gxy[cell] = sxy;
        gmag[cell] = smag;
        cell = at;
        sxx = gxx[cell] as number;
        sxy = gxy[cell] as number;
        smag = gmag[cell] as number;
      }
      sxx = f32(sxx + gx * gx - gy * gy);
      sxy = f32(sxy + 2 * gx * gy);
      smag = f32(smag + gx * gx + gy * gy);
      a = b;
      b = c;
      d = e;
      e = f;
      g = h;
      h = k;
    }
    gxx[cell] = sxx;
    gxy[cell] = sxy;
    gmag[cell] = smag;
  }
  for (let h = 0; h < hn; h++) {
    gxx[h] = (gxx[h] as number) * (inv[h] as number);
    gxy[h] = (gxy[h] as number) * (inv[h] as number);
    gmag[h] = (gmag[h] as number) * (inv[h] as number);
  }
  const sxx = boxFilter(gxx, hw, hh, 4);
  const sxy = boxFilter(gxy, hw, hh, 4);
  const smag = boxFilter(gmag, hw, hh, 4);
  // A second, wider averaging of the tensor steadies the orientation in noisy or scarred areas.
  const wxx = boxFilter(sxx, hw, hh, 4);
  const wxy = boxFilter(sxy, hw, hh, 4);
  const coherence = new Float32Array(hn);
  const cos2 = new Float32Array(hn);
  const sin2 = new Float32Array(hn);
  for (let i = 0; i < hn; i++) {
    const m = smag[i] as number;
    const ax = sxx[i] as number;
    const ay = sxy[i] as number;
    coherence[i] = m > 1e-6 ? Math.sqrt(ax * ax + ay * ay) / m : 0;
    const vx = wxx[i] as number;
    const vy = wxy[i] as number;
    const len = Math.sqrt(vx * vx + vy * vy);
    // Gradient doubled angle φ; ridge doubled angle = φ + 180° → negate the vector.
    if (len > 1e-9) {
      cos2[i] = -vx / len;
      sin2[i] = -vy / len;
    } else {
      cos2[i] = 1;
      sin2[i] = 0;
    }
  }
  return { width, height, hw, hh, norm, cos2, sin2, coherence, spread };
}

/** 1 / number of pixels in each half-grid cell (edge cells may hold fewer than four). */
function cellInverse(width: number, height: number, hw: number, hh: number): Float32Array {
  const out = new Float32Array(hw * hh);
  for (let hy = 0; hy < hh; hy++) {
    const ny = Math.min(2, height - 2 * hy);
    for (let hx = 0; hx < hw; hx++) out[hy * hw + hx] = 1 / (Math.min(2, width - 2 * hx) * ny);
  }
  return out;
}

/**
 * Foreground mask on the {@link BLOCK} grid: blocks with enough grey-level spread and
 * orientation certainty, cleaned by a majority filter, reduced to the largest connected
 * region with its holes filled.
 * @internal
 */
export interface Segmentation {
  bw: number;
  bh: number;
  blocks: Uint8Array;
  /** Per-pixel mask, 1 inside the print. */
  mask: Uint8Array;
  /** Share of the image inside the print, 0–1. */
  area: number;
}

/** @internal */
export function segment(fields: RidgeFields): Segmentation {
  const { width, height, spread, coherence } = fields;
  const bw = Math.ceil(width / BLOCK);
  const bh = Math.ceil(height / BLOCK);
  const bs = new Float32Array(bw * bh);
  const bc = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      const cx = Math.min(width - 1, bx * BLOCK + (BLOCK >> 1));
      const cy = Math.min(height - 1, by * BLOCK + (BLOCK >> 1));
      const h = (cy >> 1) * fields.hw + (cx >> 1);
      bs[by * bw + bx] = spread[h] as number;
      bc[by * bw + bx] = coherence[h] as number;
    }
  }
  const sorted = Float32Array.from(bs).sort();
  const p95 = sorted[Math.floor(sorted.length * 0.95)] as number;
  const threshold = Math.max(5, 0.28 * p95);
  let blocks = new Uint8Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) blocks[i] = (bs[i] as number) > threshold && (bc[i] as number) > 0.12 ? 1 : 0;
  // Majority filter twice (3×3 on the block grid): the window mean of the 0/1 blocks above ½.
  for (let pass = 0; pass < 2; pass++) {
    const mean = boxFilter(Float32Array.from(blocks), bw, bh, 1);
    const next = new Uint8Array(bw * bh);
    for (let i = 0; i < bw * bh; i++) next[i] = (mean[i] as number) > 0.5 ? 1 : 0;
    blocks = next;
  }
  blocks = largestComponentFilled(blocks, bw, bh);
  // Each block row's first pixel row is built once and copied to the block's other rows.
  const mask = new Uint8Array(width * height);
  let count = 0;
  for (let by = 0; by < bh; by++) {
    const y0 = by * BLOCK;
    const y1 = Math.min(height, y0 + BLOCK);
    const first = y0 * width;
    let rowCount = 0;
    for (let bx = 0; bx < bw; bx++) {
      if (!blocks[by * bw + bx]) continue;
      const x0 = bx * BLOCK;
      const x1 = Math.min(width, x0 + BLOCK);
      mask.fill(1, first + x0, first + x1);
      rowCount += x1 - x0;
    }
    for (let y = y0 + 1; y < y1; y++) mask.copyWithin(y * width, first, first + width);
    count += rowCount * (y1 - y0);
  }
  return { bw, bh, blocks, mask, area: count / (width * height) };
}

function largestComponentFilled(blocks: Uint8Array, bw: number, bh: number): Uint8Array<ArrayBuffer> {
  const label = new Int32Array(bw * bh).fill(-1);
  const stack: number[] = [];
  let best = -1;
  let bestSize = 0;
  let nextLabel = 0;
  for (let s = 0; s < bw * bh; s++) {
    if (!blocks[s] || label[s] !== -1) continue;
    const id = nextLabel++;
    let size = 0;
    stack.push(s);
    label[s] = id;
    while (stack.length) {
      const p = stack.pop() as number;
      size++;
      const px = p % bw;
      const py = (p / bw) | 0;
      const nbs = [px > 0 ? p - 1 : -1, px < bw - 1 ? p + 1 : -1, py > 0 ? p - bw : -1, py < bh - 1 ? p + bw : -1];
      for (const q of nbs) {
        if (q >= 0 && blocks[q] && label[q] === -1) {
          label[q] = id;
          stack.push(q);
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = id;
    }
  }
  // Background reachable from the border stays background; everything else is the print.
  const outside = new Uint8Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) {
    const px = i % bw;
    const py = (i / bw) | 0;
    if ((px === 0 || py === 0 || px === bw - 1 || py === bh - 1) && label[i] !== best) {
      outside[i] = 1;
      stack.push(i);
    }
  }
  while (stack.length) {
    const p = stack.pop() as number;
    const px = p % bw;
    const py = (p / bw) | 0;
    const nbs = [px > 0 ? p - 1 : -1, px < bw - 1 ? p + 1 : -1, py > 0 ? p - bw : -1, py < bh - 1 ? p + bw : -1];
    for (const q of nbs) {
      if (q >= 0 && !outside[q] && label[q] !== best) {
        outside[q] = 1;
        stack.push(q);
      }
    }
  }
  const out = new Uint8Array(bw * bh);
  for (let i = 0; i < bw * bh; i++) out[i] = best >= 0 && !outside[i] ? 1 : 0;
  return out;
}

/**
 * Ridge period (pixels) on a 16-pixel grid, Hong–Wan–Jain style: the grey levels of a 32×16
 * window aligned with the ridges are summed along the ridge into a signature across it; the
 * mean distance between its peaks is the period. Blocks without a clean signature take the
 * median of the valid ones; the grid is then smoothed.
 * @internal
 */
export interface PeriodMap {
  step: number;
  gw: number;
  gh: number;
  period: Float32Array;
  /** Median period over the print. */
  median: number;
  /** Share of the print's grid cells where the ridge signature gave a clean period, 0–1. */
  validShare: number;
}

/** @internal */
export function estimatePeriod(fields: RidgeFields, mask: Uint8Array): PeriodMap {
  const { width, height, norm, cos2, sin2 } = fields;
  const step = 16;
  const gw = Math.ceil(width / step);
  const gh = Math.ceil(height / step);
  const period = new Float32Array(gw * gh);
  const valid: number[] = [];
  let inPrint = 0;
  const L = 32;
  const W = 8;
  const sig = new Float32Array(L);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const cx = Math.min(width - 1, gx * step + 8);
      const cy = Math.min(height - 1, gy * step + 8);
      if (!mask[cy * width + cx]) continue;
      inPrint++;
      const h = (cy >> 1) * fields.hw + (cx >> 1);
      const c2 = cos2[h] as number;
      const s2 = sin2[h] as number;
      const theta = Math.atan2(s2, c2) / 2;
      const tx = Math.cos(theta);
      const ty = Math.sin(theta);
      const nx = -ty;
      const ny = tx;
      // The window reaches at most L / 2 + W pixels from the centre: away from the image's
      // edges no sample needs its bounds checked.
      const reach = L / 2 + W + 1;
      const inside = cx >= reach && cy >= reach && cx < width - reach && cy < height - reach;
      for (let k = 0; k < L; k++) {
        let sum = 0;
        let cnt = 0;
        const u = k - L / 2;
        const ux = cx + u * nx;
        const uy = cy + u * ny;
        if (inside) {
          for (let d = -W; d <= W; d++)
            sum += norm[Math.round(uy + d * ty) * width + Math.round(ux + d * tx)] as number;
          cnt = 2 * W + 1;
        } else {
          for (let d = -W; d <= W; d++) {
            const x = Math.round(ux + d * tx);
            const y = Math.round(uy + d * ty);
            if (x < 0 || y < 0 || x >= width || y >= height) continue;
            sum += norm[y * width + x] as number;
            cnt++;
          }
        }
        sig[k] = cnt ? sum / cnt : 0;
      }
      // Peaks (valleys of the print, bright) with a minimum prominence.
      let first = -1;
      let last = -1;
      let peaks = 0;
      for (let k = 1; k < L - 1; k++) {
        const v = sig[k] as number;
        if (v > (sig[k - 1] as number) && v >= (sig[k + 1] as number) && v > 0.1) {
          if (first < 0) first = k;
          last = k;
          peaks++;
        }
      }
      if (peaks >= 2) {
        const p = (last - first) / (peaks - 1);
        if (p >= 4 && p <= 16) {
          period[gy * gw + gx] = p;
          valid.push(p);
        }
      }
    }
  }
  valid.sort((a, b) => a - b);
  const median = valid.length ? (valid[valid.length >> 1] as number) : 9;
  for (let i = 0; i < gw * gh; i++) if (!(period[i] as number)) period[i] = median;
  // Smooth 3×3 twice.
  const cur = boxFilter(boxFilter(period, gw, gh, 1), gw, gh, 1);
  return { step, gw, gh, period: cur, median, validShare: inPrint ? valid.length / inPrint : 0 };
}
