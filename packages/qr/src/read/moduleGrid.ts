/**
 * Reading a QR code's module grid ourselves, for codes the engine locates badly (small in
 * the frame, blurred, noisy, JPEG-compressed): from three finder-pattern centres, fit a
 * projective grid to the code's fixed patterns (finders, separators, timing rows, alignment
 * patterns, version blocks), sample every module at several points, threshold the module
 * values a few ways and re-render each bit matrix as a crisp image the engine decodes in
 * its pure mode (format bits, unmasking and Reed–Solomon stay the engine's).
 * @internal
 */
import type { RasterImage } from '@smart-citizen/image';
import type { FinderPattern } from './finders.js';
import { sampleBilinear } from './greyOps.js';
import { alignmentCentres, type SoftDecoded, softDecodeBlocks } from './softDecode.js';

export { alignmentCentres };

/** A 3×3 homography, row-major: maps code coordinates (modules) to image pixels. */
export type Homography = Float64Array;

/** Point in code (module) coordinates or image pixels. */
interface Pt {
  x: number;
  y: number;
}

/**
 * The projective map sending four source points to four destination points (DLT with
 * h33 = 1, Gaussian elimination with partial pivoting). Undefined when degenerate.
 */
export function homography(src: readonly Pt[], dst: readonly Pt[]): Homography | undefined {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const s = src[i] as Pt;
    const d = dst[i] as Pt;
    a.push([s.x, s.y, 1, 0, 0, 0, -d.x * s.x, -d.x * s.y]);
    b.push(d.x);
    a.push([0, 0, 0, s.x, s.y, 1, -d.y * s.x, -d.y * s.y]);
    b.push(d.y);
  }
  const x = solve(a, b);
  if (!x) return undefined;
  const h = new Float64Array(9);
  h.set(x);
  h[8] = 1;
  return h;
}

function project(h: Homography, x: number, y: number): Pt {
  const w = (h[6] ?? 0) * x + (h[7] ?? 0) * y + (h[8] ?? 1);
  return {
    x: ((h[0] ?? 0) * x + (h[1] ?? 0) * y + (h[2] ?? 0)) / w,
    y: ((h[3] ?? 0) * x + (h[4] ?? 0) * y + (h[5] ?? 0)) / w,
  };
}

/** The 18-bit version information block of versions 7 and up (BCH(18,6)). */
function versionBits(version: number): number {
  let rem = version;
  for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25);
  return (version << 12) | rem;
}

/** Modules whose colour is fixed for a version: x, y, dark (1) or light (0). */
interface KnownModules {
  x: Int16Array;
  y: Int16Array;
  dark: Uint8Array;
}

const knownCache = new Map<number, KnownModules>();

/** The fixed modules of a QR code of this version (finders with separators, timing, alignment, version). */
export function knownModules(version: number): KnownModules {
  const hit = knownCache.get(version);
  if (hit) return hit;
  const size = 17 + 4 * version;
  const cells = new Map<number, number>();
  const set = (x: number, y: number, dark: number) => {
    if (x >= 0 && y >= 0 && x < size && y < size) cells.set(y * size + x, dark);
  };
  for (const [fx, fy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ] as const) {
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        const r = Math.max(Math.abs(dx), Math.abs(dy));
        set(fx + dx, fy + dy, r === 2 || r === 4 ? 0 : 1);
      }
    }
  }
  for (let i = 8; i < size - 8; i++) {
    set(i, 6, i % 2 === 0 ? 1 : 0);
    set(6, i, i % 2 === 0 ? 1 : 0);
  }
  const centres = alignmentCentres(version);
  for (const ay of centres) {
    for (const ax of centres) {
      if ((ax === 6 && ay === 6) || (ax === 6 && ay === size - 7) || (ax === size - 7 && ay === 6)) continue;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) === 1 ? 0 : 1);
      }
    }
  }
  if (version >= 7) {
    const bits = versionBits(version);
    for (let i = 0; i < 18; i++) {
      const bit = (bits >>> i) & 1;
      const a = size - 11 + (i % 3);
      const b = Math.floor(i / 3);
      set(a, b, bit);
      set(b, a, bit);
    }
  }
  set(8, size - 8, 1);
  const n = cells.size;
  const out: KnownModules = { x: new Int16Array(n), y: new Int16Array(n), dark: new Uint8Array(n) };
  let i = 0;
  for (const [k, dark] of cells) {
    out.x[i] = k % size;
    out.y[i] = Math.floor(k / size);
    out.dark[i] = dark;
    i++;
  }
  knownCache.set(version, out);
  return out;
}

/**
 * How well a grid fits the image: correlation between the fixed modules' colours and the
 * image (darker = higher) at their centres, in [-1, 1].
 */
