import {
  type CylinderLayout,
  cylinderLayout,
  KERNEL_LAYER_WORDS,
  KERNEL_LAYOUT,
  KERNEL_WORDS,
  META,
  MccKernel,
  MIN_COMPATIBILITY,
} from './mccKernel.js';
import type { PreparedTemplate } from './prepare.js';

/**
 * Minutia Cylinder-Code (Cappelli, Ferrara, Maltoni, IEEE TPAMI 2010), bit-vector form, written
 * from the paper. Around each minutia a cylinder of NS × NS spatial cells (radius R, turned
 * with the minutia) × ND directional layers records where the neighbouring minutiae lie and how
 * their directions differ from the central one; a cell's bit is set when the Gaussian-weighted
 * contribution of the neighbours reaches μψ. Two cylinders compare by popcounts over the cells
 * valid in both; the template score consolidates the local similarities by Local Similarity
 * Sort with Relaxation (LSS-R): pairs whose geometric relations agree with the other pairs'
 * keep their similarity, isolated chance matches lose it.
 * @internal
 */
export interface MccParams {
  /** Cylinder radius, pixels at 500 dpi. */
  radius: number;
  /** Spatial cells along a side. */
  ns: number;
  /** Directional layers. */
  nd: number;
  /** Spatial and directional Gaussian widths. */
  sigmaS: number;
  sigmaD: number;
  /** Bit threshold on a cell's summed contribution. */
  muPsi: number;
  /** Cells farther than this outside the minutiae's convex hull are invalid. */
  hullOffset: number;
  /** A cylinder needs this share of its in-circle cells valid ... */
  minValidCells: number;
  /** ... and this many neighbours within radius + 3σS. */
  minNeighbours: number;
  /** Two cylinders are comparable when this share of the in-circle cells is valid in both. */
  minMatchable: number;
  /** Largest direction difference between comparable minutiae, radians. */
  maxRotation: number;
  /** Pairs consolidated: from minPairs to maxPairs, sigmoid of the smaller count (μP, τP). */
  minPairs: number;
  maxPairs: number;
  muP: number;
  tauP: number;
  /** Relaxation: iterations and weight of the previous value. */
  relaxIterations: number;
  relaxWeight: number;
  /** Compatibility sigmoids (μ, τ) on distance, direction-difference and bearing disagreement. */
  mu1: number;
  tau1: number;
  /** Share of the distance added to μ1 (skin stretches more over longer distances). */
  mu1Rel: number;
  mu2: number;
  tau2: number;
  mu3: number;
  tau3: number;
}

/**
 * The paper's parameters (MCC16b, LSS-R), except μ1 growing by 10% of the distance (tuning
 * half: pooled EER 5.6 → 5.1%; FVC2004 DB1 stretches more than the paper's fixed 5 pixels allow)
 * and 75% rather than 60% of the cells matchable (5.1 → 4.9%; 85%: 5.7%).
 * @internal
 */
export const DEFAULT_MCC_PARAMS: MccParams = {
  radius: 70,
  ns: 16,
  nd: 6,
  sigmaS: 28 / 3,
  sigmaD: (2 * Math.PI) / 9,
  muPsi: 0.01,
  hullOffset: 50,
  minValidCells: 0.75,
  minNeighbours: 2,
  minMatchable: 0.75,
  maxRotation: Math.PI / 2,
  minPairs: 4,
  maxPairs: 12,
  muP: 20,
  tauP: 0.4,
  relaxIterations: 5,
  relaxWeight: 0.5,
  mu1: 5,
  tau1: -8 / 5,
  mu1Rel: 0.1,
  mu2: Math.PI / 12,
  tau2: -30,
  mu3: Math.PI / 12,
  tau3: -30,
};

const TWO_PI = Math.PI * 2;

/**
 * Cylinders of one template, kept once: as records in the layout of `mccKernel.ts`, which the
 * WebAssembly kernel copies in as they are and the JavaScript path reads in place.
 * @internal
 */
