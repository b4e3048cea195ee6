// @smart-citizen/qr/testing: reproducible generated fixtures (Node; the JPEG step needs jpeg-js).
// The seeded generator these take is core's createRng.
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './randomCardPayload.js';
export * from './qrWriter.js';
export * from './renderCardImage.js';
export { generateCardQrSet } from './generateCardQrSet.js';
export type { GenerateCardQrSetOptions, GeneratedCardImage } from './generateCardQrSet.js';
export * from './fuzzPayload.js';
export { vietnameseNames } from './vietnameseNames.js';
export * from './generateHardQrSet.js';
export * from './split.js';
export * from './generateCardClip.js';
export * from './generatePdf417Set.js';