function fitScore(grey: RasterImage, h: Homography, known: KnownModules): number {
  const n = known.dark.length;
  let sd = 0;
  let sv = 0;
  let svv = 0;
  let sdv = 0;
  // project() and sampleBilinear() written out (the same arithmetic in the same order, so the
  // same scores): this loop runs for every step of every grid descent.
  const h0 = h[0] ?? 0;
  const h1 = h[1] ?? 0;
  const h2 = h[2] ?? 0;
  const h3 = h[3] ?? 0;
  const h4 = h[4] ?? 0;
  const h5 = h[5] ?? 0;
  const h6 = h[6] ?? 0;
  const h7 = h[7] ?? 0;
  const h8 = h[8] ?? 1;
  const { width, height, data } = grey;
  for (let i = 0; i < n; i++) {
    const x = (known.x[i] ?? 0) + 0.5;
    const y = (known.y[i] ?? 0) + 0.5;
    const w = h6 * x + h7 * y + h8;
    const u = (h0 * x + h1 * y + h2) / w;
    const t = (h3 * x + h4 * y + h5) / w;
    const x0 = Math.max(0, Math.min(width - 2, Math.floor(u)));
    const y0 = Math.max(0, Math.min(height - 2, Math.floor(t)));
    const fx = Math.min(1, Math.max(0, u - x0));
    const fy = Math.min(1, Math.max(0, t - y0));
    const j = y0 * width + x0;
    const v =
      255 -
      (((data[j] ?? 0) * (1 - fx) + (data[j + 1] ?? 0) * fx) * (1 - fy) +
        ((data[j + width] ?? 0) * (1 - fx) + (data[j + width + 1] ?? 0) * fx) * fy);
    const d = known.dark[i] ?? 0;
    sd += d;
    sv += v;
    svv += v * v;
    sdv += d * v;
  }
  const cov = sdv / n - (sd / n) * (sv / n);
  const vd = sd / n - (sd / n) ** 2;
  const vv = svv / n - (sv / n) ** 2;
  return vd > 0 && vv > 0 ? cov / Math.sqrt(vd * vv) : -1;
}

/** A fitted grid: the map from module coordinates to pixels and how well it fits. */
export interface FittedGrid {
  version: number;
  size: number;
  h: Homography;
  score: number;
  /** Image positions of the anchors (corner, right and down finder centres, fourth point). */
  anchors: Pt[];
  /** Module size in pixels along the top side. */
  module: number;
}

/** Module coordinates of the four anchors of a code of `size` modules. */
function anchorSources(size: number): Pt[] {
  return [
    { x: 3.5, y: 3.5 },
    { x: size - 3.5, y: 3.5 },
    { x: 3.5, y: size - 3.5 },
    { x: size - 6.5, y: size - 6.5 },
  ];
}

/**
 * A grid of one version from three finder centres (corner first): the affine map through
 * them, then a coarse descent on the guessed anchors (the fourth point, which perspective
 * moves most, and guessed finders) maximising {@link fitScore}. {@link refineGrid} finishes it.
 */
export function fitGrid(
  grey: RasterImage,
  corner: FinderPattern,
  right: FinderPattern,
  down: FinderPattern,
  version: number,
  /** Anchors (0–2: corner, right, down; 3: the fourth) to search coarsely: guessed ones. */
  uncertain: readonly number[] = [3],
): FittedGrid | undefined {
  const size = 17 + 4 * version;
  const k = (size - 10) / (size - 7);
  const anchors: Pt[] = [
    { x: corner.x, y: corner.y },
    { x: right.x, y: right.y },
    { x: down.x, y: down.y },
    {
      x: corner.x + k * (right.x - corner.x) + k * (down.x - corner.x),
      y: corner.y + k * (right.y - corner.y) + k * (down.y - corner.y),
    },
  ];
  const module = Math.hypot(right.x - corner.x, right.y - corner.y) / (size - 7);
  const h = homography(anchorSources(size), anchors);
  if (!h) return undefined;
  const grid: FittedGrid = { version, size, h, score: fitScore(grey, h, knownModules(version)), anchors, module };
  descend(grey, grid, uncertain, [1.5, 0.75], 4);
  return grid;
}

/** Finish a grid from {@link fitGrid}: a fine descent on all four anchors. */
export function refineGrid(grey: RasterImage, grid: FittedGrid): FittedGrid {
  descend(grey, grid, [0, 1, 2, 3], [0.5, 0.25, 0.12, 0.06], 6);
  return grid;
}

