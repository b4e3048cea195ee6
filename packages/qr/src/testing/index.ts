// @smart-citizen/qr/testing: reproducible generated fixtures (Node; the JPEG step needs jpeg-js).
// The seeded generator these take is core's createRng.
export { randomCardPayload } from './randomCardPayload.js';
export type { GeneratedCardPayload, RandomCardPayloadOptions } from './randomCardPayload.js';
export { createBarcodeWriter } from './qrWriter.js';
export type { BarcodeWriter, ModuleMatrix } from './qrWriter.js';
export { degradationLevels, renderCardImage } from './renderCardImage.js';
export type { Degradation, RenderCardImageOptions } from './renderCardImage.js';
export { generateCardQrSet } from './generateCardQrSet.js';
export type { GenerateCardQrSetOptions, GeneratedCardImage } from './generateCardQrSet.js';
export { fuzzPayload } from './fuzzPayload.js';
export { vietnameseNames } from './vietnameseNames.js';
export { drawHardDegradation, generateHardQrSet, hardCategories } from './generateHardQrSet.js';
export type { GenerateHardQrSetOptions, GeneratedHardImage, HardCategory } from './generateHardQrSet.js';
export { evaluationHalf } from './split.js';
export type { EvaluationHalf } from './split.js';
export { generateCardClips } from './generateCardClip.js';
export type { CardClip, ClipMotion, GenerateCardClipsOptions } from './generateCardClip.js';
