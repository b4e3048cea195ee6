import { createRng, normalizeVector } from '@smart-citizen/core';
import { jacobiEigen } from '@smart-citizen/image';

/**
 * Synthetic face embeddings for the 1:N search bench.
 *
 * - `iso`: random unit vectors in 512-d (isotropic Gaussian). Impostor cosine: mean 0,
 *   std 1/√512 ≈ 0.044 — far narrower than real face embeddings, so every non-mated
 *   neighbour is at nearly the same distance.
 * - `face`: an anisotropic Gaussian whose variance along axis k falls as k^(−α), α chosen so that
 *   the participation ratio (Σλ)²/Σλ² — the effective dimension, 1/var of the impostor cosine —
 *   equals that of real embeddings (1/std² of their impostor cosines). With the `fr_feature`
 *   embeddings of the deepface photos (impostor std 0.1045) that is ≈ 92 dimensions, α ≈ 0.76.
 *   A new capture of an identity is the enrolled vector plus noise from the same spectrum, scaled
 *   so the genuine cosine is ≈ 0.72 (the real genuine mean).
 */
export type FaceDataKind = 'iso' | 'face';

export const DIM = 512;

/** Impostor cosine std of the real `fr_feature` embeddings of the 61 deepface photos (measured). */
export const REAL_IMPOSTOR_STD = 0.1045;
/** Genuine cosine mean of the same photos (measured). */
export const REAL_GENUINE_MEAN = 0.724;