/** Coordinate descent on anchor positions (steps in modules), in place. */
function descend(
  grey: RasterImage,
  grid: FittedGrid,
  which: readonly number[],
  steps: readonly number[],
  rounds: number,
): void {
  const src = anchorSources(grid.size);
  const known = knownModules(grid.version);
  const dst = grid.anchors;
  const tryMove = (i: number, axis: 'x' | 'y', delta: number): boolean => {
    const p = dst[i] as Pt;
    p[axis] += delta;
    const g = homography(src, dst);
    const s = g ? fitScore(grey, g, known) : -1;
    if (g && s > grid.score) {
      grid.score = s;
      grid.h = g;
      return true;
    }
    p[axis] -= delta;
    return false;
  };
  for (const step of steps) {
    const d = step * grid.module;
    for (let it = 0; it < rounds; it++) {
      let moved = false;
      for (const i of which) {
        for (const axis of ['x', 'y'] as const) moved = tryMove(i, axis, d) || tryMove(i, axis, -d) || moved;
      }
      if (!moved) break;
    }
  }
}

/** Versions whose finder spacing is near the one measured (closest first). */
export function versionsNear(corner: FinderPattern, right: FinderPattern, down: FinderPattern): number[] {
  const m = (corner.module + right.module + down.module) / 3;
  const d = (Math.hypot(right.x - corner.x, right.y - corner.y) + Math.hypot(down.x - corner.x, down.y - corner.y)) / 2;
  const est = (d / m + 7 - 17) / 4;
  const out: number[] = [];
  for (let v = 1; v <= 40; v++) if (Math.abs(v - est) <= Math.max(1.5, est * 0.22)) out.push(v);
  return out.sort((a, b) => Math.abs(a - est) - Math.abs(b - est));
}

/**
 * Mean grey of every module (row-major, `size × size`), sampled at its centre and four
 * points a quarter module around it (several samples per module average out noise and
 * JPEG ringing).
 */
export function sampleModules(grey: RasterImage, grid: FittedGrid, spread = 0.22): Float32Array {
  const { size, h } = grid;
  const out = new Float32Array(size * size);
  const offs = [
    [0, 0],
    [-spread, -spread],
    [spread, -spread],
    [-spread, spread],
    [spread, spread],
  ] as const;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      for (const [dx, dy] of offs) {
        const p = project(h, x + 0.5 + dx, y + 0.5 + dy);
        s += sampleBilinear(grey, p.x, p.y);
      }
      out[y * size + x] = s / offs.length;
    }
  }
  return out;
}

/**
 * Module values to bits (1 = dark): each module against the mean of the modules within
 * `radius` modules (uneven light); `sharpen` first subtracts a share of the 4-neighbours'
 * mean (blur spreads a module into its neighbours).
 */
export function thresholdModules(values: Float32Array, size: number, radius: number, sharpen = 0): Uint8Array {
  let v = values;
  if (sharpen > 0) {
    v = new Float32Array(values.length);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const c = values[y * size + x] ?? 0;
        const left = x > 0 ? (values[y * size + x - 1] ?? 0) : c;
        const right = x < size - 1 ? (values[y * size + x + 1] ?? 0) : c;
        const up = y > 0 ? (values[(y - 1) * size + x] ?? 0) : c;
        const down = y < size - 1 ? (values[(y + 1) * size + x] ?? 0) : c;
        v[y * size + x] = c + sharpen * (c - (left + right + up + down) / 4);
      }
    }
  }
  const bits = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    const y0 = Math.max(0, y - radius);
    const y1 = Math.min(size - 1, y + radius);
    for (let x = 0; x < size; x++) {
      const x0 = Math.max(0, x - radius);
      const x1 = Math.min(size - 1, x + radius);
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      let s = 0;
      for (let yy = y0; yy <= y1; yy++) {
        for (let xx = x0; xx <= x1; xx++) {
          const q = v[yy * size + xx] ?? 0;
          s += q;
          if (q < lo) lo = q;
          if (q > hi) hi = q;
        }
      }
      const mean = s / ((x1 - x0 + 1) * (y1 - y0 + 1));
      const t = (mean + (lo + hi) / 2) / 2;
      bits[y * size + x] = (v[y * size + x] ?? 0) < t ? 1 : 0;
    }
  }
  return bits;
}

/** Pixels per module and quiet-zone modules of {@link renderModules}. */
export const RENDER = { scale: 4, quiet: 4 } as const;

/** Solve the square system `a · x = b` (Gaussian elimination, partial pivoting) in place. */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]?.[c] ?? 0) > Math.abs(a[p]?.[c] ?? 0)) p = r;
    if (Math.abs(a[p]?.[c] ?? 0) < 1e-9) return undefined;
    [a[c], a[p]] = [a[p] as number[], a[c] as number[]];
    [b[c], b[p]] = [b[p] as number, b[c] as number];
    for (let r = c + 1; r < n; r++) {
      const f = (a[r]?.[c] ?? 0) / (a[c]?.[c] ?? 1);
      for (let k = c; k < n; k++) (a[r] as number[])[k] = (a[r]?.[k] ?? 0) - f * (a[c]?.[k] ?? 0);
      b[r] = (b[r] ?? 0) - f * (b[c] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = b[r] ?? 0;
    for (let k = r + 1; k < n; k++) v -= (a[r]?.[k] ?? 0) * (x[k] ?? 0);
    x[r] = v / (a[r]?.[r] ?? 1);
  }
  return x;
}

