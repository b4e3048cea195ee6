import { type ErrorFactory, errorFactory } from '@smart-citizen/core';
import type { CardQrErrorCode } from './parse/parseCardQr.js';

/** Codes the QR engines throw: the decoder library cannot be loaded, was closed, or ran out of memory. */
export type QrEngineErrorCode = 'qr/engine-unavailable' | 'qr/engine-closed' | 'qr/out-of-memory';

/** Codes `readCardQr` throws for an image it cannot use (its findings are issues in the result). */
export type QrReadErrorCode = 'qr/bad-image';

/**
 * Codes the camera scanner throws or rejects with: no frame source, no decoder, closed; and the
 * codes its worker reports when it was not initialised or its decode failed.
 */
export type QrScannerErrorCode =
  | 'qr/scanner-no-source'
  | 'qr/scanner-no-decoder'
  | 'qr/scanner-closed'
  | 'qr/worker-not-initialised'
  | 'qr/worker-failed';

/** Codes the test-code writer of `@smart-citizen/qr/testing` throws. */
export type QrTestingErrorCode = 'qr/write-failed';

/** Every code of the errors `@smart-citizen/qr` throws on purpose. */
export type QrErrorCode =
  | CardQrErrorCode
  | QrEngineErrorCode
  | QrReadErrorCode
  | QrScannerErrorCode
  | QrTestingErrorCode;

/**
 * The errors `@smart-citizen/qr` throws: `SmartCitizenError`s whose message names the package.
 * @internal
 */
export const qrError: ErrorFactory<QrErrorCode> = errorFactory('qr');

/** Every {@link QrErrorCode}, for checks and docs (a test scans the package's throw sites against it). */
export const qrErrorCodes = [
  'qr/empty-payload',
  'qr/not-a-card-payload',
  'qr/truncated-payload',
  'qr/engine-unavailable',
  'qr/engine-closed',
  'qr/out-of-memory',
  'qr/bad-image',
  'qr/scanner-no-source',
  'qr/scanner-no-decoder',
  'qr/scanner-closed',
  'qr/worker-not-initialised',
  'qr/worker-failed',
  'qr/write-failed',
] as const satisfies readonly QrErrorCode[];
