import { BLOCK, type PeriodMap, type RidgeFields, type Segmentation } from './fields.js';

const ORIENTATIONS = 16;
const PAD = 12;
const ALONG = 6; // taps each side along the ridge
const ACROSS = 9; // taps each side across the ridge
const SIGMA_ALONG = 3.5;
const PERIOD_MIN = 4;
const PERIOD_MAX = 16;
const PERIOD_STEPS = 2; // bins per pixel of period
/**
 * Gaussian envelope of the across-ridge Gabor profile, in ridge periods: 0.5 where the
 * orientation certainty is at most {@link COHERENT}, 0.6 (a narrower frequency band, more
 * ridges averaged) where the ridges are clearly oriented. Chosen on the tune half (session 12):
 * pooled EER 3.7 → 3.2%, 1 − AUC 6.7 → 4.7‰; 0.6 everywhere was worse (4.4%: it smears the
 * scarred, low-certainty areas of FVC2002 DB3).
 */
const ENVELOPE = [0.5, 0.6] as const;
const COHERENT = 0.5;

interface Kernel {
  offsets: Int32Array;
  weights: Float32Array;
}

/**
 * Even Gabor profile across a ridge of direction (tx, ty) and period `p`, its Gaussian envelope
 * `envelope` × p wide, with zero DC response and unit absolute sum.
 */
function gaborAcross(tx: number, ty: number, stride: number, p: number, envelope: number): Kernel {
  const sigma = envelope * p;
  const reach = Math.min(ACROSS, Math.ceil(1.3 * p));
  const o2 = new Int32Array(2 * reach + 1);
  const w2 = new Float32Array(2 * reach + 1);
  let mean = 0;
  let env = 0;
  for (let t = -reach; t <= reach; t++) {
    // Across the ridge: normal (−sinθ, cosθ).
    o2[t + reach] = Math.round(t * tx) * stride + Math.round(-t * ty);
    const g = Math.exp((-t * t) / (2 * sigma * sigma));
    const v = g * Math.cos((2 * Math.PI * t) / p);
    w2[t + reach] = v;
    mean += v;
    env += g;
  }
  // Zero DC response so flat areas give 0 whatever their brightness.
  let energy = 0;
  for (let k = 0; k < w2.length; k++) {
    const g = Math.exp((-(k - reach) * (k - reach)) / (2 * sigma * sigma));
    const v = (w2[k] as number) - (mean * g) / env;
    w2[k] = v;
    energy += Math.abs(v);
  }
  for (let k = 0; k < w2.length; k++) w2[k] = (w2[k] as number) / energy;
  return { offsets: o2, weights: w2 };
}

/** `across[envelope][orientation][period bin]`, envelope an index of {@link ENVELOPE}. */
const cache = new Map<number, { along: Kernel[]; across: Kernel[][][] }>();

/** Sampling offsets and weights for one padded row stride, built once per stride. */
function kernels(stride: number): { along: Kernel[]; across: Kernel[][][] } {
  const hit = cache.get(stride);
  if (hit) return hit;
  const along: Kernel[] = [];
  const across: Kernel[][][] = ENVELOPE.map(() => []);
  for (let o = 0; o < ORIENTATIONS; o++) {
    const theta = (o * Math.PI) / ORIENTATIONS;
    const tx = Math.cos(theta);
    const ty = Math.sin(theta);
    const offs = new Int32Array(2 * ALONG + 1);
    const w = new Float32Array(2 * ALONG + 1);
    let ws = 0;
    for (let t = -ALONG; t <= ALONG; t++) {
      offs[t + ALONG] = Math.round(t * ty) * stride + Math.round(t * tx);
      const v = Math.exp((-t * t) / (2 * SIGMA_ALONG * SIGMA_ALONG));
      w[t + ALONG] = v;
      ws += v;
    }
    for (let k = 0; k < w.length; k++) w[k] = (w[k] as number) / ws;
    along.push({ offsets: offs, weights: w });
    for (const [e, envelope] of ENVELOPE.entries()) {
      const perPeriod: Kernel[] = [];
      for (let pb = 0; pb <= (PERIOD_MAX - PERIOD_MIN) * PERIOD_STEPS; pb++) {
        perPeriod.push(gaborAcross(tx, ty, stride, PERIOD_MIN + pb / PERIOD_STEPS, envelope));
      }
      (across[e] as Kernel[][]).push(perPeriod);
    }
  }
  const built = { along, across };
  cache.set(stride, built);
  return built;
}

