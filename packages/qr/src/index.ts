// Public API of @smart-citizen/qr.
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './parse/parseCardQr.js';
export { qrErrorCodes } from './errors.js';
export type {
  QrEngineErrorCode,
  QrErrorCode,
  QrReadErrorCode,
  QrScannerErrorCode,
  QrTestingErrorCode,
} from './errors.js';
export { detectPayloadKind } from './parse/payloadKind.js';
export * from './evidence.js';
export type { PayloadKind } from './parse/payloadKind.js';
export * from './engine/createZxingWasmEngine.js';
export * from './engine/createZxingJsEngine.js';
export * from './engine/QrEngine.js';
export * from './read/readCardQr.js';
export { createMultiFrameReader, frameSharpness } from './read/multiFrame.js';
export type { MultiFrameReader, MultiFrameReaderOptions } from './read/multiFrame.js';
export { warmUpQrReader } from './read/warmUp.js';
export type { WarmUpQrReaderOptions } from './read/warmUp.js';
export { fuseFrames } from './read/fuseFrames.js';
export type { FusionWindow } from './read/fuseFrames.js';
export * from './scanner/createQrScanner.js';
export { createInlineFrameDecoder, createWorkerFrameDecoder } from './scanner/frameDecoder.js';
export type {
  FrameDecoder,
  FrameDecoderOptions,
  FrameReading,
  WorkerFrameDecoderOptions,
} from './scanner/frameDecoder.js';
export * from './scanner/assessFrame.js';
