// Public API of @smart-citizen/idcard.
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './cardTypes.js';
export * from './errors.js';
export * from './layout/layouts.js';
export * from './layout/CardLayout.js';
export * from './layout/canonical.js';
// Line OCR (engines, decoding, MRZ lines) and field post-processing.
export * from './ocr/tesseractLineReader.js';
export * from './ocr/LineRecognizer.js';
export * from './ocr/ctcDecode.js';
export * from './ocr/lineAlphabets.js';
export * from './ocr/prepareLine.js';
export * from './ocr/evaluateLines.js';
export * from './ocr/readMrz.js';
export * from './fields/FieldReading.js';
export * from './fields/readDate.js';
export * from './fields/readIdNumber.js';
export * from './fields/readSex.js';
export * from './fields/readNationality.js';
export * from './fields/readName.js';
export * from './fields/nameLexicon.js';
export * from './fields/PlaceMatcher.js';
export * from './fields/readCardFields.js';
export * from './fields/fuseSources.js';
export * from './fields/barcodeCrossCheck.js';
export * from './IdCardReader.js';
export { type FindCardResult, findCardQuad, orderQuad, type Quad } from './geometry/findCardQuad.js';
export { rectifyCard } from './geometry/rectify.js';
export type { RectifiedCard } from './geometry/rectify.js';
export { classifyCard } from './geometry/classifyCard.js';
export type { CardClassification } from './geometry/classifyCard.js';
export * from './geometry/quality.js';
export * from './ocr/createLineRecognizer.js';
export * from './ocr/ctcLineReader.js';
export * from './evidence.js';
