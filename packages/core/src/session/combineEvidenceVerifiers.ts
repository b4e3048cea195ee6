import type { EvidenceVerifiers } from './decideFromRawEvidence.js';

/**
 * The part of {@link EvidenceVerifiers} one sensor package ships (`@smart-citizen/qr` the `qr`
 * entry, `@smart-citizen/face` `face` and `liveness`, an ID-card reader `mrz` and `ocr`, a chip
 * reader `chip`, a fingerprint matcher `fingerprint`). Each slice knows nothing of the others.
 */
export type EvidenceVerifierSlice = Partial<EvidenceVerifiers>;

/**
 * Put the slices of several sensor packages together into the verifiers of
 * `decideFromRawEvidence`.
 * @param slices - one slice per sensor package (`undefined` entries are skipped, for optional sensors)
 * @returns the combined verifiers
 * @throws RangeError when two slices provide the same entry (which one should win is not guessed)
 * @example
 * const verifiers = combineEvidenceVerifiers(qrEvidenceVerifiers(), faceEvidenceVerifiers(face));
 */
export function combineEvidenceVerifiers(...slices: (EvidenceVerifierSlice | undefined)[]): EvidenceVerifiers {
  const out: Record<string, unknown> = {};
  for (const slice of slices) {
    if (slice === undefined) continue;
    for (const [key, value] of Object.entries(slice)) {
      if (value === undefined) continue;
      if (key in out) {
        throw new RangeError(`[@smart-citizen/core] two evidence verifier slices provide '${key}'`);
      }
      out[key] = value;
    }
  }
  return out as EvidenceVerifiers;
}
