import { errorClass } from '@smart-citizen/core';

/** Codes of the errors `@smart-citizen/face` throws on purpose. */
export type FaceErrorCode =
  | 'face/model-missing'
  | 'face/model-checksum'
  | 'face/model-invalid'
  | 'face/runtime-unavailable'
  | 'face/closed'
  | 'face/bad-image'
  | 'face/bad-profile';

/**
 * Error thrown by `@smart-citizen/face` for unusable input: a model that is missing or does not
 * match its SHA-256, a runtime that cannot be loaded, an image that cannot be decoded, a call
 * after `close()`. Domain outcomes (no face, low quality) are results, not errors.
 */
export class FaceError extends errorClass<FaceErrorCode>('face', 'FaceError') {}
