import { decodeImage, type RasterImage } from '@smart-citizen/image';
import { randomCardPayload } from './randomCardPayload.js';
import { createBarcodeWriter } from './qrWriter.js';
import {
  type Degradation,
  degradationLevels,
  type RenderCardImageOptions,
  renderCardImage,
} from './renderCardImage.js';
import { createRng } from '@smart-citizen/core';

/** One generated sample. */
export interface GeneratedCardImage {
  /** The payload encoded in the code. */
  text: string;
  /** Degradation level index. */
  level: number;
  /** JPEG bytes when the level compresses, else undefined. */
  jpeg?: Uint8Array;
  /** The image as the reader gets it (decoded from the JPEG when there is one). */
  image: RasterImage;
}

/** Options of {@link generateCardQrSet}. */
export interface GenerateCardQrSetOptions {
  /** Samples per level. */
  count: number;
  /** Level indexes into {@link degradationLevels}. @default all */
  levels?: readonly number[];
  /** @default 1 */
  seed?: number;
  /** @default 1280 */
  width?: number;
  /** @default 960 */
  height?: number;
}

/** Encode grey pixels as a baseline JPEG with jpeg-js (pure JS, available in dev only). @internal */
export async function encodeJpeg(img: RasterImage, quality: number): Promise<Uint8Array> {
  const { encode } = await import('jpeg-js');
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let i = 0; i < img.width * img.height; i++) {
    const v = img.data[i] ?? 0;
    rgba[i * 4] = v;
    rgba[i * 4 + 1] = v;
    rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  const out = encode({ data: rgba, width: img.width, height: img.height }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}

/**
 * Generate a reproducible benchmark / fixture set: random valid CCCD payloads rendered as QR
 * codes on card-like photos, degraded at graded levels, JPEG-compressed and decoded back
 * through core's decoder (Node: uses zxing-wasm's writer and jpeg-js).
 *
 * @param options - {@link GenerateCardQrSetOptions}.
 * @returns The samples, level by level.
 */
export async function generateCardQrSet(options: GenerateCardQrSetOptions): Promise<GeneratedCardImage[]> {
  const writer = await createBarcodeWriter();
  const levels = options.levels ?? degradationLevels.map((_, i) => i);
  const out: GeneratedCardImage[] = [];
  for (const level of levels) {
    const degradation: Degradation | undefined = degradationLevels[level];
    if (!degradation) throw new RangeError(`no degradation level ${level}`);
    const rng = createRng((options.seed ?? 1) * 1000 + level);
    for (let i = 0; i < options.count; i++) {
      const payload = randomCardPayload(rng);
      const code = await writer.write(payload.text, 'QRCode', 'M');
      const render: RenderCardImageOptions = {
        width: options.width ?? 1280,
        height: options.height ?? 960,
        // From level 2 on, one card in four is turned by a quarter or half turn.
        quarterTurns: level >= 2 && rng.next() < 0.25 ? (rng.int(1, 3) as 1 | 2 | 3) : 0,
      };
      const grey = renderCardImage(code, degradation, rng, render);
      if (degradation.jpegQuality > 0) {
        const jpeg = await encodeJpeg(grey, degradation.jpegQuality);
        out.push({ text: payload.text, level, jpeg, image: await decodeImage(jpeg) });
      } else {
        out.push({ text: payload.text, level, image: grey });
      }
    }
  }
  return out;
}