/**
 * Contextual enhancement and binarisation: an oriented Gabor filter split in two 1-D passes
 * (Gaussian smoothing along the ridge, then an even Gabor profile tuned to the local period
 * across it), so a pixel costs ~30 taps instead of a 2-D kernel's ~300. Returns 1 for ridge
 * pixels inside the mask.
 * @internal
 */
export function enhanceAndBinarise(fields: RidgeFields, seg: Segmentation, periods: PeriodMap): Uint8Array {
  const { width, height, norm, cos2, sin2, hw, hh } = fields;
  const mask = seg.mask;
  const pw = width + 2 * PAD;
  const ph = height + 2 * PAD;
  const padded = new Float32Array(pw * ph);
  for (let y = 0; y < height; y++) {
    const src = y * width;
    const dst = (y + PAD) * pw + PAD;
    for (let x = 0; x < width; x++) {
      const v = norm[src + x] as number;
      padded[dst + x] = v > 3 ? 3 : v < -3 ? -3 : v;
    }
  }
  const { along, across } = kernels(pw);
  // Quantised orientation on the half grid (the field is stored there).
  const orientH = new Uint8Array(hw * hh);
  for (let h = 0; h < hw * hh; h++) {
    let th = Math.atan2(sin2[h] as number, cos2[h] as number) / 2;
    if (th < 0) th += Math.PI;
    orientH[h] = Math.round((th * ORIENTATIONS) / Math.PI) % ORIENTATIONS;
  }
  // Pass 1: smoothing along the ridge, only where pass 2 will read it: the print's blocks
  // dilated by two blocks (16 pixels ≥ the across-kernel reach).
  const { bw, bh, blocks } = seg;
  const near = new Uint8Array(bw * bh);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      if (!blocks[by * bw + bx]) continue;
      for (let yy = Math.max(0, by - 2); yy <= Math.min(bh - 1, by + 2); yy++) {
        for (let xx = Math.max(0, bx - 2); xx <= Math.min(bw - 1, bx + 2); xx++) near[yy * bw + xx] = 1;
      }
    }
  }
  const smooth = new Float32Array(pw * ph);
  for (let y = 0; y < height; y++) {
    const brow = ((y / BLOCK) | 0) * bw;
    const hrow = (y >> 1) * hw;
    for (let x = 0; x < width; x++) {
      if (!near[brow + ((x / BLOCK) | 0)]) continue;
      const k = along[orientH[hrow + (x >> 1)] as number] as Kernel;
      const base = (y + PAD) * pw + x + PAD;
      const offs = k.offsets;
      const ws = k.weights;
      let s = 0;
      for (let t = 0; t < offs.length; t++) s += (padded[base + (offs[t] as number)] as number) * (ws[t] as number);
      smooth[base] = s;
    }
  }
  // Pass 2: Gabor profile across the ridge, its envelope by the orientation certainty.
  const { coherence } = fields;
  const out = new Uint8Array(width * height);
  const { step, gw, period } = periods;
  for (let y = 0; y < height; y++) {
    const grow = ((y / step) | 0) * gw;
    const hrow = (y >> 1) * hw;
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      const p = period[grow + ((x / step) | 0)] as number;
      let pb = Math.round((p - PERIOD_MIN) * PERIOD_STEPS);
      if (pb < 0) pb = 0;
      const h = hrow + (x >> 1);
      const perO = (across[(coherence[h] as number) > COHERENT ? 1 : 0] as Kernel[][])[
        orientH[h] as number
      ] as Kernel[];
      if (pb >= perO.length) pb = perO.length - 1;
      const k = perO[pb] as Kernel;
      const base = (y + PAD) * pw + x + PAD;
      const offs = k.offsets;
      const ws = k.weights;
      let s = 0;
      for (let t = 0; t < offs.length; t++) s += (smooth[base + (offs[t] as number)] as number) * (ws[t] as number);
      out[i] = s < 0 ? 1 : 0;
    }
  }
  return out;
}
