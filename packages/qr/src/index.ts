// Public API of @smart-citizen/qr.
export { parseCardQr, safeParseCardQr } from './parse/parseCardQr.js';
export type { CardQrData, CardQrErrorCode, ParseCardQrOptions, SafeParseCardQrResult } from './parse/parseCardQr.js';
export { qrErrorCodes } from './errors.js';
export type {
  QrEngineErrorCode,
  QrErrorCode,
  QrReadErrorCode,
  QrScannerErrorCode,
  QrTestingErrorCode,
} from './errors.js';
export { detectPayloadKind } from './parse/payloadKind.js';
export { qrEvidenceVerifiers } from './evidence.js';
export type { QrEvidenceOptions } from './evidence.js';
export type { PayloadKind } from './parse/payloadKind.js';
export { createZxingWasmEngine } from './engine/createZxingWasmEngine.js';
export type { ZxingWasmEngineOptions } from './engine/createZxingWasmEngine.js';
export { createZxingJsEngine } from './engine/createZxingJsEngine.js';
export type { QrEngine, QrEngineOptions, QrFormat, QrPoint, QrSymbol } from './engine/QrEngine.js';
export { readCardQr, readStrategies } from './read/readCardQr.js';
export type { ReadCardQrOptions, ReadCardQrResult } from './read/readCardQr.js';
export { createMultiFrameReader, frameSharpness } from './read/multiFrame.js';
export type { MultiFrameReader, MultiFrameReaderOptions } from './read/multiFrame.js';
export { fuseFrames } from './read/fuseFrames.js';
export type { FusionWindow } from './read/fuseFrames.js';
export { createQrScanner, videoFrameSource } from './scanner/createQrScanner.js';
export type { FrameSource, QrScanner, QrScannerOptions } from './scanner/createQrScanner.js';
export { createInlineFrameDecoder, createWorkerFrameDecoder } from './scanner/frameDecoder.js';
export type {
  FrameDecoder,
  FrameDecoderOptions,
  FrameReading,
  WorkerFrameDecoderOptions,
} from './scanner/frameDecoder.js';
export { assessFrame } from './scanner/assessFrame.js';
export type { AssessFrameOptions, CaptureHint, FrameAssessment } from './scanner/assessFrame.js';
