// Test and benchmark helpers of @smart-citizen/fingerprint: the synthetic fingerprint generator.
export { generateFinger, renderImpression } from './synthetic.js';
export type {
  FingerClass,
  FingerOptions,
  ImpressionOptions,
  SyntheticFinger,
  SyntheticImpression,
} from './synthetic.js';
