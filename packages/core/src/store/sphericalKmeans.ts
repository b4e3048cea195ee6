import { createRng } from '../ports/random.js';

/** Popcount of a 32-bit word. @internal */
export function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * Unit centroids with their sign codes (the same hyperplanes as the rows'), so the nearest
 * centroids of a vector are found by a Hamming pass over the centroid codes and exact dot products
 * with a short list only.
 * @internal
 */
export interface Centroids {
  cells: number;
  dim: number;
  words: number;
  vectors: Float32Array;
  codes: Uint32Array;
}

/** Centroids kept for the exact step: at least this many, or 4× the number asked for. */
const SHORTLIST = 32;

/**
 * The `count` centroids nearest `v[at…at+dim)` (largest dot product), best first: the
 * `max(32, 4·count)` centroids of smallest Hamming distance to `code[codeAt…]`, re-ranked exactly.
 * @internal
 */
export function nearestCentroids(
  set: Centroids,
  v: Float32Array,
  at: number,
  code: Uint32Array,
  codeAt: number,
  count: number,
): Int32Array {
  const { cells, dim, words, vectors, codes } = set;
  const keep = Math.min(cells, Math.max(SHORTLIST, 4 * count));
  let short: Int32Array;
  if (keep === cells) short = Int32Array.from({ length: cells }, (_, c) => c);
  else {
    const dist = new Uint16Array(cells);
    const histogram = new Uint32Array(words * 32 + 1);
    for (let c = 0; c < cells; c++) {
      let h = 0;
      for (let w = 0; w < words; w++)
        h += popcount(((codes[c * words + w] as number) ^ (code[codeAt + w] as number)) >>> 0);
      dist[c] = h;
      histogram[h] = (histogram[h] as number) + 1;
    }
    let cut = 0;
    for (let seen = 0; cut < histogram.length; cut++) {
      seen += histogram[cut] as number;
      if (seen >= keep) break;
    }
    let kept = 0;
    for (let h = 0; h <= cut; h++) kept += histogram[h] as number;
    short = new Int32Array(kept);
    for (let c = 0, j = 0; c < cells; c++) if ((dist[c] as number) <= cut) short[j++] = c;
  }
  const dots = new Float64Array(short.length);
  let best = 0;
  for (let j = 0; j < short.length; j++) {
    const cb = (short[j] as number) * dim;
    let dot = 0;
    for (let i = 0; i < dim; i++) dot += (vectors[cb + i] as number) * (v[at + i] as number);
    dots[j] = dot;
    if (dot > (dots[best] as number)) best = j;
  }
  // Filing a row (count 1, most calls) needs the best only.
  if (count === 1) return Int32Array.of(short[best] as number);
  const order = Array.from({ length: short.length }, (_, j) => j);
  order.sort((a, b) => (dots[b] as number) - (dots[a] as number));
  return Int32Array.from(order.slice(0, Math.min(count, order.length)), (j) => short[j] as number);
}

/**
 * Spherical k-means over unit rows of `data` (row-major, `dim` wide) whose sign codes are in
 * `rowCodes`: `cells` unit centroids, each the normalised mean of the sample rows nearest it.
 * Trains on a seeded sample of at most `sample` rows; a cell left empty takes a random sample row.
 * @param encode - writes the sign code of a unit vector (the rows' hyperplanes)
 * @internal
 */
export function sphericalKmeans(
  data: Float32Array,
  rowCodes: Uint32Array,
  rows: number,
  dim: number,
  words: number,
  cells: number,
  encode: (unit: Float32Array, out: Uint32Array, at: number) => void,
  options: { sample: number; iterations: number; seed: number },
): Centroids {
  const rng = createRng(options.seed);
  const m = Math.min(rows, Math.max(cells, options.sample));
  // A seeded partial Fisher–Yates over row numbers: m distinct rows.
  const pick = new Int32Array(rows);
  for (let i = 0; i < rows; i++) pick[i] = i;
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rng.next() * (rows - i));
    const t = pick[i] as number;
    pick[i] = pick[j] as number;
    pick[j] = t;
  }
  const set: Centroids = {
    cells,
    dim,
    words,
    vectors: new Float32Array(cells * dim),
    codes: new Uint32Array(cells * words),
  };
  const setCentroid = (c: number, from: Float32Array) => {
    set.vectors.set(from, c * dim);
    encode(from, set.codes, c * words);
  };
  for (let c = 0; c < cells; c++) {
    const r = pick[c % m] as number;
    setCentroid(c, data.subarray(r * dim, (r + 1) * dim));
  }
  const sums = new Float64Array(cells * dim);
  const counts = new Int32Array(cells);
  const unit = new Float32Array(dim);
  for (let it = 0; it < options.iterations; it++) {
    sums.fill(0);
    counts.fill(0);
    for (let s = 0; s < m; s++) {
      const r = pick[s] as number;
      const base = r * dim;
      const c = nearestCentroids(set, data, base, rowCodes, r * words, 1)[0] as number;
      counts[c] = (counts[c] as number) + 1;
      const cb = c * dim;
      for (let i = 0; i < dim; i++) sums[cb + i] = (sums[cb + i] as number) + (data[base + i] as number);
    }
    for (let c = 0; c < cells; c++) {
      const cb = c * dim;
      if (counts[c] === 0) {
        const r = pick[Math.floor(rng.next() * m)] as number;
        setCentroid(c, data.subarray(r * dim, (r + 1) * dim));
        continue;
      }
      let norm = 0;
      for (let i = 0; i < dim; i++) norm += (sums[cb + i] as number) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < dim; i++) unit[i] = (sums[cb + i] as number) / norm;
      setCentroid(c, unit);
    }
  }
  return set;
}