export interface Cylinders {
  /** Minutiae with a valid cylinder, as indices into the prepared template. */
  count: number;
  index: Uint8Array;
  layout: CylinderLayout;
  /** `count × layout.stride` words: cell bits (layer after layer), valid cells, bit planes, meta, occupancy. */
  records: Int32Array;
  /** The same words as float32 (cos, sin, x, y, direction). */
  floats: Float32Array;
  /** In-circle cells of a layer. */
  inCircle: number;
  params: MccParams;
}

function wrapPi(a: number): number {
  // Already in range: the remainder below would return it unchanged; within a turn, the
  // remainder is the value itself.
  if (a >= -Math.PI && a < Math.PI) return a;
  let r = a > -TWO_PI && a < TWO_PI ? a : a % TWO_PI;
  if (r < -Math.PI) r += TWO_PI;
  else if (r >= Math.PI) r -= TWO_PI;
  return r;
}

/** erf by Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

const DIR_TABLE_SIZE = 512;
const dirTables = new Map<string, Float32Array>();

/** Directional contribution per layer as a table over the direction difference: `table[step * nd + k]`. */
function directionTable(nd: number, sigmaD: number): Float32Array {
  const key = `${nd}:${sigmaD}`;
  let t = dirTables.get(key);
  if (t) return t;
  t = new Float32Array(DIR_TABLE_SIZE * nd);
  const dd = TWO_PI / nd;
  const s = sigmaD * Math.SQRT2;
  for (let step = 0; step < DIR_TABLE_SIZE; step++) {
    const theta = -Math.PI + ((step + 0.5) / DIR_TABLE_SIZE) * TWO_PI;
    for (let k = 0; k < nd; k++) {
      const phi = -Math.PI + (k + 0.5) * dd;
      const alpha = wrapPi(phi - theta);
      t[step * nd + k] = 0.5 * (erf((alpha + dd / 2) / s) - erf((alpha - dd / 2) / s));
    }
  }
  dirTables.set(key, t);
  return t;
}

/** Convex hull (monotone chain), counter-clockwise. */
function convexHull(xs: Float32Array, ys: Float32Array, n: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (xs[a] as number) - (xs[b] as number) || (ys[a] as number) - (ys[b] as number),
  );
  const cross = (o: number, a: number, b: number) =>
    ((xs[a] as number) - (xs[o] as number)) * ((ys[b] as number) - (ys[o] as number)) -
    ((ys[a] as number) - (ys[o] as number)) * ((xs[b] as number) - (xs[o] as number));
  const lower: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && cross(lower[lower.length - 2] as number, lower[lower.length - 1] as number, i) <= 0)
      lower.pop();
    lower.push(i);
  }
  const upper: number[] = [];
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k] as number;
    while (upper.length >= 2 && cross(upper[upper.length - 2] as number, upper[upper.length - 1] as number, i) <= 0)
      upper.pop();
    upper.push(i);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * Whether (x, y) is inside the hull or within `offset` of it. Inside is decided first, from the
 * edges' cross products alone: most cells of most cylinders are, and need no distance.
 */
function nearHull(hull: number[], xs: Float32Array, ys: Float32Array, x: number, y: number, offset: number): boolean {
  const h = hull.length;
  if (h === 0) return false;
  if (h >= 3) {
    let inside = true;
    for (let k = 0; k < h && inside; k++) {
      const a = hull[k] as number;
      const b = hull[(k + 1) % h] as number;
      const ax = xs[a] as number;
      const ay = ys[a] as number;
      if (((xs[b] as number) - ax) * (y - ay) - ((ys[b] as number) - ay) * (x - ax) < 0) inside = false;
    }
    if (inside) return true;
  }
  const limit = offset * offset;
  for (let k = 0; k < h; k++) {
    const a = hull[k] as number;
    const b = hull[(k + 1) % h] as number;
    const ax = xs[a] as number;
    const ay = ys[a] as number;
    const ex = (xs[b] as number) - ax;
    const ey = (ys[b] as number) - ay;
    const px = x - ax;
    const py = y - ay;
    const len2 = ex * ex + ey * ey;
    const t = len2 > 0 ? Math.max(0, Math.min(1, (px * ex + py * ey) / len2)) : 0;
    const dx = px - t * ex;
    const dy = py - t * ey;
    if (dx * dx + dy * dy <= limit) return true;
  }
  return false;
}

