/**
 * Finder patterns of codes at 1.5–3 px per module, found by correlation with the finder's
 * template instead of by run lengths: at that scale the finder's one-module light ring is one
 * or two pixels wide, and blur, JPEG and noise break it in a binarisation (the run-length
 * search sees no 1:1:3:1:1 runs), while the ring is still there in the grey values as a
 * weaker light band around the dark centre.
 *
 * Two stages. Box filters on an integral image give, for every pixel and a few module sizes,
 * the contrast of the finder's square rings (dark 3×3 centre, light ring, dark ring, light
 * border) normalised by the local spread: cheap and roughly rotation-tolerant (a turned square
 * still has a dark centre and a light ring). Its strongest local peaks are then checked with the
 * 9×9-module template correlated at module-centre samples (bilinear, sub-pixel) over turns of
 * 0–90° (the pattern repeats every quarter turn), module sizes and positions; the finders that
 * correlate well enough keep the turn and size they fitted.
 * @internal
 */
import type { RasterImage } from '@smart-citizen/image';
import type { FinderPattern } from './finders.js';
import { integral } from './greyOps.js';

/** Module sizes (px) the box stage looks for: steps of ~20% over 1.5–3.1 px (the template stage tries ±18%). */
const SCALES = [1.5, 1.8, 2.15, 2.6, 3.1] as const;

/**
 * The box stage runs on every second pixel and row: a finder 7 modules wide at 1.5 px per
 * module still spans five of its samples, and the template stage's coarse step searches ±1 px
 * around each peak.
 */
const STRIDE = 2;

/** Least template correlation for a finder (same bar as a guessed third finder, see moduleGrid). */
const MIN_LIKENESS = 0.55;

/** The 9×9-module template (finder and its light border): module offsets and 1 = dark. */
const TEMPLATE: { i: number; j: number; d: number }[] = [];
for (let j = -4; j <= 4; j++) {
  for (let i = -4; i <= 4; i++) {
    const r = Math.max(Math.abs(i), Math.abs(j));
    TEMPLATE.push({ i, j, d: r === 2 || r === 4 ? 0 : 1 });
  }
}
const TEMPLATE_DARK = TEMPLATE.reduce((n, t) => n + t.d, 0);

/**
 * Correlation of the image with the finder template centred at (cx, cy), module axes
 * (m cos a, m sin a) and the quarter turn of it: what {@link finderLikeness} computes, inlined
 * (bilinear samples without clamping; -1 when the template leaves the image) because the
 * template stage evaluates it a few hundred times per peak.
 */
function likeness(grey: RasterImage, cx: number, cy: number, m: number, a: number): number {
  const { width: w, height: h, data } = grey;
  const ux = m * Math.cos(a);
  const uy = m * Math.sin(a);
  const reach = 4.5 * m * Math.SQRT2 + 1;
  if (cx - reach < 0 || cy - reach < 0 || cx + reach >= w - 1 || cy + reach >= h - 1) return -1;
  let sv = 0;
  let svv = 0;
  let sdv = 0;
  for (const { i, j, d } of TEMPLATE) {
    const x = cx + i * ux - j * uy;
    const y = cy + i * uy + j * ux;
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const fx = x - x0;
    const fy = y - y0;
    const k = y0 * w + x0;
    const top = (data[k] as number) * (1 - fx) + (data[k + 1] as number) * fx;
    const bottom = (data[k + w] as number) * (1 - fx) + (data[k + w + 1] as number) * fx;
    const val = 255 - (top * (1 - fy) + bottom * fy);
    sv += val;
    svv += val * val;
    sdv += d * val;
  }
  const n = TEMPLATE.length;
  const pd = TEMPLATE_DARK / n;
  const cov = sdv / n - pd * (sv / n);
  const vv = svv / n - (sv / n) ** 2;
  return vv > 0 ? cov / Math.sqrt((pd - pd * pd) * vv) : -1;
}

/** Options of {@link findTemplateFinders}. */
export interface TemplateFinderOptions {
  /** Most peaks of the box stage that are checked with the template. @default 40 */
  maxPeaks?: number;
  /** Least normalised ring contrast of a box-stage peak. @default 0.35 */
  minRing?: number;
  /** Polled every 16 box-stage rows (when it returns true there: no finders) and between peaks (the finders so far). */
  expired?: () => boolean;
}

/**
 * Find finder patterns of small codes by template correlation (see the file comment).
 *
 * @param grey - Grey image (a crop around a code-like region, or a whole small frame).
 * @param options - {@link TemplateFinderOptions}.
 * @returns Finder patterns in `grey`'s pixels, best correlation first; `hits` is 2 for
 *   correlation ≥ 0.55 and 3 for ≥ 0.7 (the run-length search's "sure" levels).
 */
