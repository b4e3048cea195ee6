// Public API of @smart-citizen/fingerprint.
export { FingerprintError } from './errors.js';
export type { FingerprintErrorCode } from './errors.js';
export type { FingerprintTemplate, Minutia, MinutiaType } from './types.js';
export { extractTemplate } from './extractTemplate.js';
export type { ExtractOptions } from './extractTemplate.js';
export { matchTemplates } from './matchTemplates.js';
export type { MatchResult } from './matchTemplates.js';
export { FingerprintIndex } from './FingerprintIndex.js';
export type { FingerprintCandidate, SearchOptions } from './FingerprintIndex.js';
export { DEFAULT_THRESHOLD, fmrToThreshold, thresholdToFmr } from './calibration.js';
export { readMinutiaeRecord, writeMinutiaeRecord, detectMinutiaeRecord } from './formats/minutiaeRecord.js';
export type { MinutiaeRecordFormat, ReadRecordOptions, WriteRecordOptions } from './formats/minutiaeRecord.js';
export { encodeTemplate, decodeTemplate, parseTemplate } from './formats/nativeTemplate.js';
export { evaluateFvc } from './evaluate.js';
export type { FvcEvaluation } from './evaluate.js';
export { readTemplateBytes } from './readTemplateBytes.js';
export { fingerprintTemplateIndex } from './storeIndex.js';
export { fingerprintEvidenceVerifiers } from './evidence.js';