/**
 * Cylinders of every minutia of a prepared template; minutiae whose cylinder has too few valid
 * cells or neighbours are left out (they would only add chance similarities).
 * @internal
 */
export function buildCylinders(p: PreparedTemplate, params: MccParams = DEFAULT_MCC_PARAMS): Cylinders {
  const { ns, nd, radius, sigmaS, muPsi } = params;
  const cells = ns * ns;
  const layerWords = (cells + 31) >>> 5;
  const words = layerWords * nd;
  const n = p.count;
  const bits = new Int32Array(n * words);
  const valid = new Int32Array(n * layerWords);
  const index = new Uint8Array(n);
  const full = new Uint8Array(n);
  const { x: xs, y: ys, angle } = p;
  const hull = convexHull(xs, ys, n);
  const table = directionTable(nd, params.sigmaD);
  const delta = (2 * radius) / ns;
  const reach = radius + 3 * sigmaS;
  const cut2 = 9 * sigmaS * sigmaS;
  const gNorm = 1 / (sigmaS * Math.sqrt(TWO_PI));
  const g2 = 1 / (2 * sigmaS * sigmaS);
  let inCircle = 0;
  for (let i = 0; i < ns; i++) {
    for (let j = 0; j < ns; j++) {
      const u = (i - (ns - 1) / 2) * delta;
      const v = (j - (ns - 1) / 2) * delta;
      if (u * u + v * v <= radius * radius) inCircle++;
    }
  }
  // Per cell of the current cylinder: centre (x, y), whether valid, and the summed contribution
  // per layer. Filled neighbour by neighbour, each over the cells within its 3σS reach only; a
  // cell's sums still add its neighbours in the same order as a cell-by-cell loop would.
  const cellX = new Float64Array(cells);
  const cellY = new Float64Array(cells);
  const cellValid = new Uint8Array(cells);
  const sums = new Float32Array(cells * nd);
  const half = (ns - 1) / 2;
  // Cells beyond this from a neighbour, in either axis of the cylinder, are past the cut (1 px margin).
  const boxReach = 3 * sigmaS + 1;
  const neigh: number[] = [];
  let count = 0;
  for (let m = 0; m < n; m++) {
    const mx = xs[m] as number;
    const my = ys[m] as number;
    const c = Math.cos(angle[m] as number);
    const s = Math.sin(angle[m] as number);
    neigh.length = 0;
    for (let t = 0; t < n; t++) {
      if (t === m) continue;
      const dx = (xs[t] as number) - mx;
      const dy = (ys[t] as number) - my;
      if (dx * dx + dy * dy <= reach * reach) neigh.push(t);
    }
    if (neigh.length < params.minNeighbours) continue;
    const bOff = count * words;
    const vOff = count * layerWords;
    let validCells = 0;
    for (let i = 0; i < ns; i++) {
      for (let j = 0; j < ns; j++) {
        const cell = i * ns + j;
        cellValid[cell] = 0;
        const u = (i - half) * delta;
        const v = (j - half) * delta;
        if (u * u + v * v > radius * radius) continue;
        const px = mx + c * u - s * v;
        const py = my + s * u + c * v;
        if (!nearHull(hull, xs, ys, px, py, params.hullOffset)) continue;
        cellX[cell] = px;
        cellY[cell] = py;
        cellValid[cell] = 1;
        valid[vOff + (cell >>> 5)] = (valid[vOff + (cell >>> 5)] as number) | (1 << (cell & 31));
        validCells++;
      }
    }
    sums.fill(0);
    for (const t of neigh) {
      const tx = xs[t] as number;
      const ty = ys[t] as number;
      const dtheta = wrapPi((angle[t] as number) - (angle[m] as number));
      let step = (((dtheta + Math.PI) / TWO_PI) * DIR_TABLE_SIZE) | 0;
      if (step >= DIR_TABLE_SIZE) step = DIR_TABLE_SIZE - 1;
      const row = step * nd;
      // The neighbour in the cylinder's frame, and the cells around it.
      const ut = c * (tx - mx) + s * (ty - my);
      const vt = -s * (tx - mx) + c * (ty - my);
      const i0 = Math.max(0, Math.ceil((ut - boxReach) / delta + half));
      const i1 = Math.min(ns - 1, Math.floor((ut + boxReach) / delta + half));
      const j0 = Math.max(0, Math.ceil((vt - boxReach) / delta + half));
      const j1 = Math.min(ns - 1, Math.floor((vt + boxReach) / delta + half));
      for (let i = i0; i <= i1; i++) {
        for (let j = j0; j <= j1; j++) {
          const cell = i * ns + j;
          if (cellValid[cell] === 0) continue;
          const dx = tx - (cellX[cell] as number);
          const dy = ty - (cellY[cell] as number);
          const d2 = dx * dx + dy * dy;
          if (d2 > cut2) continue;
          const cs = gNorm * Math.exp(-d2 * g2);
          const o = cell * nd;
          for (let k = 0; k < nd; k++) sums[o + k] = (sums[o + k] as number) + cs * (table[row + k] as number);
        }
      }
    }
    for (let cell = 0; cell < cells; cell++) {
      if (cellValid[cell] === 0) continue;
      const w = cell >>> 5;
      const bit = 1 << (cell & 31);
      for (let k = 0; k < nd; k++) {
        if ((sums[cell * nd + k] as number) >= muPsi) {
          const o = bOff + k * layerWords + w;
          bits[o] = (bits[o] as number) | bit;
        }
      }
    }
    if (validCells < params.minValidCells * inCircle) {
      bits.fill(0, bOff, bOff + words);
      valid.fill(0, vOff, vOff + layerWords);
      continue;
    }
    full[count] = validCells === inCircle ? 1 : 0;
    index[count++] = m;
  }
  const layout =
    words === KERNEL_WORDS && layerWords === KERNEL_LAYER_WORDS ? KERNEL_LAYOUT : cylinderLayout(words, layerWords);
  const { stride, planesAt, metaAt, occupancyAt } = layout;
  const records = new Int32Array(count * stride);
  const floats = new Float32Array(records.buffer);
  for (let k = 0; k < count; k++) {
    const o = k * stride;
    const bOff = k * words;
    const vOff = k * layerWords;
    records.set(bits.subarray(bOff, bOff + words), o);
    records.set(valid.subarray(vOff, vOff + layerWords), o + words);
    // Layers set per cell, bit-sliced (a carry-save count over the layers; the kernel's layout
    // has nd = 6 < 8, so three planes hold it).
    let validCount = 0;
    for (let w = 0; w < layerWords; w++) {
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      for (let l = 0; l < nd; l++) {
        const x = bits[bOff + l * layerWords + w] as number;
        const c0 = p0 & x;
        p0 ^= x;
        const c1 = p1 & c0;
        p1 ^= c0;
        p2 |= c1;
      }
      records[o + planesAt + w] = p0;
      records[o + planesAt + layerWords + w] = p1;
      records[o + planesAt + 2 * layerWords + w] = p2;
      validCount += popSum(pop8(valid[vOff + w] as number));
    }
    for (let w = 0; w < words; w++) {
      const at = o + occupancyAt + (w >>> 5);
      if ((bits[bOff + w] as number) !== 0) records[at] = (records[at] as number) | (1 << (w & 31));
    }
    const m = index[k] as number;
    const meta = o + metaAt;
    floats[meta + META.cos] = Math.cos(angle[m] as number);
    floats[meta + META.sin] = Math.sin(angle[m] as number);
    records[meta + META.full] = full[k] as number;
    // Bits lie inside the cylinder's own valid cells, so masking by them counts every bit.
    records[meta + META.ones] = maskedOnes(bits, bOff, words, valid, vOff, layerWords);
    records[meta + META.validCount] = validCount;
    floats[meta + META.x] = xs[m] as number;
    floats[meta + META.y] = ys[m] as number;
    floats[meta + META.angle] = angle[m] as number;
  }
  return { count, index: index.slice(0, count), layout, records, floats, inCircle, params };
}

