import { FingerprintError } from './errors.js';
import { preparedOf } from './match/cache.js';
import { PairingWorkspace, pairTemplates } from './match/pairing.js';
import { rawScore } from './match/score.js';
import type { FingerprintTemplate } from './types.js';

/** Result of comparing two templates. */
export interface MatchResult {
  /** Similarity, higher = more alike; see the package README for thresholds. */
  score: number;
  /** Minutiae paired between the two templates. */
  pairedMinutiae: number;
}

let shared: PairingWorkspace | undefined;

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
 * @returns The score and the number of paired minutiae.
 * @throws FingerprintError `fingerprint/bad-template` when an argument is not a template.
 * @example
 * ```ts
 * const { score } = matchTemplates(extractTemplate(a, { dpi: 500 }), extractTemplate(b, { dpi: 500 }));
 * ```
 */
export function matchTemplates(probe: FingerprintTemplate, candidate: FingerprintTemplate): MatchResult {
  checkTemplate(probe, 'probe');
  checkTemplate(candidate, 'candidate');
  const p = preparedOf(probe);
  const c = preparedOf(candidate);
  shared ??= new PairingWorkspace();
  const pairing = pairTemplates(p, c, shared);
  return { score: rawScore(pairing, p.count, c.count), pairedMinutiae: pairing.count };
}
