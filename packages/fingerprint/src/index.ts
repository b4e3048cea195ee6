// Public API of @smart-citizen/fingerprint.
export { FingerprintError } from './errors.js';
export type { FingerprintErrorCode } from './errors.js';
export type { FingerprintTemplate, Minutia, MinutiaType } from './types.js';
export { extractTemplate } from './extractTemplate.js';
export type { ExtractOptions } from './extractTemplate.js';
export { matchTemplates } from './matchTemplates.js';
export type { MatchResult } from './matchTemplates.js';
export { evaluateFvc } from './evaluate.js';
export type { FvcEvaluation } from './evaluate.js';