/** Byte-wise popcount partial (each byte holds its own count, ≤ 8). */
function pop8(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (v + (v >>> 4)) & 0x0f0f0f0f;
}

function popSum(acc: number): number {
  return Math.imul(acc, 0x01010101) >>> 24;
}

/** Popcount of `bits[off .. off + words)` masked by `mask[moff .. moff + layerWords)` repeated per layer. */
function maskedOnes(bits: Int32Array, off: number, words: number, mask: Int32Array, moff: number, lw: number): number {
  let n = 0;
  for (let l = 0; l < words; l += lw) {
    let acc = 0;
    for (let w = 0; w < lw; w++) acc += pop8((bits[off + l + w] as number) & (mask[moff + w] as number));
    n += popSum(acc);
  }
  return n;
}

/** Popcount of cylinder `k` of `c` masked by the valid cells `mask[moff ..]`, over its non-zero words only. */
function occupiedOnes(c: Cylinders, k: number, mask: Int32Array, moff: number): number {
  const { records, layout } = c;
  const off = k * layout.stride;
  const lw = layout.layerWords;
  let n = 0;
  for (let o = 0; o < layout.occupancyWords; o++) {
    let occ = records[off + layout.occupancyAt + o] as number;
    while (occ !== 0) {
      const low = occ & -occ;
      const w = (o << 5) + 31 - Math.clz32(low);
      n += popSum(pop8((records[off + w] as number) & (mask[moff + (w % lw)] as number)));
      occ ^= low;
    }
  }
  return n;
}

