import type { EvidenceVerifiers } from '@smart-citizen/core';
import { DEFAULT_THRESHOLD } from './calibration.js';
import { matchTemplates } from './matchTemplates.js';
import { readTemplateBytes } from './readTemplateBytes.js';

/**
 * Wire this package into core's `decideFromRawEvidence` as its `fingerprint` verifier: the
 * probe and the enrolled templates are ISO 19794-2, ANSI 378 or native template bytes (extract
 * the probe with {@link extractTemplate} and {@link writeMinutiaeRecord} where it is captured);
 * the score is the calibrated score of {@link matchTemplates}. An unreadable probe or template
 * scores 0 rather than failing the session.
 * @param options - `threshold`: calibrated score that counts as a match. @default 30 (FMR ≈ 0.1%)
 * @returns The `fingerprint` entry of `EvidenceVerifiers`.
 */
export function fingerprintEvidenceVerifiers(
  options: { threshold?: number } = {},
): Required<Pick<EvidenceVerifiers, 'fingerprint'>> {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  return {
    fingerprint: {
      async match(probe, enrolled) {
        try {
          return matchTemplates(readTemplateBytes(probe), readTemplateBytes(enrolled)).score;
        } catch {
          return 0;
        }
      },
      threshold,
    },
  };
}
