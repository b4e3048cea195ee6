import { createRng, formatDate, type Rng } from '@smart-citizen/core';
import { decodeImage } from '@smart-citizen/image';
import { encodeJpeg, type GeneratedCardImage } from './generateCardQrSet.js';
import { createBarcodeWriter } from './qrWriter.js';
import { randomCardPayload } from './randomCardPayload.js';
import { type Degradation, renderCardImage } from './renderCardImage.js';

/** Graded PDF417 levels, 0 (near, sharp) to 3 (far, blurred, dim, compressed). */
export const pdf417Levels = [0, 1, 2, 3] as const;

/** One generated photo of a 2016 CCCD back. */
export interface GeneratedPdf417Image extends GeneratedCardImage {
  /** Stable name, `pdf417-L/index` (what the evaluation split hashes). */
  name: string;
  /** The degradation it was drawn with. */
  degradation: Degradation;
}

/** Options of {@link generatePdf417Set}. */
export interface GeneratePdf417SetOptions {
  /** Photos per level. */
  count: number;
  /** @default all of {@link pdf417Levels} */
  levels?: readonly number[];
  /** @default 1 */
  seed?: number;
  /** @default 1280 */
  width?: number;
  /** @default 960 */
  height?: number;
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/**
 * Draw the degradation of one PDF417 photo at a level: every parameter drawn on its own from
 * the level's range (module width, blur, motion, defocus, noise, light, contrast, perspective,
 * rotation, JPEG quality, glare, bend), none taken from the QR ladder's graded levels.
 *
 * @param level - 0 to 3.
 * @param rng - Seeded random source.
 * @returns A {@link Degradation} for {@link renderCardImage} (`pxPerModule` is the narrowest bar's width).
 */
export function drawPdf417Degradation(level: number, rng: Rng): Degradation {
  const t = Math.max(0, Math.min(3, level)) / 3;
  const span = (lo0: number, hi0: number, lo3: number, hi3: number) =>
    uniform(rng, lo0 + (lo3 - lo0) * t, hi0 + (hi3 - hi0) * t);
  const d: Degradation = {
    pxPerModule: span(4, 6.5, 1.7, 2.6),
    perspective: span(0, 0.05, 0.06, 0.2),
    rotationDeg: span(0, 8, 10, 45),
    blurSigma: span(0, 0.5, 0.5, 1.1),
    noiseSigma: span(1, 4, 4, 9),
    unevenLight: span(0, 0.3, 0.3, 0.75),
    contrast: span(0.8, 1, 0.35, 0.7),
    jpegQuality: Math.round(span(80, 95, 55, 80)),
  };
  if (rng.next() < 0.15 + 0.3 * t) {
    d.motionBlurPx = span(0.3, 0.8, 0.6, 1.6) * d.pxPerModule;
    d.motionAngleDeg = uniform(rng, 0, 180);
  }
  if (rng.next() < 0.15 + 0.3 * t) d.defocusRadius = span(0.2, 0.4, 0.3, 0.6) * d.pxPerModule;
  if (rng.next() < 0.1 + 0.2 * t) d.glareSpots = rng.int(1, 2);
  if (rng.next() < 0.1 + 0.2 * t) d.bend = span(0.02, 0.05, 0.04, 0.1);
  return d;
}

/**
 * Generate photos of the back of a 2016 barcode CCCD: a PDF417 of `ID|name|DDMMYYYY|Nam/Nữ`
 * (the idcard generator's text; the real card's layout is not public) across the back, at
 * graded levels whose parameters are drawn independently per photo
 * ({@link drawPdf417Degradation}), JPEG-compressed and decoded back. Seeded.
 *
 * @param options - {@link GeneratePdf417SetOptions}.
 * @returns The samples, level by level.
 */
export async function generatePdf417Set(options: GeneratePdf417SetOptions): Promise<GeneratedPdf417Image[]> {
  const writer = await createBarcodeWriter();
  const out: GeneratedPdf417Image[] = [];
  for (const level of options.levels ?? pdf417Levels) {
    const rng = createRng((options.seed ?? 1) * 6151 + 417 * (level + 1));
    for (let i = 0; i < options.count; i++) {
      const degradation = drawPdf417Degradation(level, rng);
      const p = randomCardPayload(rng);
      const text = [p.idNumber, p.fullName, formatDate(p.dateOfBirth, 'ddmmyyyy'), p.sex === 'M' ? 'Nam' : 'Nữ'].join(
        '|',
      );
      const code = await writer.write(text, 'PDF417');
      const grey = renderCardImage(code, degradation, rng, {
        width: options.width ?? 1280,
        height: options.height ?? 960,
        layout: 'pdf417-back',
        quarterTurns: rng.next() < 0.2 ? (rng.int(1, 3) as 1 | 2 | 3) : 0,
        keepCodeInView: true,
      });
      const jpeg = await encodeJpeg(grey, degradation.jpegQuality);
      out.push({ name: `pdf417-${level}/${i}`, text, level, degradation, jpeg, image: await decodeImage(jpeg) });
    }
  }
  return out;
}
