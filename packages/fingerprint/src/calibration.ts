/**
 * Raw matcher similarity (the MCC / LSS-R score, 0–1) → estimated false match rate, as knots of
 * (raw score, −log10 FMR), measured on the impostor pairs of the tuning half of the FVC sets
 * (1,856 cross-finger pairs; see README): the raw score that 50, 20, 10, 5, 2, 1, 0.5 and 0.2%
 * of them reach. Between knots the curve is linear; past the last knot it continues at 40
 * decades per raw unit, about half the measured slope between 1% and 0.2%, so that
 * extrapolated rates err on the safe side (the report half's 3,584 impostors: 0.1% at raw
 * 0.0313, none above 0.0400; threshold 30 is raw 0.0426). Refitted after the extractor fix that
 * keeps bifurcations with diagonally touching branches (more minutiae per image).
 * @internal
 */
const KNOTS: readonly (readonly [raw: number, decades: number])[] = [
  [0, 0],
  [0.0146, 0.301],
  [0.0167, 0.699],
  [0.0182, 1],
  [0.0201, 1.301],
  [0.0243, 1.699],
  [0.0271, 2],
  [0.0311, 2.301],
  [0.0351, 2.699],
];
const TAIL_SLOPE = 40;
/** Calibrated scores stop at 100 (FMR 1e-10): beyond that the estimate means nothing. */
const MAX_SCORE = 100;

/**
 * Calibrated score: 10 × −log10(estimated false match rate). 20 ≈ 1 in 100 impostors
 * scoring as high, 30 ≈ 1 in 1,000, 40 ≈ 1 in 10,000.
 * @internal
 */
export function calibrate(raw: number): number {
  if (!(raw > 0)) return 0;
  let decades: number;
  const last = KNOTS[KNOTS.length - 1] as readonly [number, number];
  if (raw >= last[0]) decades = last[1] + (raw - last[0]) * TAIL_SLOPE;
  else {
    let k = 1;
    while ((KNOTS[k] as readonly [number, number])[0] < raw) k++;
    const [r0, d0] = KNOTS[k - 1] as readonly [number, number];
    const [r1, d1] = KNOTS[k] as readonly [number, number];
    decades = d0 + ((raw - r0) / (r1 - r0)) * (d1 - d0);
  }
  return Math.min(MAX_SCORE, Math.round(decades * 100) / 10);
}

/** False match rate a calibrated threshold stands for. */
export function thresholdToFmr(threshold: number): number {
  return 10 ** (-threshold / 10);
}

/** False match rate → calibrated threshold (e.g. 0.001 → 30). */
export function fmrToThreshold(fmr: number): number {
  if (!(fmr > 0 && fmr <= 1)) throw new RangeError(`fmr must be in (0, 1], got ${String(fmr)}`);
  return -10 * Math.log10(fmr);
}

/** Default decision threshold of the package: 30, an estimated false match rate of 0.1%. */
export const DEFAULT_THRESHOLD = 30;