/**
 * Module values to bits with a linear classifier trained on the code itself: each module's
 * value, its 4-neighbours' and diagonal neighbours' means and the mean of the modules within
 * 4 modules are weighted by least squares so that the fixed modules (finders, timing,
 * alignment, version blocks), whose colours are known, come out ±1. The weights learn this
 * photo's blur (how much a module bleeds into its neighbours) and light.
 */
export function classifyModules(values: Float32Array, size: number, version: number): Uint8Array | undefined {
  const at = (x: number, y: number, fallback: number): number =>
    x < 0 || y < 0 || x >= size || y >= size ? fallback : (values[y * size + x] ?? fallback);
  const features = (x: number, y: number, light: number): number[] => {
    const c = at(x, y, light);
    const n4 = (at(x - 1, y, light) + at(x + 1, y, light) + at(x, y - 1, light) + at(x, y + 1, light)) / 4;
    const d4 =
      (at(x - 1, y - 1, light) + at(x + 1, y - 1, light) + at(x - 1, y + 1, light) + at(x + 1, y + 1, light)) / 4;
    return [c, n4, d4, 1];
  };
  // Beyond the code is the light quiet zone: the brightest modules' level stands in for it.
  const sorted = Float32Array.from(values).sort();
  const light = sorted[Math.floor(sorted.length * 0.9)] ?? 255;
  const local = localModuleMean(values, size, 4);
  const known = knownModules(version);
  const dim = 5;
  const ata = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  const atb = new Array<number>(dim).fill(0);
  for (let i = 0; i < known.dark.length; i++) {
    const x = known.x[i] ?? 0;
    const y = known.y[i] ?? 0;
    const f = [...features(x, y, light), local[y * size + x] ?? 0];
    const t = known.dark[i] ? 1 : -1;
    for (let r = 0; r < dim; r++) {
      for (let c = 0; c < dim; c++) (ata[r] as number[])[c] = (ata[r]?.[c] ?? 0) + (f[r] ?? 0) * (f[c] ?? 0);
      atb[r] = (atb[r] ?? 0) + (f[r] ?? 0) * t;
    }
  }
  for (let r = 0; r < dim; r++) (ata[r] as number[])[r] = (ata[r]?.[r] ?? 0) + 1e-3;
  const w = solve(ata, atb);
  if (!w) return undefined;
  const bits = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const f = [...features(x, y, light), local[y * size + x] ?? 0];
      let s = 0;
      for (let r = 0; r < dim; r++) s += (w[r] ?? 0) * (f[r] ?? 0);
      bits[y * size + x] = s > 0 ? 1 : 0;
    }
  }
  return bits;
}

/**
 * Module values to bits by decision feedback: a linear model of each module's value — its
 * own bit, the share of dark 4- and diagonal neighbours, the mean of the modules within 4
 * modules (the light) — is fitted by least squares to all modules under the current bits
 * (the fixed modules at their known colours), then every other module takes the bit whose
 * predicted value is nearer its own, and again (`rounds`). The model learns how far this
 * photo's blur spreads a module into its neighbours and subtracts it given the neighbours'
 * own decisions, which a threshold or a per-module classifier cannot: on codes at 2–2.6 px
 * per module it cuts the classifier's module errors several-fold.
 *
 * @param values - Module values from {@link sampleModules}.
 * @param size - Modules per side.
 * @param version - QR version (its fixed modules are pinned).
 * @param init - First bits (e.g. {@link classifyModules}).
 * @param rounds - Refit-and-decide rounds.
 */
export function decisionFeedback(
  values: Float32Array,
  size: number,
  version: number,
  init: Uint8Array,
  rounds = 3,
): Uint8Array {
  return decisionFeedbackSoft(values, size, version, init, rounds).bits;
}

/**
 * {@link decisionFeedback} with each module's reliability: in the last round, how much nearer
 * its value is to the chosen bit's prediction than to the other's, in units of the model's
 * dark–light step (fixed modules: infinity).
 */
