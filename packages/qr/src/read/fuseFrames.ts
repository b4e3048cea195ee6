import type { RasterImage } from '@smart-citizen/image';
import { fft2d } from './fft.js';

/** A square window of a frame: top-left corner and side (a power of two). */
export interface FusionWindow {
  x: number;
  y: number;
  size: number;
}

/** Copy an n×n window (clamped at the borders) of a grey image into a float plane. */
function windowOf(img: RasterImage, x0: number, y0: number, n: number): Float64Array {
  const out = new Float64Array(n * n);
  const { width: w, height: h, data } = img;
  for (let y = 0; y < n; y++) {
    const yy = Math.min(h - 1, Math.max(0, y0 + y));
    for (let x = 0; x < n; x++) {
      const xx = Math.min(w - 1, Math.max(0, x0 + x));
      out[y * n + x] = data[yy * w + xx] ?? 0;
    }
  }
  return out;
}

/** Spectrum of a plane after removing its mean and tapering its border (Hann). */
function taperedSpectrum(plane: Float64Array, n: number): [Float64Array, Float64Array] {
  let mean = 0;
  for (const v of plane) mean += v;
  mean /= plane.length;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let y = 0; y < n; y++) {
    const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / n);
    for (let x = 0; x < n; x++) {
      const wx = 0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / n);
      re[y * n + x] = ((plane[y * n + x] as number) - mean) * wx * wy;
    }
  }
  fft2d(re, im, n);
  return [re, im];
}

/**
 * Integer shift of `moving` against `reference` by phase correlation: the content at
 * `p` in the reference is at `p + shift` in the moving window.
 * @internal
 */
export function phaseCorrelate(
  reference: readonly [Float64Array, Float64Array],
  moving: readonly [Float64Array, Float64Array],
  n: number,
): { dx: number; dy: number; peak: number } {
  const [ar, ai] = reference;
  const [br, bi] = moving;
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) {
    // moving × conj(reference), normalised.
    const r = (br[i] as number) * (ar[i] as number) + (bi[i] as number) * (ai[i] as number);
    const q = (bi[i] as number) * (ar[i] as number) - (br[i] as number) * (ai[i] as number);
    // Half normalised (|·|^0.5): whitened enough for a sharp peak, but the frequencies a
    // blur wipes out (or flips, past a motion streak's first zero) do not count as much as
    // those it keeps.
    const m = Math.hypot(r, q) ** 0.5 + 1e-9;
    re[i] = r / m;
    im[i] = q / m;
  }
  fft2d(re, im, n, true);
  let best = 0;
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n * n; i++) {
    if ((re[i] as number) > peak) {
      peak = re[i] as number;
      best = i;
    }
  }
  const bx = best % n;
  const by = (best - bx) / n;
  return { dx: bx > n / 2 ? bx - n : bx, dy: by > n / 2 ? by - n : by, peak };
}

/**
 * Fuse one window over several frames of the same code by Fourier burst accumulation
 * (Delbracio & Sapiro, "Burst deblurring", CVPR 2015): each frame's window is registered to
 * the last frame's by phase correlation (whole pixels), then every spatial frequency is the
 * mean of the frames' coefficients weighted by |F|^p. Hand shake blurs each frame in another
 * direction, which wipes out other frequencies; the weighting keeps, per frequency, the
 * frames that still carry it, so the fused window can be sharper than any single frame.
 *
 * @param frames - Grey frames, oldest first; the last is the reference.
 * @param window - Where the code is in the last frame (side a power of two, ≤ 512).
 * @param p - Weighting exponent (0: plain average; the paper uses 7–11). @default 8
 * @returns The fused window as a grey image (`size`×`size`).
 */
export function fuseFrames(frames: readonly RasterImage[], window: FusionWindow, p = 8): RasterImage {
  const n = window.size;
  if ((n & (n - 1)) !== 0 || n < 16 || n > 512)
    throw new RangeError('fuseFrames: size must be a power of two in 16–512');
  if (frames.length === 0) throw new RangeError('fuseFrames: no frames');
  const ref = frames[frames.length - 1] as RasterImage;
  const refSpec = taperedSpectrum(windowOf(ref, window.x, window.y, n), n);
  const sumRe = new Float64Array(n * n);
  const sumIm = new Float64Array(n * n);
  const sumW = new Float64Array(n * n);
  for (const frame of frames) {
    let plane = windowOf(frame, window.x, window.y, n);
    if (frame !== ref) {
      const { dx, dy } = phaseCorrelate(refSpec, taperedSpectrum(plane, n), n);
      plane = windowOf(frame, window.x + dx, window.y + dy, n);
    }
    const re = Float64Array.from(plane);
    const im = new Float64Array(n * n);
    fft2d(re, im, n);
    for (let i = 0; i < n * n; i++) {
      const w = Math.hypot(re[i] as number, im[i] as number) ** p + 1e-30;
      sumRe[i] = (sumRe[i] as number) + w * (re[i] as number);
      sumIm[i] = (sumIm[i] as number) + w * (im[i] as number);
      sumW[i] = (sumW[i] as number) + w;
    }
  }
  for (let i = 0; i < n * n; i++) {
    sumRe[i] = (sumRe[i] as number) / (sumW[i] as number);
    sumIm[i] = (sumIm[i] as number) / (sumW[i] as number);
  }
  fft2d(sumRe, sumIm, n, true);
  const data = new Uint8Array(n * n);
  for (let i = 0; i < n * n; i++) {
    const v = Math.round(sumRe[i] as number);
    data[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return { width: n, height: n, channels: 1, data };
}