export function findTemplateFinders(grey: RasterImage, options: TemplateFinderOptions = {}): FinderPattern[] {
  const { width: w, height: h } = grey;
  const maxPeaks = options.maxPeaks ?? 40;
  const minRing = options.minRing ?? 0.35;
  const expired = options.expired ?? (() => false);
  const s = integral(grey);
  const q = integral(grey, true);
  const W = w + 1;

  // Box stage: best ring contrast per pixel over the scales.
  const best = new Float32Array(w * h);
  const bestScale = new Float32Array(w * h);
  for (const m of SCALES) {
    // Half-sides of the 3, 5, 7 and 9 module squares, strictly increasing whole pixels.
    const r: number[] = [];
    for (let k = 1; k <= 4; k++) r.push(Math.max((r.at(-1) ?? -1) + 1, Math.round(((2 * k + 1) * m) / 2 - 0.5)));
    const [r1, r2, r3, r4] = r as [number, number, number, number];
    const [a1, a2, a3, a4] = r.map((v) => (2 * v + 1) ** 2) as [number, number, number, number];
    // Corner offsets of each box in the summed-area table, relative to (x, y).
    const box = (rr: number) => [(rr + 1) * W + rr + 1, -rr * W + rr + 1, (rr + 1) * W - rr, -rr * W - rr] as const;
    const [b1, b2, b3, b4] = [box(r1), box(r2), box(r3), box(r4)];
    const sum = (t: Float64Array, o: number, b: readonly [number, number, number, number]) =>
      (t[o + b[0]] as number) - (t[o + b[1]] as number) - (t[o + b[2]] as number) + (t[o + b[3]] as number);
    const first = r4 + (r4 % STRIDE ? STRIDE - (r4 % STRIDE) : 0);
    for (let y = first; y < h - r4; y += STRIDE) {
      if ((y & 31) === 0 && expired()) return [];
      for (let x = first; x < w - r4; x += STRIDE) {
        const o = y * W + x;
        const s4 = sum(s, o, b4);
        const mean4 = s4 / a4;
        const variance = sum(q, o, b4) / a4 - mean4 * mean4;
        if (variance < 25) continue; // flat: no code here
        const s1 = sum(s, o, b1);
        const s2 = sum(s, o, b2);
        const s3 = sum(s, o, b3);
        const ring =
          ((s2 - s1) / (a2 - a1) + (s4 - s3) / (a4 - a3) - s1 / a1 - (s3 - s2) / (a3 - a2)) / (2 * Math.sqrt(variance));
        const i = y * w + x;
        if (ring > (best[i] as number)) {
          best[i] = ring;
          bestScale[i] = m;
        }
      }
    }
  }

  // Peaks: local maxima over a window of about two modules of their own scale.
  const peaks: { x: number; y: number; m: number; v: number }[] = [];
  for (let y = 0; y < h; y += STRIDE) {
    for (let x = 0; x < w; x += STRIDE) {
      const v = best[y * w + x] ?? 0;
      if (v < minRing) continue;
      const m = bestScale[y * w + x] ?? 2;
      const rad = STRIDE * Math.max(1, Math.round((2 * m) / STRIDE));
      let isMax = true;
      for (let dy = -rad; dy <= rad && isMax; dy += STRIDE) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -rad; dx <= rad; dx += STRIDE) {
          const xx = x + dx;
          if (xx < 0 || xx >= w || (dx === 0 && dy === 0)) continue;
          const u = best[yy * w + xx] ?? 0;
          // Ties go to the first in raster order.
          if (u > v || (u === v && (dy < 0 || (dy === 0 && dx < 0)))) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) peaks.push({ x, y, m, v });
    }
  }
  peaks.sort((a, b) => b.v - a.v);

  // Template stage: turn, module size and sub-pixel position that correlate best, coarse to fine.
  const out: (FinderPattern & { likeness: number })[] = [];
  const deg = Math.PI / 180;
  for (const p of peaks.slice(0, maxPeaks)) {
    if (expired()) break;
    let fit = { x: p.x, y: p.y, m: p.m, turn: 0, score: -1 };
    for (const [turns, sizes, offsets] of [
      [
        [0, 15, 30, 45, 60, 75],
        [0.85, 1, 1.18],
        [-1, 0, 1],
      ],
      [
        [-7.5, 0, 7.5],
        [0.92, 1, 1.08],
        [-0.5, 0, 0.5],
      ],
      [
        [-3.75, 0, 3.75],
        [0.96, 1, 1.04],
        [-0.25, 0, 0.25],
      ],
    ] as const) {
      const c = { ...fit };
      const relative = c.score >= 0;
      for (const t of turns) {
        for (const k of sizes) {
          const m = c.m * k;
          const turn = (relative ? c.turn : 0) + t;
          for (const dy of offsets) {
            for (const dx of offsets) {
              const score = likeness(grey, c.x + dx, c.y + dy, m, turn * deg);
              if (score > fit.score) fit = { x: c.x + dx, y: c.y + dy, m, turn, score };
            }
          }
        }
      }
    }
    if (fit.score < MIN_LIKENESS) continue;
    if (out.some((f) => Math.hypot(f.x - fit.x, f.y - fit.y) < 3 * Math.max(f.module, fit.m))) continue;
    out.push({ x: fit.x, y: fit.y, module: fit.m, hits: fit.score >= 0.7 ? 3 : 2, likeness: fit.score });
  }
  out.sort((a, b) => b.likeness - a.likeness);
  return out.map(({ x, y, module, hits }) => ({ x, y, module, hits }));
}