export function decisionFeedbackSoft(
  values: Float32Array,
  size: number,
  version: number,
  init: Uint8Array,
  rounds = 3,
  /** More modules whose bit is known (0 or 1; −1 elsewhere), e.g. from decoded Reed–Solomon blocks. */
  pinned?: Int8Array,
): { bits: Uint8Array; reliability: Float32Array } {
  const known = knownModules(version);
  const fixed = pinned ? Int8Array.from(pinned) : new Int8Array(size * size).fill(-1);
  for (let i = 0; i < known.dark.length; i++) fixed[(known.y[i] ?? 0) * size + (known.x[i] ?? 0)] = known.dark[i] ?? 0;
  let bits = Uint8Array.from(init, (b, i) => ((fixed[i] ?? -1) >= 0 ? (fixed[i] as number) : b));
  const reliability = new Float32Array(size * size).fill(Number.POSITIVE_INFINITY);
  const local = localModuleMean(values, size, 4);
  const dim = 5;
  // The bits on a grid with a light (0) border one module wide, so neighbours need no bounds checks.
  const side = size + 2;
  const padded = new Uint8Array(side * side);
  const n4 = new Float64Array(size * size);
  const d4 = new Float64Array(size * size);
  const ata = new Float64Array(dim * dim);
  const atb = new Float64Array(dim);
  const f = new Float64Array(dim);
  for (let r = 0; r < rounds; r++) {
    for (let y = 0; y < size; y++) padded.set(bits.subarray(y * size, (y + 1) * size), (y + 1) * side + 1);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const c = (y + 1) * side + x + 1;
        const i = y * size + x;
        n4[i] =
          ((padded[c - 1] as number) +
            (padded[c + 1] as number) +
            (padded[c - side] as number) +
            (padded[c + side] as number)) /
          4;
        d4[i] =
          ((padded[c - side - 1] as number) +
            (padded[c - side + 1] as number) +
            (padded[c + side - 1] as number) +
            (padded[c + side + 1] as number)) /
          4;
      }
    }
    ata.fill(0);
    atb.fill(0);
    for (let i = 0; i < size * size; i++) {
      f[0] = bits[i] as number;
      f[1] = n4[i] as number;
      f[2] = d4[i] as number;
      f[3] = 1;
      f[4] = local[i] as number;
      const v = values[i] as number;
      for (let a = 0; a < dim; a++) {
        const fa = f[a] as number;
        for (let b = 0; b < dim; b++) ata[a * dim + b] = (ata[a * dim + b] as number) + fa * (f[b] as number);
        atb[a] = (atb[a] as number) + fa * v;
      }
    }
    const rows = Array.from({ length: dim }, (_, a) =>
      Array.from(ata.subarray(a * dim, (a + 1) * dim), (v, b) => (a === b ? v + 1e-3 : v)),
    );
    const w = solve(rows, Array.from(atb));
    if (!w) break;
    const [w0, w1, w2, w3, w4] = w as [number, number, number, number, number];
    const next = new Uint8Array(size * size);
    for (let i = 0; i < size * size; i++) {
      if ((fixed[i] as number) >= 0) {
        next[i] = fixed[i] as number;
        continue;
      }
      // Only the own-bit term differs between the two hypotheses.
      const p0 = w1 * (n4[i] as number) + w2 * (d4[i] as number) + w3 + w4 * (local[i] as number);
      const p1 = p0 + w0;
      const v = values[i] as number;
      const margin = Math.abs(v - p0) - Math.abs(v - p1);
      next[i] = margin > 0 ? 1 : 0;
      reliability[i] = Math.abs(v - (p0 + p1) / 2) / (Math.abs(w0) + 1e-9);
    }
    bits = next;
  }
  return { bits, reliability };
}

/** Mean of the module values within `radius` modules of each module. */
function localModuleMean(values: Float32Array, size: number, radius: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let s = 0;
      let n = 0;
      for (let yy = Math.max(0, y - radius); yy <= Math.min(size - 1, y + radius); yy++) {
        for (let xx = Math.max(0, x - radius); xx <= Math.min(size - 1, x + radius); xx++) {
          s += values[yy * size + xx] ?? 0;
          n++;
        }
      }
      out[y * size + x] = s / n;
    }
  }
  return out;
}

/** Render a bit matrix as a crisp image: {@link RENDER} px per module and quiet zone. */
export function renderModules(bits: Uint8Array, size: number): RasterImage {
  const { scale, quiet } = RENDER;
  const side = (size + 2 * quiet) * scale;
  const data = new Uint8Array(side * side).fill(255);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!bits[y * size + x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = ((quiet + y) * scale + dy) * side + (quiet + x) * scale;
        data.fill(0, row, row + scale);
      }
    }
  }
  return { width: side, height: side, channels: 1, data };
}

/** Corner first, then the finder to its right and the one below (image y down). */
export function orientTriple(
  f: readonly [FinderPattern, FinderPattern, FinderPattern],
): [FinderPattern, FinderPattern, FinderPattern] {
  const [c, a, b] = f;
  const cross = (a.x - c.x) * (b.y - c.y) - (a.y - c.y) * (b.x - c.x);
  return cross > 0 ? [c, a, b] : [c, b, a];
}