/**
 * Similarity of cylinder `ia` of `a` and `ib` of `b` in [0, 1] (0 when not comparable):
 * 1 − ‖x ⊕ y‖ / (‖x‖ + ‖y‖), x and y the two cylinders over the cells valid in both, ‖·‖ the
 * square root of a popcount. Bits are only ever set in a cylinder's own valid cells, so x ∧ y
 * is the plain AND of the two, and when one valid mask contains the other that side's masked
 * popcount is its precomputed total.
 * @internal
 */
export function cylinderSimilarity(
  a: Cylinders,
  ia: number,
  b: Cylinders,
  ib: number,
  minMatchableCells: number,
): number {
  const { layout } = a;
  const { words, layerWords: lw, stride, metaAt, occupancyAt, occupancyWords } = layout;
  const ar = a.records;
  const br = b.records;
  const oa = ia * stride;
  const ob = ib * stride;
  const va = oa + words;
  const vb = ob + words;
  let acc = 0;
  let aInB = true;
  let bInA = true;
  // Two full cylinders have the same valid cells: nothing to check.
  const bothFull = (ar[oa + metaAt + META.full] as number) & (br[ob + metaAt + META.full] as number);
  for (let w = bothFull ? lw : 0; w < lw; w++) {
    const x = ar[va + w] as number;
    const y = br[vb + w] as number;
    const m = x & y;
    if (m !== x) aInB = false;
    if (m !== y) bInA = false;
    acc += pop8(m);
  }
  if (!bothFull && popSum(acc) < minMatchableCells) return 0;
  // x ∧ y only over the words non-zero in both.
  let nab = 0;
  for (let o = 0; o < occupancyWords; o++) {
    let both = (ar[oa + occupancyAt + o] as number) & (br[ob + occupancyAt + o] as number);
    while (both !== 0) {
      const low = both & -both;
      const w = (o << 5) + 31 - Math.clz32(low);
      nab += popSum(pop8((ar[oa + w] as number) & (br[ob + w] as number)));
      both ^= low;
    }
  }
  const na = aInB ? (ar[oa + metaAt + META.ones] as number) : occupiedOnes(a, ia, br, vb);
  const nb = bInA ? (br[ob + metaAt + META.ones] as number) : occupiedOnes(b, ib, ar, va);
  const den = Math.sqrt(na) + Math.sqrt(nb);
  if (den === 0) return 0;
  // ‖x ⊕ y‖² = ‖x‖² + ‖y‖² − 2‖x ∧ y‖²
  return 1 - Math.sqrt(Math.max(0, na + nb - 2 * nab)) / den;
}

function sigmoid(v: number, mu: number, tau: number): number {
  return 1 / (1 + Math.exp(-tau * (v - mu)));
}

