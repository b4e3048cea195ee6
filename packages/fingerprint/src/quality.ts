import type { RasterImage } from '@smart-citizen/image';
import { type ExtractOptions, runExtraction } from './extractTemplate.js';
import { qualityOf } from './extract/qualityScore.js';
import type { FingerprintTemplate } from './types.js';

/** The measures behind a quality score, each mapped to 0–1 (1 = as good as a clean capture). */
export interface QualityFeatures {
  /** Grey levels agree with the binarised ridges (local clarity). */
  ridgeClarity: number;
  /** Share of the print where a clean ridge period was found (frequency validity). */
  ridgePeriod: number;
  /** Orientation certainty (coherence of the gradient structure tensor). */
  orientationCertainty: number;
  /** Print area: 1 from about 90,000 pixels at 500 dpi (≈ 15 × 15 mm). */
  usableArea: number;
  /** Minutiae found: 1 from 35. */
  minutiae: number;
  /** Grey-level spread inside the print. */
  contrast: number;
}

/** Result of {@link assessQuality}. */
export interface QualityReport {
  /** 0–100, higher is better; stored as the template's `quality`. */
  score: number;
  /** `score` is below the recapture threshold: ask for another impression. */
  recapture: boolean;
  features: QualityFeatures;
  /** The template extracted on the way (its `quality` is `score`). */
  template: FingerprintTemplate;
}

/** Below this score {@link assessQuality} advises a recapture. */
export const RECAPTURE_BELOW = 35;

/**
 * Quality of a fingerprint impression, 0–100, in the spirit of NFIQ 2: ridge clarity, ridge
 * period validity, orientation certainty, usable area, minutiae count and contrast, combined
 * with fixed weights. Use it to ask for a recapture (`recapture` below {@link RECAPTURE_BELOW})
 * and to weigh evidence; the README shows the EER of the FVC sets by quality bin.
 *
 * @param image - A decoded fingerprint image.
 * @param options - `dpi` as for {@link extractTemplate}.
 * @returns Score, recapture advice, the features and the template (with `quality` set).
 * @throws FingerprintError `fingerprint/bad-image`, `fingerprint/bad-dpi`; an image without a
 *   print (`fingerprint/no-print`) is thrown as from extraction, not scored 0, so callers can
 *   tell "no finger" from "poor finger".
 * @example
 * ```ts
 * const q = assessQuality(image, { dpi: 500 });
 * if (q.recapture) askAgain();
 * ```
 */
export function assessQuality(image: RasterImage, options: ExtractOptions): QualityReport {
  const ex = runExtraction(image, options);
  const { score, features } = qualityOf({ ...ex, minutiae: ex.template.minutiae.length });
  return { score, recapture: score < RECAPTURE_BELOW, features, template: ex.template };
}