/** Image position of a module-coordinate point under a fitted grid. */
export function gridToImage(grid: FittedGrid, x: number, y: number): Pt {
  return project(grid.h, x, y);
}

/** Three finder centres (corner, right, down) and which of them were guessed. */
export interface FinderTriple {
  finders: [FinderPattern, FinderPattern, FinderPattern];
  /** Indexes of guessed finders (0 corner, 1 right, 2 down). */
  guessed: number[];
}

/**
 * How much the image around `c` looks like a finder pattern with its light border, on the
 * module axes `u` (one module along the code's rows) and `v` (down its columns): the
 * correlation of 81 module-centre samples with the 9×9 template.
 */
function finderLikeness(grey: RasterImage, cx: number, cy: number, u: Pt, v: Pt, reach = 4): number {
  let sd = 0;
  let sv = 0;
  let svv = 0;
  let sdv = 0;
  for (let j = -reach; j <= reach; j++) {
    for (let i = -reach; i <= reach; i++) {
      const r = Math.max(Math.abs(i), Math.abs(j));
      const d = r === 2 || r === 4 ? 0 : 1;
      const val = 255 - sampleBilinear(grey, cx + i * u.x + j * v.x, cy + i * u.y + j * v.y);
      sd += d;
      sv += val;
      svv += val * val;
      sdv += d * val;
    }
  }
  const n = (2 * reach + 1) ** 2;
  const cov = sdv / n - (sd / n) * (sv / n);
  const vd = sd / n - (sd / n) ** 2;
  const vv = svv / n - (sv / n) ** 2;
  return vv > 0 ? cov / Math.sqrt(vd * vv) : -1;
}

/**
 * Look for the missing finder near a guessed centre (±7 modules: perspective and shear
 * move it far from the square's corner, then finer), on the code's axes; returns the best
 * place when it looks enough like a finder.
 */
function confirmFinder(grey: RasterImage, guess: Pt, u: Pt, v: Pt, module: number): FinderPattern | undefined {
  let best = { x: guess.x, y: guess.y, score: -1 };
  for (const [range, step, reach] of [
    [10, 1, 2],
    [1, 0.5, 4],
    [0.5, 0.25, 4],
  ] as const) {
    const c = { x: best.x, y: best.y };
    best.score = -1;
    for (let b = -range; b <= range; b += step) {
      for (let a = -range; a <= range; a += step) {
        const x = c.x + a * u.x + b * v.x;
        const y = c.y + a * u.y + b * v.y;
        const score = finderLikeness(grey, x, y, u, v, reach);
        if (score > best.score) best = { x, y, score };
      }
    }
  }
  return best.score >= MIN_FINDER_LIKENESS ? { x: best.x, y: best.y, module, hits: 0 } : undefined;
}

/** Least {@link finderLikeness} for a guessed finder to be used. */
const MIN_FINDER_LIKENESS = 0.55;

/**
 * Finder triples to fit grids to: the grouped triples, then, for pairs of sure finders of
 * similar size that are in no triple (the third lost to glare, blur, noise or uneven light),
 * the third finder looked for in each of the six places it can be (the pair a side, either
 * finder the corner, the code on either side; or the pair a diagonal).
 */