/** Work buffers reused across comparisons. @internal */
export class MccWorkspace {
  /**
   * The WebAssembly cylinder-pair kernel of this workspace (its own memory), undefined until
   * first used, null when not used (unavailable, or `useKernel` false).
   */
  kernel: MccKernel | null | undefined;
  constructor(options: { useKernel?: boolean } = {}) {
    if (options.useKernel === false) this.kernel = null;
  }
  sim = new Float32Array(256 * 256);
  /** Sort keys of the comparable cylinder pairs (JavaScript path). */
  order = new Uint32Array(256 * 256);
  sorted = new Uint32Array(256 * 256);
  counts = new Int32Array(256);
  selected = new Uint32Array(256);
  usedA = new Uint8Array(256);
  usedB = new Uint8Array(256);
  pa = new Int32Array(256);
  pb = new Int32Array(256);
  lambda = new Float64Array(256);
  next = new Float64Array(256);
  rho = new Float64Array(256 * 256);
  /** Non-zero compatibilities of each selected pair: `rhoIdx[s * 256 .. s * 256 + rhoCount[s])`, ascending. */
  rhoIdx = new Uint8Array(256 * 256);
  rhoCount = new Int32Array(256);
  eff = new Float64Array(256);
  /** Position and direction (x, y, θ) of the preselected pairs' minutiae in each template. */
  minA = new Float64Array(3 * 256);
  minB = new Float64Array(3 * 256);
  ratio = new Float64Array(256);
  rank = new Int32Array(256);
}

/** Result of an MCC comparison. @internal */
export interface MccResult {
  /** Global score in [0, 1]. */
  score: number;
  /** Pairs consolidated into the score. */
  pairs: number;
}

/**
 * The disagreement beyond which a compatibility sigmoid alone is below {@link MIN_COMPATIBILITY}
 * (it falls with the disagreement when τ < 0; the product of sigmoids is then below it too),
 * with a margin so that values near the cut still go through the exact test.
 */
function sigmoidCut(mu: number, tau: number): number {
  if (tau >= 0) return Number.POSITIVE_INFINITY;
  return mu + Math.log(1 / MIN_COMPATIBILITY - 1) / -tau + 1e-6;
}

/** One stable counting-sort pass of `from[0 .. n)` into `to` by the byte of each key at `shift`. */
function countingPass(from: Uint32Array, to: Uint32Array, n: number, shift: number, counts: Int32Array): void {
  counts.fill(0);
  for (let q = 0; q < n; q++) {
    const h = ((from[q] as number) >>> shift) & 0xff;
    counts[h] = (counts[h] as number) + 1;
  }
  let sum = 0;
  for (let h = 0; h < 256; h++) {
    const c = counts[h] as number;
    counts[h] = sum;
    sum += c;
  }
  for (let q = 0; q < n; q++) {
    const key = from[q] as number;
    const h = (key >>> shift) & 0xff;
    to[counts[h] as number] = key;
    counts[h] = (counts[h] as number) + 1;
  }
}

/**
 * The JavaScript path of the kernel's `select`: sort the keys by their quantised dissimilarity
 * (two stable passes, so ties stay in pair order), then take, in that order, each pair whose
 * minutiae are both free, until `nR` are taken. Returns how many were.
 */
function preselect(
  keys: Uint32Array,
  tmp: Uint32Array,
  counts: Int32Array,
  nz: number,
  usedA: Uint8Array,
  na: number,
  usedB: Uint8Array,
  nb: number,
  nR: number,
  selected: Uint32Array,
): number {
  countingPass(keys, tmp, nz, 16, counts);
  countingPass(tmp, keys, nz, 24, counts);
  usedA.fill(0, 0, na);
  usedB.fill(0, 0, nb);
  let r = 0;
  for (let q = 0; q < nz && r < nR; q++) {
    const key = keys[q] as number;
    const i = (key >>> 8) & 0xff;
    const j = key & 0xff;
    if (usedA[i] || usedB[j]) continue;
    usedA[i] = 1;
    usedB[j] = 1;
    selected[r++] = key;
  }
  return r;
}

