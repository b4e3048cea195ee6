// Public API of @smart-citizen/idcard.
export { cardFieldNames, cardTypes, ID1_HEIGHT_MM, ID1_WIDTH_MM } from './cardTypes.js';
export type { CardFieldName, CardSide, CardType } from './cardTypes.js';
export { IdCardError } from './errors.js';
export type { IdCardErrorCode } from './errors.js';
export { allCardLayouts, cardLayout, cardLayouts } from './layout/layouts.js';
export type { CardLayout, FieldFormat, FieldLayout, MmBox, StaticText } from './layout/CardLayout.js';
export { CANONICAL_HEIGHT, CANONICAL_PX_PER_MM, CANONICAL_WIDTH, mmBoxToPx } from './layout/canonical.js';
export type { PxBox } from './layout/canonical.js';
// Line OCR (engines, decoding, MRZ lines) and field post-processing.
export { TesseractLineReader } from './ocr/tesseractLineReader.js';
export type { TesseractPaths } from './ocr/tesseractLineReader.js';
export type { LineRecognizer, RecognizeLineOptions } from './ocr/LineRecognizer.js';
export { ctcGreedyDecode, allowedClasses } from './ocr/ctcDecode.js';
export type { RecognizedChar, RecognizedLine } from './ocr/ctcDecode.js';
export { lineAlphabets, VIETNAMESE_LETTERS } from './ocr/lineAlphabets.js';
export type { LineAlphabet, LineField } from './ocr/lineAlphabets.js';
export { prepareLine, MAX_LINE_WIDTH } from './ocr/prepareLine.js';
export type { LineTensor } from './ocr/prepareLine.js';
export { editDistance, scoreLines } from './ocr/evaluateLines.js';
export type { LineOutcome, LineScores } from './ocr/evaluateLines.js';
export { mrzFromLines, readMrz } from './ocr/readMrz.js';
export type { MrzReading } from './ocr/readMrz.js';
export { LOW_CONFIDENCE, joinLines, spanConfidence } from './fields/FieldReading.js';
export type { FieldReading } from './fields/FieldReading.js';
export { readDate } from './fields/readDate.js';
export type { CardDateKind, ReadDateOptions } from './fields/readDate.js';
export { readIdNumber } from './fields/readIdNumber.js';
export type { ReadIdNumberOptions } from './fields/readIdNumber.js';
export { readSex } from './fields/readSex.js';
export { readNationality } from './fields/readNationality.js';
export { readName } from './fields/readName.js';
export type { ReadNameOptions } from './fields/readName.js';
export { createNameLexicon, fallbackNameLexicon, loadNameLexicon, parseNameTsv } from './fields/nameLexicon.js';
export type { NameLexicon, NameRole } from './fields/nameLexicon.js';
export { PlaceMatcher, PLACE_MATCH_MIN } from './fields/PlaceMatcher.js';
export { readCardFields } from './fields/readCardFields.js';
export type { FieldLines, FieldValue, ReadCardFieldsOptions } from './fields/readCardFields.js';
export type { PlacePart } from './fields/PlaceMatcher.js';
export { IdCardReader } from './IdCardReader.js';
export type {
  CardCrop,
  CardImageInput,
  FieldLineRecognizer,
  IdCardReaderOptions,
  IdCardReadResult,
  RecognizedText,
  SideProblem,
  SideResult,
} from './IdCardReader.js';
export { findCardQuad, orderQuad } from './geometry/findCardQuad.js';
export type { FindCardResult, Quad } from './geometry/findCardQuad.js';
export { rectifyCard } from './geometry/rectify.js';
export type { RectifiedCard } from './geometry/rectify.js';
export { classifyCard } from './geometry/classifyCard.js';
export type { CardClassification } from './geometry/classifyCard.js';
export { cardSharpness, fieldsUnderGlare } from './geometry/quality.js';
export { createLineRecognizer } from './ocr/createLineRecognizer.js';
export type { LineEngine, LineRecognizerOptions } from './ocr/createLineRecognizer.js';
export {
  addIdCardEvidence,
  idcardEvidenceVerifiers,
  idcardProblems,
  mrzReadingEvidence,
  ocrReadingEvidence,
} from './evidence.js';
export type { IdCardEvidenceOptions, IdCardEvidenceSink } from './evidence.js';
