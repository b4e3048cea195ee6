import type { RasterImage } from '@smart-citizen/image';
import { localMean } from '@smart-citizen/image';

/** A QR finder pattern (the 7×7 square in three corners): centre and module size in pixels. */
export interface FinderPattern {
  x: number;
  y: number;
  module: number;
  /** Rows and columns that confirmed it (more is surer). */
  hits: number;
}

/** A place that probably holds a QR code: a rectangle and the module size the finders gave. */
export interface CodeCandidate {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Module size in pixels (mean of the finders'). */
  module: number;
  /** The finder patterns it was built from (3 for a full triple, fewer for a guess). */
  finders: FinderPattern[];
}

/**
 * Binarise with the mean of a square window (integral image): 1 = dark. Robust to uneven
 * light and low contrast; `offset` keeps flat noisy areas from flickering.
 */
export function binariseLocalMean(img: RasterImage, radius: number, offset = 2): Uint8Array {
  const r = Math.floor(radius);
  if (integerPathFits(img, r, offset)) return binariseWindowSums(img, r, offset);
  const mean = localMean(img, radius);
  const out = new Uint8Array(mean.length);
  for (let i = 0; i < out.length; i++) out[i] = (img.data[i] ?? 0) < (mean[i] ?? 0) - offset ? 1 : 0;
  return out;
}

/**
 * Largest radius of the integer path: a window of at most 255² pixels, so a mean that exceeds an
 * integer by at least 1/area stays above it once rounded to float32 (`localMean`'s type) and the
 * comparison in integers gives the same bits as the one on the float means.
 */
const MAX_FAST_RADIUS = 127;

/**
 * A well-formed grey image (others go to `localMean`, which converts or rejects them), a radius
 * up to {@link MAX_FAST_RADIUS} and an integer offset small enough for 32-bit integer sums.
 */
function integerPathFits(img: RasterImage, r: number, offset: number): boolean {
  const { width: w, height: h, channels, data } = img;
  return (
    channels === 1 &&
    data instanceof Uint8Array &&
    Number.isInteger(w) &&
    Number.isInteger(h) &&
    w > 0 &&
    h > 0 &&
    data.length === w * h &&
    r >= 0 &&
    r <= MAX_FAST_RADIUS &&
    Number.isInteger(offset) &&
    Math.abs(offset) <= 255
  );
}

/** Column sums reused between calls on frames of the same width. */
let colSums = new Int32Array(0);

/**
 * {@link binariseLocalMean} on a grey image in integers: the same window sums as `localMean`
 * (exact, so the order does not matter: here running sums down the columns, then along each
 * row), and `v < sum / area − offset` tested as `(v + offset) · area < sum`, with no image of
 * float means in between.
 */
function binariseWindowSums(img: RasterImage, r: number, offset: number): Uint8Array {
  const { width: w, height: h, data } = img;
  if (colSums.length < w) colSums = new Int32Array(w);
  const col = colSums;
  col.fill(0, 0, w);
  for (let y = 0; y < Math.min(h, r); y++) {
    const o = y * w;
    for (let x = 0; x < w; x++) col[x] = (col[x] as number) + (data[o + x] as number);
  }
  const out = new Uint8Array(w * h);
  // Three stretches of a row: no column leaving the window yet, columns entering and leaving
  // (every window full), none entering.
  const noneLeaving = Math.min(w, r + 1);
  const entering = Math.max(noneLeaving, w - r);
  for (let y = 0; y < h; y++) {
    const add = y + r < h ? (y + r) * w : -1;
    const sub = y - r - 1 >= 0 ? (y - r - 1) * w : -1;
    if (add >= 0 && sub >= 0) {
      for (let x = 0; x < w; x++) col[x] = (col[x] as number) + (data[add + x] as number) - (data[sub + x] as number);
    } else if (add >= 0) {
      for (let x = 0; x < w; x++) col[x] = (col[x] as number) + (data[add + x] as number);
    } else if (sub >= 0) {
      for (let x = 0; x < w; x++) col[x] = (col[x] as number) - (data[sub + x] as number);
    }
    const dy = Math.min(h, y + r + 1) - Math.max(0, y - r);
    const o = y * w;
    let s = 0;
    for (let x = 0; x < Math.min(w, r); x++) s += col[x] as number;
    // 1 where (v + offset) · area < sum: the sign bit of the difference (no branch per pixel).
    let x = 0;
    for (; x < noneLeaving; x++) {
      if (x + r < w) s += col[x + r] as number;
      const area = (Math.min(w, x + r + 1) - Math.max(0, x - r)) * dy;
      out[o + x] = (((data[o + x] as number) + offset) * area - s) >>> 31;
    }
    const full = (2 * r + 1) * dy;
    for (; x < entering; x++) {
      s += (col[x + r] as number) - (col[x - r - 1] as number);
      out[o + x] = (((data[o + x] as number) + offset) * full - s) >>> 31;
    }
    for (; x < w; x++) {
      s -= col[x - r - 1] as number;
      const area = (Math.min(w, x + r + 1) - Math.max(0, x - r)) * dy;
      out[o + x] = (((data[o + x] as number) + offset) * area - s) >>> 31;
    }
  }
  return out;
}

/** Runs 1:1:3:1:1 within tolerance; returns the module size or 0. */
function finderRatio(r: ArrayLike<number>, at = 0): number {
  const a = r[at] ?? 0;
  const b = r[at + 1] ?? 0;
  const c = r[at + 2] ?? 0;
  const d = r[at + 3] ?? 0;
  const e = r[at + 4] ?? 0;
  const total = a + b + c + d + e;
  if (total < 5) return 0;
  const m = total / 7;
  const tol = Math.max(0.75 * m, 0.9);
  if (Math.abs(a - m) > tol || Math.abs(b - m) > tol || Math.abs(d - m) > tol || Math.abs(e - m) > tol) return 0;
  if (Math.abs(c - 3 * m) > 2.2 * tol) return 0;
  return m;
}

/** The binary image at (x + k·dx, y + k·dy) rounded, or −1 outside (a plain function: no closure per call). */
function binAt(bin: Uint8Array, w: number, h: number, x: number, y: number, dx: number, dy: number, k: number): number {
  const xx = Math.round(x + k * dx);
  const yy = Math.round(y + k * dy);
  if (xx < 0 || yy < 0 || xx >= w || yy >= h) return -1;
  return bin[yy * w + xx] ?? 0;
}

/**
 * Walk from (x, y) along (dx, dy) over a binary image and measure the 1:1:3:1:1 runs centred
 * there. Returns [module size, centre offset along the walk] or undefined.
 */
function crossCheck(
  bin: Uint8Array,
  w: number,
  h: number,
  x: number,
  y: number,
  dx: number,
  dy: number,
  maxRun: number,
): [number, number] | undefined {
  if (binAt(bin, w, h, x, y, dx, dy, 0) !== 1) return undefined;
  // Outwards in both directions: dark centre, light ring, dark ring.
  const runs = [0, 0, 0, 0, 0];
  let k = 0;
  while (binAt(bin, w, h, x, y, dx, dy, k) === 1 && k > -maxRun * 3) k--;
  const c0 = k;
  while (binAt(bin, w, h, x, y, dx, dy, k) === 0 && c0 - k <= maxRun) k--;
  runs[1] = c0 - k;
  const r0 = k;
  while (binAt(bin, w, h, x, y, dx, dy, k) === 1 && r0 - k <= maxRun) k--;
  runs[0] = r0 - k;
  if (binAt(bin, w, h, x, y, dx, dy, k) === -1 && runs[0] === 0) return undefined;
  k = 0;
  while (binAt(bin, w, h, x, y, dx, dy, k) === 1 && k < maxRun * 3) k++;
  const c1 = k;
  runs[2] = c1 - c0 - 1;
  while (binAt(bin, w, h, x, y, dx, dy, k) === 0 && k - c1 <= maxRun) k++;
  runs[3] = k - c1;
  const r1 = k;
  while (binAt(bin, w, h, x, y, dx, dy, k) === 1 && k - r1 <= maxRun) k++;
  runs[4] = k - r1;
  const m = finderRatio(runs);
  if (!m) return undefined;
  return [m, (c0 + 1 + c1 - 1) / 2];
}

/**
 * Find QR finder patterns: rows scanned for dark–light–dark–light–dark runs in the ratio
 * 1:1:3:1:1, each confirmed by a vertical and a diagonal cross-check, then merged.
 *
 * @param img - Grey image.
 * @param bin - Its binarisation (1 = dark), e.g. {@link binariseLocalMean}.
 * @param expired - Polled every 16 rows: when it returns true the search stops with what it found.
 * @returns Finder patterns, surest first.
 */
export function findFinderPatterns(img: RasterImage, bin: Uint8Array, expired?: () => boolean): FinderPattern[] {
  const { width: w, height: h } = img;
  const found: FinderPattern[] = [];
  // Runs of a row (reused row to row: a row has at most w runs).
  const runs = new Int32Array(w + 1);
  const starts = new Int32Array(w + 1);
  for (let y = 0; y < h; y++) {
    if (expired && (y & 15) === 0 && expired()) break;
    const row = y * w;
    // Runs of the row: colours alternate, starting with the first pixel's.
    // Without a branch per pixel (a textured row changes colour unpredictably): the open run is
    // written at every pixel and kept (n advances) where the colour changes.
    let n = 0;
    let start = 0;
    let prev = bin[row] as number;
    for (let x = 1; x < w; x++) {
      const v = bin[row + x] as number;
      const diff = v ^ prev;
      const change = (diff | -diff) >>> 31;
      runs[n] = x - start;
      starts[n] = start;
      n += change;
      start += change * (x - start);
      prev = v;
    }
    runs[n] = w - start;
    starts[n] = start;
    n++;
    const firstDark = bin[row] === 1;
    for (let i = firstDark ? 0 : 1; i + 4 < n; i += 2) {
      const m = finderRatio(runs, i);
      if (!m) continue;
      const cx = (starts[i + 2] as number) + (runs[i + 2] as number) / 2 - 0.5;
      const v = crossCheck(bin, w, h, cx, y, 0, 1, Math.ceil(m * 2.5));
      if (!v) continue;
      const cy = y + v[1];
      const hz = crossCheck(bin, w, h, cx, cy, 1, 0, Math.ceil(m * 2.5));
      if (!hz) continue;
      const cxx = cx + hz[1];
      if (!crossCheck(bin, w, h, cxx, cy, Math.SQRT1_2, Math.SQRT1_2, Math.ceil(m * 3.5))) continue;
      const module = (m + v[0] + hz[0]) / 3;
      const near = found.find((f) => Math.hypot(f.x - cxx, f.y - cy) < 2.5 * Math.max(f.module, module));
      if (near) {
        near.x = (near.x * near.hits + cxx) / (near.hits + 1);
        near.y = (near.y * near.hits + cy) / (near.hits + 1);
        near.module = (near.module * near.hits + module) / (near.hits + 1);
        near.hits++;
      } else {
        found.push({ x: cxx, y: cy, module, hits: 1 });
      }
    }
  }
  return found.sort((a, b) => b.hits - a.hits);
}

/**
 * Group finder patterns into code candidates: triples of similar module size whose centres
 * form a roughly right isosceles triangle at least 14 modules on a side; the candidate is the
 * triangle completed to a parallelogram, with a margin. Leftover sure finders give a guess
 * around themselves.
 *
 * @param finders - From {@link findFinderPatterns}.
 * @param width - Image width (candidates are clamped to it).
 * @param height - Image height.
 * @param max - Most candidates.
 */
export function groupFinders(
  finders: readonly FinderPattern[],
  width: number,
  height: number,
  max: number,
): CodeCandidate[] {
  const fs = finders.filter((f) => f.hits >= 2).slice(0, 24);
  const triples: { score: number; f: [FinderPattern, FinderPattern, FinderPattern] }[] = [];
  for (let i = 0; i < fs.length; i++) {
    for (let j = i + 1; j < fs.length; j++) {
      for (let k = j + 1; k < fs.length; k++) {
        const t = [fs[i], fs[j], fs[k]] as [FinderPattern, FinderPattern, FinderPattern];
        const ms = t.map((f) => f.module);
        if (Math.max(...ms) / Math.min(...ms) > 1.8) continue;
        const m = (ms[0]! + ms[1]! + ms[2]!) / 3;
        // The corner is the finder opposite the longest side.
        const d = [
          Math.hypot(t[1].x - t[2].x, t[1].y - t[2].y),
          Math.hypot(t[0].x - t[2].x, t[0].y - t[2].y),
          Math.hypot(t[0].x - t[1].x, t[0].y - t[1].y),
        ];
        const longest = d.indexOf(Math.max(...d));
        const corner = t[longest] as FinderPattern;
        const [a, b] = t.filter((_, n) => n !== longest) as [FinderPattern, FinderPattern];
        const la = Math.hypot(a.x - corner.x, a.y - corner.y);
        const lb = Math.hypot(b.x - corner.x, b.y - corner.y);
        if (Math.min(la, lb) / m < 12 || Math.max(la, lb) / m > 190) continue;
        if (Math.max(la, lb) / Math.min(la, lb) > 1.7) continue;
        const cos = ((a.x - corner.x) * (b.x - corner.x) + (a.y - corner.y) * (b.y - corner.y)) / (la * lb);
        if (Math.abs(cos) > 0.55) continue;
        const score =
          (1 - Math.abs(cos)) * (Math.min(la, lb) / Math.max(la, lb)) * Math.min(10, a.hits + b.hits + corner.hits);
        triples.push({ score, f: [corner, a, b] });
      }
    }
  }
  triples.sort((p, q) => q.score - p.score);
  const out: CodeCandidate[] = [];
  const used = new Set<FinderPattern>();
  const push = (xs: number[], ys: number[], module: number, finders: FinderPattern[]) => {
    const margin = 6 * module;
    const x0 = Math.max(0, Math.floor(Math.min(...xs) - margin));
    const y0 = Math.max(0, Math.floor(Math.min(...ys) - margin));
    const x1 = Math.min(width, Math.ceil(Math.max(...xs) + margin));
    const y1 = Math.min(height, Math.ceil(Math.max(...ys) + margin));
    if (x1 - x0 < 8 || y1 - y0 < 8) return;
    out.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, module, finders });
  };
  for (const { f } of triples) {
    if (out.length >= max) break;
    if (f.some((p) => used.has(p))) continue;
    for (const p of f) used.add(p);
    const [c, a, b] = f;
    const fourth = { x: a.x + b.x - c.x, y: a.y + b.y - c.y };
    push([c.x, a.x, b.x, fourth.x], [c.y, a.y, b.y, fourth.y], (a.module + b.module + c.module) / 3, [...f]);
  }
  // Sure finders left over (the other two lost to glare, blur or a crease): a window around
  // each big enough for a version-10 code in any direction.
  for (const f of fs) {
    if (out.length >= max) break;
    if (used.has(f) || f.hits < 3) continue;
    used.add(f);
    const r = 60 * f.module;
    push([f.x - r, f.x + r], [f.y - r, f.y + r], f.module, [f]);
  }
  return out;
}