/** Gaussian PRNG (Box–Muller over mulberry32). */
export function gaussian(seed: number): () => number {
  const u = createRng(seed).next;
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const a = Math.max(u(), 1e-12);
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

function participationRatio(alpha: number, dim: number): number {
  let s = 0;
  let s2 = 0;
  for (let k = 1; k <= dim; k++) {
    const l = k ** -alpha;
    s += l;
    s2 += l * l;
  }
  return (s * s) / s2;
}

/** The exponent α of a k^(−α) spectrum whose effective dimension is 1/std² (bisection). */
export function fitSpectrumExponent(impostorStd: number, dim = DIM): number {
  const target = 1 / impostorStd ** 2;
  let lo = 0;
  let hi = 4;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (participationRatio(mid, dim) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Generator of the enrolled vectors and probes of one data kind. */
export class FaceData {
  readonly alpha: number;
  readonly #scale: Float32Array;
  readonly #noise: number;

  constructor(readonly kind: FaceDataKind) {
    this.alpha = kind === 'face' ? fitSpectrumExponent(REAL_IMPOSTOR_STD) : 0;
    this.#scale = new Float32Array(DIM);
    for (let k = 0; k < DIM; k++) this.#scale[k] = Math.sqrt((k + 1) ** -this.alpha);
    // Noise of norm σ nearly orthogonal to a unit vector: cosine ≈ 1/√(1+σ²).
    this.#noise = kind === 'face' ? Math.sqrt(1 / REAL_GENUINE_MEAN ** 2 - 1) : 0.035 * Math.sqrt(DIM);
  }

  #draw(seed: number): Float32Array {
    const g = gaussian(seed);
    const v = new Float32Array(DIM);
    for (let k = 0; k < DIM; k++) v[k] = g() * (this.#scale[k] as number);
    return normalizeVector(v);
  }

  /** The i-th enrolled embedding (unit length). */
  enrolled(i: number): Float32Array {
    return this.#draw(i * 7919 + 17);
  }

  /** The q-th new capture of identity i (not normalised; the store normalises). */
  probe(i: number, q: number): Float32Array {
    const base = this.enrolled(i);
    const n = this.#draw(1_000_003 * (q + 1) + i);
    return base.map((x, k) => x + this.#noise * (n[k] as number));
  }
}

/** Dot product. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

/** Mean and standard deviation. */
export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) };
}

/**
 * An orthogonal change of basis that maps the principal directions of `xs` (uncentred, largest
 * first) onto axes 0, s, 2s… (s = `stride`) — among the axes of largest variance of the `face`
 * data. Orthogonal, so every cosine between the real embeddings is unchanged; it places them where
 * the synthetic population has its variance. The bench picks the stride whose real-vs-synthetic
 * cosine std is closest to the real impostor std.
 */
export function alignToSpectrum(xs: Float32Array[], stride = 1): (x: Float32Array) => Float32Array {
  const n = xs.length;
  const gram = Array.from({ length: n }, (_, i) => xs.map((y) => dot(xs[i] as Float32Array, y)));
  const { values, vectors } = jacobiEigen(gram);
  const order = values.map((_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number));
  const basis: Float64Array[] = [];
  const addOrthonormal = (u: Float64Array) => {
    for (const b of basis) {
      let d = 0;
      for (let k = 0; k < DIM; k++) d += (u[k] as number) * (b[k] as number);
      for (let k = 0; k < DIM; k++) u[k] = (u[k] as number) - d * (b[k] as number);
    }
    let nn = 0;
    for (const x of u) nn += x * x;
    nn = Math.sqrt(nn);
    if (nn < 1e-6) return;
    for (let k = 0; k < DIM; k++) u[k] = (u[k] as number) / nn;
    basis.push(u);
  };
  for (const j of order) {
    if ((values[j] as number) < 1e-9) continue;
    const w = vectors.map((row) => row[j] as number);
    const u = new Float64Array(DIM);
    for (let i = 0; i < n; i++) {
      const x = xs[i] as Float32Array;
      for (let k = 0; k < DIM; k++) u[k] = (u[k] as number) + (w[i] as number) * (x[k] as number);
    }
    addOrthonormal(u);
  }
  const principal = basis.length;
  for (let e = 0; e < DIM && basis.length < DIM; e++) {
    const u = new Float64Array(DIM);
    u[e] = 1;
    addOrthonormal(u);
  }
  // Principal direction j goes to axis j·stride; the completion fills the other axes in order.
  const axis: number[] = [];
  const taken = new Set<number>();
  for (let j = 0; j < principal; j++) {
    axis.push(Math.min(j * stride, DIM - 1 - (principal - 1 - j)));
    taken.add(axis[j] as number);
  }
  for (let a = 0; a < DIM && axis.length < DIM; a++) if (!taken.has(a)) axis.push(a);
  return (x) => {
    const out = new Float32Array(DIM);
    for (let r = 0; r < DIM; r++) {
      const b = basis[r] as Float64Array;
      let d = 0;
      for (let k = 0; k < DIM; k++) d += (b[k] as number) * (x[k] as number);
      out[axis[r] as number] = d;
    }
    return out;
  };
}

/**
 * A fixed pseudo-random rotation of R^512 (three rounds of random sign flips and the normalised
 * Walsh–Hadamard transform): orthogonal, so every cosine is unchanged, but it spreads the `face`
 * spectrum over all coordinates. Axis-aligned, the synthetic data has independent coordinate signs
 * (impostor Hamming distance of `binary_quantize` codes std 11 of 512 bits) where the real
 * `fr_feature` embeddings have correlated ones (std 19); rotated, the synthetic data has std 19, as
 * do the real embeddings after their alignment into the synthetic space. Use it wherever a
 * representation depends on the coordinates (sign codes, float16), not only on cosines.
 */
export function randomRotation(seed = 12345, dim = DIM): (x: Float32Array) => Float32Array {
  if ((dim & (dim - 1)) !== 0) throw new RangeError('randomRotation needs a power-of-two dimension');
  const u = createRng(seed).next;
  const rounds = Array.from({ length: 3 }, () => Float64Array.from({ length: dim }, () => (u() < 0.5 ? -1 : 1)));
  const norm = 1 / Math.sqrt(dim);
  return (x) => {
    const y = Float64Array.from(x);
    for (const signs of rounds) {
      for (let i = 0; i < dim; i++) y[i] = (y[i] as number) * (signs[i] as number);
      for (let h = 1; h < dim; h *= 2)
        for (let i = 0; i < dim; i += 2 * h)
          for (let j = i; j < i + h; j++) {
            const a = y[j] as number;
            const b = y[j + h] as number;
            y[j] = a + b;
            y[j + h] = a - b;
          }
      for (let i = 0; i < dim; i++) y[i] = (y[i] as number) * norm;
    }
    return Float32Array.from(y);
  };
}

/** An alignment of real embeddings into the synthetic space, with the real-vs-synthetic cosine it gives. */
export interface Alignment {
  stride: number;
  mean: number;
  std: number;
  map: (x: Float32Array) => Float32Array;
}

/**
 * The {@link alignToSpectrum} stride whose real-vs-synthetic cosine std is closest to the real
 * impostor std (stride 0: the identity map, for the isotropic data).
 */
export function bestAlignment(real: Float32Array[], sample: Float32Array[], strides: number[]): Alignment {
  let best: Alignment | undefined;
  for (const stride of strides) {
    const map = stride === 0 ? (x: Float32Array) => x : alignToSpectrum(real, stride);
    const cs: number[] = [];
    for (const r of real) {
      const a = map(r);
      for (let i = 0; i < sample.length; i += 5) cs.push(dot(a, sample[i] as Float32Array));
    }
    const ms = meanStd(cs);
    if (!best || Math.abs(ms.std - REAL_IMPOSTOR_STD) < Math.abs(best.std - REAL_IMPOSTOR_STD))
      best = { stride, std: ms.std, mean: ms.mean, map };
  }
  if (!best) throw new RangeError('bestAlignment needs at least one stride');
  return best;
}
