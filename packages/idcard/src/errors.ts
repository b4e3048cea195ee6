import { errorClass } from '@smart-citizen/core';

/** Codes of the errors `@smart-citizen/idcard` throws on purpose. */
export type IdCardErrorCode =
  /** A call after `close()`. */
  | 'idcard/closed'
  /** `read()` was given neither a front nor a back image. */
  | 'idcard/no-input'
  /** The bytes are not an image the reader can decode (corrupt, unknown format, zero size). */
  | 'idcard/bad-image'
  /** The OCR engine (tesseract.js) or its data could not be loaded. */
  | 'idcard/engine-unavailable'
  /** Traineddata that cannot be found (in a browser: no `langPath` given). */
  | 'idcard/model-missing'
  /** Evidence path: the card photo holds no readable card (no card, cut off, blurred…; `details.status` says which). */
  | 'idcard/unreadable-photo'
  /** Options that cannot work (unknown card type, negative sizes, …). */
  | 'idcard/bad-options';

/**
 * Error thrown by `@smart-citizen/idcard` for unusable input or set-up: an undecodable image, a
 * missing engine, a call after `close()`. What a photo shows (no card, a card cut off, a blurred
 * card, a field that could not be read) comes back as data in the result, never as an error.
 */
export class IdCardError extends errorClass<IdCardErrorCode>('idcard', 'IdCardError') {}
