import type { RasterImage } from '@smart-citizen/image';
import type { RecognizedLine } from './ctcDecode.js';
import type { LineField } from './lineAlphabets.js';

/** Options of {@link LineRecognizer.recognize}. */
export interface RecognizeLineOptions {
  /** What the line holds: its alphabet restricts decoding (digits for the ID, OCR-B for the MRZ…). */
  field: LineField;
}

/** Reads single text lines cut from a card. Create with {@link createLineRecognizer}. */
export interface LineRecognizer {
  /** Read one line crop (any channel count; dark text on a light background). */
  recognize(image: RasterImage, options: RecognizeLineOptions): Promise<RecognizedLine>;
  /** Release the engines; idempotent. Calls after it throw `idcard/closed`. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
