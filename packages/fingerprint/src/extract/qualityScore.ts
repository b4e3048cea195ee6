import type { QualityFeatures } from '../quality.js';

/** The measures of an impression that its quality is computed from. @internal */
export interface QualityMeasures {
  clarity: number;
  periodValid: number;
  coherence: number;
  areaPixels: number;
  minutiae: number;
  contrast: number;
}

/** Feature ramps (from → 0, to → 1) and weights; see the README for how they were chosen. */
const RAMPS = {
  ridgeClarity: [0.6, 0.92, 0.35],
  ridgePeriod: [0.85, 1, 0.2],
  orientationCertainty: [0.3, 0.8, 0.15],
  usableArea: [30_000, 90_000, 0.2],
  minutiae: [10, 35, 0.05],
  contrast: [10, 40, 0.05],
} as const satisfies Record<keyof QualityFeatures, readonly [number, number, number]>;

const ramp = (v: number, [from, to]: readonly [number, number, number]) =>
  Math.round(Math.max(0, Math.min(1, (v - from) / (to - from))) * 1000) / 1000;

/** Quality score 0–100 and its features from an impression's measures. @internal */
export function qualityOf(m: QualityMeasures): { score: number; features: QualityFeatures } {
  const features: QualityFeatures = {
    ridgeClarity: ramp(m.clarity, RAMPS.ridgeClarity),
    ridgePeriod: ramp(m.periodValid, RAMPS.ridgePeriod),
    orientationCertainty: ramp(m.coherence, RAMPS.orientationCertainty),
    usableArea: ramp(m.areaPixels, RAMPS.usableArea),
    minutiae: ramp(m.minutiae, RAMPS.minutiae),
    contrast: ramp(m.contrast, RAMPS.contrast),
  };
  let s = 0;
  for (const k of Object.keys(RAMPS) as (keyof QualityFeatures)[]) s += features[k] * RAMPS[k][2];
  return { score: Math.round(s * 100), features };
}
