import type { RasterImage } from '@smart-citizen/image';

/** Barcode formats the reader asks an engine for. */
export type QrFormat = 'QRCode' | 'PDF417';

/** A point in image pixels. */
export interface QrPoint {
  x: number;
  y: number;
}

/** One decoded symbol. */
export interface QrSymbol {
  /** Decoded text (UTF-8 / ECI aware, no HRI rewriting). */
  text: string;
  /** Raw bytes of the content, when the engine exposes them. */
  bytes?: Uint8Array;
  format: QrFormat;
  /** Modules per side (QR codes: 17 + 4 × version), when known. */
  moduleCount?: number;
  /** Corners (top-left, top-right, bottom-right, bottom-left) in the input's pixels, when known. */
  corners?: [QrPoint, QrPoint, QrPoint, QrPoint];
}

/** Per-call engine options. */
export interface QrEngineOptions {
  /**
   * Formats to look for.
   * @default ['QRCode']
   */
  formats?: readonly QrFormat[];
  /**
   * Spend more time to find a code (zxing `tryHarder`).
   * @default true
   */
  tryHarder?: boolean;
  /**
   * Let the engine try 90/180/270° itself.
   * @default true
   */
  tryRotate?: boolean;
  /**
   * Let the engine try light-on-dark codes.
   * @default true
   */
  tryInvert?: boolean;
  /**
   * Let the engine try downscaled copies of large images.
   * @default true
   */
  tryDownscale?: boolean;
  /**
   * Morphological closing before detection (zxing-cpp only).
   * @default false
   */
  tryDenoise?: boolean;
  /**
   * `local`: threshold against the local mean (robust to uneven light); `global`: one
   * threshold from the histogram (robust to blur and fine texture).
   * @default 'local'
   */
  binarizer?: 'local' | 'global';
  /**
   * The image is one crisp, upright code on a quiet zone (a re-rendered module grid): the
   * engine skips detection and reads the grid directly.
   * @default false
   */
  pure?: boolean;
  /**
   * Most symbols to return.
   * @default 1
   */
  maxSymbols?: number;
}

/**
 * A barcode engine: decodes QR codes (and PDF417) in a grey (1 channel) or RGBA (4 channel)
 * image. Engines are created by async factories and released by `close()`.
 */
export interface QrEngine {
  /** Engine name for reports, e.g. `zxing-wasm`. */
  readonly name: string;
  /**
   * Decode the symbols in an image. Never throws for "nothing found": returns `[]`.
   *
   * @param image - Grey (`channels: 1`) or RGBA (`channels: 4`) image.
   * @param options - {@link QrEngineOptions}.
   * @returns The symbols found, best first.
   */
  decode(image: RasterImage, options?: QrEngineOptions): QrSymbol[];
  /** Release the engine; idempotent. */
  close(): void;
}
