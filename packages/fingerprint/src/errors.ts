import { errorClass } from '@smart-citizen/core';

/** Codes of the errors `@smart-citizen/fingerprint` throws on purpose. */
export type FingerprintErrorCode =
  /** The image is not a usable raster (empty, wrong size, too small or too large). */
  | 'fingerprint/bad-image'
  /** The dpi is missing, not a number or outside 250–1200. */
  | 'fingerprint/bad-dpi'
  /** The image holds no fingerprint: blank, saturated, or no ridge area large enough. */
  | 'fingerprint/no-print'
  /** A template (ISO, ANSI, native or JSON) is malformed, truncated or inconsistent. */
  | 'fingerprint/bad-template';

/**
 * Error thrown by `@smart-citizen/fingerprint` for unusable input: an image that is not a
 * fingerprint, a wrong dpi, a corrupt or hostile template. Domain outcomes (a low-quality
 * print, a non-match) are results, not errors.
 */
export class FingerprintError extends errorClass<FingerprintErrorCode>('fingerprint', 'FingerprintError') {}
