export { normalizeVietnamese } from './normalizeVietnamese.js';
export type { NormalizeVietnameseOptions, ToneStyle } from './normalizeVietnamese.js';
export { foldDiacritics, foldForCompare, equalsVietnamese } from './foldDiacritics.js';
export type { EqualsVietnameseOptions } from './foldDiacritics.js';
export { toNameCase, toUpperVietnamese } from './toNameCase.js';
export { similarityVietnamese, levenshtein, MAX_SIMILARITY_LENGTH } from './similarityVietnamese.js';
