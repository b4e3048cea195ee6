import type { EvidenceVerifiers } from '@smart-citizen/core';
import type { FaceVerifier } from './FaceVerifier.js';
import type { ReferenceType } from './quality.js';

/**
 * Wire a {@link FaceVerifier} into core's `decideFromRawEvidence` as its `face` and `liveness`
 * verifiers. `embed` returns the embedding only for a face that passed the quality gate, so a
 * poor capture becomes "no usable face" rather than a low score.
 * @param verifier - An open verifier.
 * @param options - `referenceType` decides the threshold used. @default { referenceType: 'photo' }
 * @returns The `face` and `liveness` entries of `EvidenceVerifiers`.
 */
export function faceEvidenceVerifiers(
  verifier: FaceVerifier,
  options: { referenceType?: ReferenceType } = {},
): Required<Pick<EvidenceVerifiers, 'face' | 'liveness'>> {
  const referenceType = options.referenceType ?? 'photo';
  return {
    face: {
      async embed(image) {
        const r = await verifier.embed(image, { referenceType });
        return r.status === 'ok' && r.quality.passed ? r.embedding : undefined;
      },
      threshold: verifier.thresholds[referenceType],
    },
    async liveness(image) {
      const r = await verifier.liveness(image);
      return r.status === 'ok' ? { live: r.live, score: r.score } : { live: false, score: 0 };
    },
  };
}