export function finderTriples(
  grey: RasterImage,
  finders: readonly FinderPattern[],
  groups: readonly { finders: readonly FinderPattern[] }[],
  maxPairs = 8,
  expired: () => boolean = never,
): FinderTriple[] {
  const out: FinderTriple[] = [];
  const used = new Set<FinderPattern>();
  for (const g of groups) {
    if (g.finders.length !== 3) continue;
    for (const f of g.finders) used.add(f);
    out.push({ finders: orientTriple(g.finders as [FinderPattern, FinderPattern, FinderPattern]), guessed: [] });
  }
  const sure = finders.filter((f) => f.hits >= 2 && !used.has(f)).slice(0, 16);
  const pairs: { p: FinderPattern; q: FinderPattern; score: number }[] = [];
  for (let i = 0; i < sure.length; i++) {
    for (let j = i + 1; j < sure.length; j++) {
      const p = sure[i] as FinderPattern;
      const q = sure[j] as FinderPattern;
      const ratio = Math.max(p.module, q.module) / Math.min(p.module, q.module);
      if (ratio > 1.4) continue;
      const d = Math.hypot(p.x - q.x, p.y - q.y) / ((p.module + q.module) / 2);
      if (d < 14 || d > 190) continue;
      pairs.push({ p, q, score: Math.min(p.hits, q.hits) / ratio });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  for (const { p, q } of pairs.slice(0, maxPairs)) {
    const m = (p.module + q.module) / 2;
    const len = Math.hypot(q.x - p.x, q.y - p.y);
    // Unit module steps along the pair and across it.
    const along = { x: ((q.x - p.x) / len) * m, y: ((q.y - p.y) / len) * m };
    const across = { x: -along.y, y: along.x };
    const tries: { at: Pt; make: (t: FinderPattern) => [FinderPattern, FinderPattern, FinderPattern] }[] = [];
    for (const s of [1, -1]) {
      const off = { x: (s * across.x * len) / m, y: (s * across.y * len) / m };
      // The pair is a side, p or q the corner.
      tries.push({ at: { x: p.x + off.x, y: p.y + off.y }, make: (t) => [p, q, t] });
      tries.push({ at: { x: q.x + off.x, y: q.y + off.y }, make: (t) => [q, p, t] });
      // The pair is the diagonal: the missing finder is the corner.
      tries.push({ at: { x: (p.x + q.x) / 2 + off.x / 2, y: (p.y + q.y) / 2 + off.y / 2 }, make: (t) => [t, p, q] });
    }
    for (const { at, make } of tries) {
      if (expired()) return out;
      const t = confirmFinder(grey, at, along, across, m);
      if (!t) continue;
      const tri = orientTriple(make(t));
      out.push({ finders: tri, guessed: [tri.indexOf(t)] });
    }
  }
  return out;
}

/**
 * Fallback thresholds after the classifier, in order: [sample spread, window radius,
 * sharpen] for {@link sampleModules} and {@link thresholdModules}.
 */
const VARIANTS: readonly (readonly [number, number, number])[] = [
  [0.22, 4, 0],
  [0.22, 4, 0.5],
  [0.1, 3, 0.8],
];

/**
 * Grid shifts (modules) whose decision-feedback readings {@link averagedFeedback} sums: on the
 * tuning pool (small codes, seeds 5, 7, 21, 33, 99 and seed 16's tuning half) the sum of five
 * readings has 2–12% fewer wrong modules than one, and its reliabilities pick the wrong
 * codewords better.
 */
const SHIFTS: readonly (readonly [number, number])[] = [
  [0.15, 0],
  [-0.15, 0],
  [0, 0.15],
  [0, -0.15],
];

/** Largest reliability one reading adds to a module's sum (one confident reading must not outvote four). */
const RELIABILITY_CAP = 3;

/** Soft decoding: two spare check codewords per block, codeword doubt summed over bits (tuned on the tuning pool). */
const SOFT_OPTIONS = { slack: 2, sharpness: 4 } as const;

/** The grid moved by (dx, dy) modules. */
function shiftGrid(grid: FittedGrid, dx: number, dy: number): FittedGrid {
  const n = grid.size;
  const corners = [
    { x: 0, y: 0 },
    { x: n, y: 0 },
    { x: 0, y: n },
    { x: n, y: n },
  ];
  const h = homography(
    corners,
    corners.map((p) => project(grid.h, p.x + dx, p.y + dy)),
  );
  return h ? { ...grid, h } : grid;
}

/**
 * Decision feedback on the grid and on {@link SHIFTS} of it: each module's bit is the sign of
 * the sum of its readings' signed reliabilities (capped), its reliability the sum's size.
 */
export function averagedFeedback(
  grey: RasterImage,
  grid: FittedGrid,
  centre: { bits: Uint8Array; reliability: Float32Array },
  pinned?: Int8Array,
): { bits: Uint8Array; reliability: Float32Array } {
  const n = grid.size * grid.size;
  const sum = new Float32Array(n);
  const add = (r: { bits: Uint8Array; reliability: Float32Array }) => {
    for (let i = 0; i < n; i++) {
      sum[i] = (sum[i] as number) + (r.bits[i] ? 1 : -1) * Math.min(RELIABILITY_CAP, r.reliability[i] as number);
    }
  };
  add(centre);
  for (const [dx, dy] of SHIFTS) {
    const v = sampleModules(grey, shiftGrid(grid, dx, dy), FEEDBACK_SPREAD);
    const init = classifyModules(v, grid.size, grid.version);
    if (init) add(decisionFeedbackSoft(v, grid.size, grid.version, init, 3, pinned));
  }
  return {
    bits: Uint8Array.from(sum, (v) => (v > 0 ? 1 : 0)),
    reliability: Float32Array.from(sum, (v) => Math.abs(v)),
  };
}

/** Rounds of block feedback after the first soft decoding (see {@link gridBits}). */
const BLOCK_FEEDBACK_ROUNDS = 2;

/** The soft readings repeated with the modules of decoded blocks pinned, and decoded again. */
function pinnedDecode(
  grey: RasterImage,
  grid: FittedGrid,
  values: Float32Array,
  init: Uint8Array,
  known: Int8Array,
): SoftDecoded {
  const centre = decisionFeedbackSoft(values, grid.size, grid.version, init, 3, known);
  const averaged = averagedFeedback(grey, grid, centre, known);
  return softDecodeBlocks(averaged.bits, averaged.reliability, grid.size, SOFT_OPTIONS);
}

/** Sample spread (modules) of the values {@link decisionFeedback} reads. */
const FEEDBACK_SPREAD = 0.12;

/** A deadline that never passes (the default of the `expired` parameters). */
const never = (): boolean => false;

/** Lowest fit score worth refining, and worth sampling (wrong triples and versions score far lower). */
const MIN_COARSE_FIT = 0.4;
const MIN_FIT = 0.6;

/**
 * Fitted grids of some triples, best first: every version near each triple's finder
 * spacing fitted coarsely, the best few refined, kept when they fit the code's fixed
 * patterns well. `expired` is polled before each fit; when it returns true the grids so far are used.
 */
export function fitTriples(
  grey: RasterImage,
  triples: readonly FinderTriple[],
  maxGrids = 3,
  expired: () => boolean = never,
): FittedGrid[] {
  const coarse: FittedGrid[] = [];
  for (const t of triples) {
    const [c, a, b] = t.finders;
    const uncertain = [...t.guessed, 3];
    for (const v of versionsNear(c, a, b)) {
      if (expired()) break;
      const g = fitGrid(grey, c, a, b, v, uncertain);
      if (g && g.score >= MIN_COARSE_FIT) coarse.push(g);
    }
  }
  coarse.sort((p, q) => q.score - p.score);
  // The deadline is polled before each refinement (a chained filter would poll them all first).
  const fine: FittedGrid[] = [];
  for (const g of coarse.slice(0, maxGrids + 1)) {
    if (expired()) break;
    const r = refineGrid(grey, g);
    if (r.score >= MIN_FIT) fine.push(r);
  }
  fine.sort((p, q) => q.score - p.score);
  const best = fine[0]?.score ?? 0;
  return fine.filter((g) => g.score >= best - 0.1).slice(0, maxGrids);
}

/**
 * Bit matrices of a fitted grid, best first (lazily): the module values read by decision
 * feedback ({@link decisionFeedback}), by the classifier trained on the code's fixed modules
 * ({@link classifyModules}), then by local thresholds.
 */
export function* gridBits(grey: RasterImage, grid: FittedGrid, expired: () => boolean = never): Generator<Uint8Array> {
  const samples = new Map<number, Float32Array>();
  const sampled = (spread: number): Float32Array => {
    let v = samples.get(spread);
    if (!v) {
      v = sampleModules(grey, grid, spread);
      samples.set(spread, v);
    }
    return v;
  };
  // Decision feedback from the classifier's bits on values sampled near the module centres
  // (blur already averages a module; wide sampling mixes in the neighbours), then the
  // classifier's own bits.
  const first = classifyModules(sampled(FEEDBACK_SPREAD), grid.size, grid.version);
  if (first) {
    const soft = decisionFeedbackSoft(sampled(FEEDBACK_SPREAD), grid.size, grid.version, first);
    yield soft.bits;
    // Soft decision: the reading repeated on the grid shifted by a fraction of a module each
    // way, each module's bit the sign of its summed (capped) reliabilities, and the least
    // reliable codewords of each block erased for Reed–Solomon (see softDecode.ts).
    // Four more readings cost a few ms to tens of ms under load: not started past the deadline.
    if (expired()) return;
    const averaged = averagedFeedback(grey, grid, soft);
    if (expired()) return;
    let decoded = softDecodeBlocks(averaged.bits, averaged.reliability, grid.size, SOFT_OPTIONS);
    // Block feedback: when some blocks decode, their codewords fix modules all over the code
    // (interleaving spreads each block), so the readings are repeated with those modules
    // pinned — the blur model then predicts their neighbours from true bits — and the blocks
    // decoded again, while that decodes more of them.
    for (let round = 0; round < BLOCK_FEEDBACK_ROUNDS && !decoded.corrected && decoded.known; round++) {
      if (expired()) return;
      const next = pinnedDecode(grey, grid, sampled(FEEDBACK_SPREAD), soft.bits, decoded.known);
      if (!next.corrected && next.blocks <= decoded.blocks) break;
      decoded = next;
    }
    if (decoded.corrected) yield decoded.corrected;
  }
  const learnt = classifyModules(sampled(0.22), grid.size, grid.version);
  if (learnt) yield learnt;
  for (const [spread, radius, sharpen] of VARIANTS) yield thresholdModules(sampled(spread), grid.size, radius, sharpen);
}