/** `(x, y, θ)` of minutia `m` of `p` into slot `s` of `into`. */
function placeMinutia(into: Float64Array, s: number, p: PreparedTemplate, m: number): void {
  into[3 * s] = p.x[m] as number;
  into[3 * s + 1] = p.y[m] as number;
  into[3 * s + 2] = p.angle[m] as number;
}

/**
 * Global MCC score (LSS-R) of two templates' cylinders.
 * @internal
 */
export function mccCompare(
  pa: PreparedTemplate,
  a: Cylinders,
  pb: PreparedTemplate,
  b: Cylinders,
  ws: MccWorkspace,
): MccResult {
  const params = a.params;
  const na = a.count;
  const nb = b.count;
  if (na === 0 || nb === 0) return { score: 0, pairs: 0 };
  const minCells = params.minMatchable * a.inCircle;
  const cosMax = Math.cos(params.maxRotation);
  if (ws.kernel === undefined) ws.kernel = MccKernel.create() ?? null;
  const kernel = a.layout === KERNEL_LAYOUT && b.layout === KERNEL_LAYOUT ? ws.kernel : null;
  // Pairs of cylinders with a positive similarity, as keys q << 16 | i << 8 | j (q: the
  // similarity quantised to 1/65535, descending), in pair order; then sorted by q (ties in pair
  // order) and preselected: the best min(na, nb) pairs, each minutia used once.
  const nR = Math.min(na, nb);
  /** Pairs consolidated into the score: from minPairs to maxPairs, growing with the smaller count. */
  const pairsTaken = (nz: number) =>
    Math.min(
      nz,
      params.minPairs +
        Math.round(sigmoid(Math.min(na, nb), params.muP, params.tauP) * (params.maxPairs - params.minPairs)),
    );
  const { mu1, tau1, mu1Rel, mu2, tau2, mu3, tau3 } = params;
  const cut1 = sigmoidCut(mu1, tau1);
  const cut2 = sigmoidCut(mu2, tau2);
  if (kernel) {
    const nz = kernel.pairs(a.records, na, b.records, nb, cosMax, minCells);
    if (nz === 0) return { score: 0, pairs: 0 };
    const r = kernel.select(na, nb, nz, nR);
    const nP = pairsTaken(nz);
    const score = kernel.relax(
      r,
      nP,
      mu1,
      tau1,
      mu1Rel,
      cut1,
      mu2,
      tau2,
      cut2,
      mu3,
      tau3,
      params.relaxWeight,
      params.relaxIterations,
    );
    return { score, pairs: Math.min(nP, r) };
  }
  const { sim, order, selected } = ws;
  const { stride, metaAt } = a.layout;
  const af = a.floats;
  const bf = b.floats;
  let nz = 0;
  for (let i = 0; i < na; i++) {
    const ca = af[i * stride + metaAt + META.cos] as number;
    const sa = af[i * stride + metaAt + META.sin] as number;
    for (let j = 0; j < nb; j++) {
      // cos of the direction difference
      const cb = bf[j * stride + metaAt + META.cos] as number;
      const sb = bf[j * stride + metaAt + META.sin] as number;
      if (ca * cb + sa * sb < cosMax) continue;
      const v = cylinderSimilarity(a, i, b, j, minCells);
      const k = (i << 8) | j;
      sim[k] = v;
      if (v > 0) order[nz++] = Math.round((1 - v) * 65535) * 65536 + k;
    }
  }
  if (nz === 0) return { score: 0, pairs: 0 };
  const r = preselect(order, ws.sorted, ws.counts, nz, ws.usedA, na, ws.usedB, nb, nR, selected);
  const nP = pairsTaken(nz);
  const { lambda, next, rho, rhoIdx, rhoCount, eff, ratio, rank } = ws;
  const pA = ws.pa;
  const pB = ws.pb;
  for (let s = 0; s < r; s++) {
    const key = selected[s] as number;
    pA[s] = a.index[(key >>> 8) & 0xff] as number;
    pB[s] = b.index[key & 0xff] as number;
    lambda[s] = sim[key & 0xffff] as number;
  }
  // Compatibility of every two selected pairs.
  const { minA, minB } = ws;
  for (let s = 0; s < r; s++) {
    placeMinutia(minA, s, pa, pA[s] as number);
    placeMinutia(minB, s, pb, pB[s] as number);
  }
  rhoCount.fill(0, 0, r);
  for (let s = 0; s < r; s++) {
    const xas = minA[3 * s] as number;
    const yas = minA[3 * s + 1] as number;
    const tas = minA[3 * s + 2] as number;
    const xbs = minB[3 * s] as number;
    const ybs = minB[3 * s + 1] as number;
    const tbs = minB[3 * s + 2] as number;
    for (let t = s + 1; t < r; t++) {
      const dax = (minA[3 * t] as number) - xas;
      const day = (minA[3 * t + 1] as number) - yas;
      const dbx = (minB[3 * t] as number) - xbs;
      const dby = (minB[3 * t + 1] as number) - ybs;
      const la = Math.sqrt(dax * dax + day * day);
      const d1 = Math.abs(la - Math.sqrt(dbx * dbx + dby * dby)) - mu1Rel * la;
      if (d1 > cut1) continue;
      // Both cuts before either sigmoid: exp is the costly part, and the cuts are pure tests.
      const thA = wrapPi((minA[3 * t + 2] as number) - tas);
      const thB = wrapPi((minB[3 * t + 2] as number) - tbs);
      const d2 = Math.abs(wrapPi(thA - thB));
      if (d2 > cut2) continue;
      const z1 = sigmoid(d1, mu1, tau1);
      // A compatibility below 1e-3 changes no relaxed similarity visibly: skip the bearings.
      if (z1 < MIN_COMPATIBILITY) continue;
      const z2 = sigmoid(d2, mu2, tau2);
      if (z1 * z2 < MIN_COMPATIBILITY) continue;
      const rA = wrapPi(tas - Math.atan2(day, dax));
      const rB = wrapPi(tbs - Math.atan2(dby, dbx));
      const d3 = Math.abs(wrapPi(rA - rB));
      const v = z1 * z2 * sigmoid(d3, mu3, tau3);
      if (v === 0) continue;
      rho[s * 256 + t] = v;
      rho[t * 256 + s] = v;
      // t rises within row s; s rises within row t: both lists stay ascending.
      rhoIdx[s * 256 + (rhoCount[s] as number)] = t;
      rhoCount[s] = (rhoCount[s] as number) + 1;
      rhoIdx[t * 256 + (rhoCount[t] as number)] = s;
      rhoCount[t] = (rhoCount[t] as number) + 1;
    }
  }
  // Relaxation; a zero compatibility adds nothing, so only the non-zero ones are summed (in
  // ascending order, as over the full row).
  const w = params.relaxWeight;
  for (let s = 0; s < r; s++) eff[s] = lambda[s] as number;
  const lam = lambda;
  const norm = Math.max(1, r - 1);
  for (let it = 0; it < params.relaxIterations; it++) {
    for (let s = 0; s < r; s++) {
      let sum = 0;
      const row = s * 256;
      const cnt = rhoCount[s] as number;
      for (let q = 0; q < cnt; q++) {
        const t = rhoIdx[row + q] as number;
        sum += (rho[row + t] as number) * (lam[t] as number);
      }
      next[s] = w * (lam[s] as number) + ((1 - w) * sum) / norm;
    }
    for (let s = 0; s < r; s++) lam[s] = next[s] as number;
  }
  // Efficiency: the pairs whose similarity survived the relaxation best (stable sort, descending).
  for (let s = 0; s < r; s++) {
    ratio[s] = (lam[s] as number) / (eff[s] as number);
    let p = s - 1;
    while (p >= 0 && (ratio[rank[p] as number] as number) < (ratio[s] as number)) {
      rank[p + 1] = rank[p] as number;
      p--;
    }
    rank[p + 1] = s;
  }
  const take = Math.min(nP, r);
  let sum = 0;
  for (let q = 0; q < take; q++) sum += lam[rank[q] as number] as number;
  return { score: take > 0 ? sum / take : 0, pairs: take };
}

/**
 * Cylinders of a prepared template, built on first use and kept on it.
 * @internal
 */
export function cylindersOf(p: PreparedTemplate): Cylinders {
  p.cylinders ??= buildCylinders(p);
  return p.cylinders;
}
