import { FingerprintError } from './errors.js';
import { preparedOf } from './match/cache.js';
import { pairTemplates } from './match/pairing.js';
import { calibrate, DEFAULT_THRESHOLD } from './calibration.js';
import { MatchWorkspace, similarity } from './match/compare.js';
import type { FingerprintTemplate } from './types.js';

/** Result of comparing two templates. */
export interface MatchResult {
  /**
   * Calibrated similarity 0–100: 10 × −log10 of the estimated false match rate (30 ≈ one
   * impostor in 1,000 scores this high). See the README for how it was measured.
   */
  score: number;
  /** `score >= threshold`. */
  match: boolean;
  /** The threshold used. */
  threshold: number;
  /** Minutiae paired between the two templates by the neighbour-edge pairing. */
  pairedMinutiae: number;
}

let shared: MatchWorkspace | undefined;

/** @internal */
export function checkTemplate(t: FingerprintTemplate, what: string): void {
  if (t === null || typeof t !== 'object' || !Array.isArray(t.minutiae)) {
    throw new FingerprintError('fingerprint/bad-template', `${what} is not a fingerprint template`);
  }
}

/**
 * Compare two fingerprint templates (1:1). The result is symmetric in spirit but not bit-exact
 * in argument order; for 1:N use {@link FingerprintIndex}, which prepares the probe once.
 * Templates are treated as immutable: their prepared form is cached per object.
 *
 * @param probe - Template of the presented finger.
 * @param candidate - Template it is compared with.
 * @param options - `threshold`: calibrated score at which `match` is true. @default 30 (FMR ≈ 0.1%)
 * @returns The score and the number of paired minutiae.
 * @throws FingerprintError `fingerprint/bad-template` when an argument is not a template.
 * @example
 * ```ts
 * const { score } = matchTemplates(extractTemplate(a, { dpi: 500 }), extractTemplate(b, { dpi: 500 }));
 * ```
 */
export function matchTemplates(
  probe: FingerprintTemplate,
  candidate: FingerprintTemplate,
  options: { threshold?: number } = {},
): MatchResult {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
    throw new RangeError(`threshold must be a number ≥ 0, got ${String(threshold)}`);
  }
  checkTemplate(probe, 'probe');
  checkTemplate(candidate, 'candidate');
  const p = preparedOf(probe);
  const c = preparedOf(candidate);
  shared ??= new MatchWorkspace();
  const score = calibrate(similarity(p, c, shared));
  const pairing = pairTemplates(p, c, shared.pairing);
  return { score, match: score >= threshold, threshold, pairedMinutiae: pairing.count };
}
