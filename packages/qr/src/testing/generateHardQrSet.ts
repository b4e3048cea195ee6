import { decodeImage } from '@smart-citizen/image';
import { encodeJpeg, type GeneratedCardImage } from './generateCardQrSet.js';
import { randomCardPayload } from './randomCardPayload.js';
import { type BarcodeWriter, createBarcodeWriter, type ModuleMatrix } from './qrWriter.js';
import { type Degradation, renderCardImage } from './renderCardImage.js';
import { createRng, type Rng } from '@smart-citizen/core';

/**
 * Kinds of hard photo the graded levels lack. Each draws its own degradation parameters from
 * wide ranges with its own seeds, independent of the graded levels the reader's ladder was
 * developed on.
 */
export const hardCategories = [
  'small',
  'motion-blur',
  'defocus',
  'glare',
  'curved',
  'perspective',
  'low-light',
  'screen',
  'several-codes',
  'high-version',
] as const;

export type HardCategory = (typeof hardCategories)[number];

/** One generated hard sample. */
export interface GeneratedHardImage extends GeneratedCardImage {
  /** Stable name, `category/index` (what the evaluation split hashes). */
  name: string;
  category: HardCategory;
  /** The degradation it was drawn with. */
  degradation: Degradation;
}

/** Options of {@link generateHardQrSet}. */
export interface GenerateHardQrSetOptions {
  /** Samples per category. */
  count: number;
  /** @default all of {@link hardCategories} */
  categories?: readonly HardCategory[];
  /** @default 1 */
  seed?: number;
  /** @default 1280 */
  width?: number;
  /** @default 960 */
  height?: number;
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/**
 * Draw the degradation of one sample of a category: a mild background of every kind of harm
 * (each parameter drawn on its own), and the category's own harm from a wide range.
 *
 * @param category - The {@link HardCategory}.
 * @param rng - Seeded random source.
 * @returns A {@link Degradation} for {@link renderCardImage}.
 */
export function drawHardDegradation(category: HardCategory, rng: Rng): Degradation {
  const d: Degradation = {
    pxPerModule: uniform(rng, 3.5, 6),
    perspective: uniform(rng, 0, 0.08),
    rotationDeg: uniform(rng, 0, 30),
    blurSigma: uniform(rng, 0, 0.6),
    noiseSigma: uniform(rng, 1, 6),
    unevenLight: uniform(rng, 0, 0.3),
    contrast: uniform(rng, 0.7, 1),
    jpegQuality: Math.round(uniform(rng, 60, 92)),
  };
  switch (category) {
    case 'small':
      d.pxPerModule = uniform(rng, 1.5, 3);
      d.blurSigma = uniform(rng, 0.2, 0.6);
      break;
    case 'motion-blur':
      d.motionBlurPx = uniform(rng, 0.8, 2.2) * d.pxPerModule;
      d.motionAngleDeg = uniform(rng, 0, 180);
      break;
    case 'defocus':
      d.defocusRadius = uniform(rng, 0.3, 0.65) * d.pxPerModule;
      break;
    case 'glare':
      d.glareSpots = rng.int(1, 3);
      break;
    case 'curved':
      d.bend = uniform(rng, 0.04, 0.14);
      d.crease = rng.next() < 0.6 ? uniform(rng, 0.2, 0.6) : 0;
      break;
    case 'perspective':
      d.perspective = uniform(rng, 0.22, 0.4);
      d.rotationDeg = uniform(rng, 20, 60);
      break;
    case 'low-light':
      d.contrast = uniform(rng, 0.15, 0.35);
      d.unevenLight = uniform(rng, 0.6, 0.95);
      d.noiseSigma = uniform(rng, 3, 8);
      break;
    case 'screen':
      d.screenPitch = uniform(rng, 0.9, 2.4);
      d.pxPerModule = uniform(rng, 4, 7);
      break;
    case 'several-codes':
      break;
    case 'high-version':
      d.pxPerModule = uniform(rng, 2.6, 4.5);
      break;
  }
  return d;
}

/** Random printable text (a foreign payload, or padding that lifts a card payload's QR version). */
function randomText(rng: Rng, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_.,/';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

async function foreignCodes(writer: BarcodeWriter, rng: Rng): Promise<ModuleMatrix[]> {
  const codes: ModuleMatrix[] = [];
  for (let k = rng.int(1, 3); k > 0; k--) {
    const text =
      rng.next() < 0.5
        ? `https://example.vn/p/${randomText(rng, rng.int(8, 60)).replace(/[ ,]/g, '')}`
        : randomText(rng, rng.int(20, 120));
    codes.push(await writer.write(text, 'QRCode', 'M'));
  }
  return codes;
}

/**
 * Generate hard card photos by category (see {@link hardCategories}): random valid CCCD
 * payloads on card-like photos, each degraded by {@link drawHardDegradation}, JPEG-compressed
 * and decoded back. `several-codes` adds 1–3 foreign codes (URLs, text) beside the card;
 * `high-version` appends an extra field of 250–600 characters, so the code reaches QR
 * version 14–25. Seeded: the same options give the same images.
 *
 * @param options - {@link GenerateHardQrSetOptions}.
 * @returns The samples, category by category.
 */
export async function generateHardQrSet(options: GenerateHardQrSetOptions): Promise<GeneratedHardImage[]> {
  const writer = await createBarcodeWriter();
  const out: GeneratedHardImage[] = [];
  const categories = options.categories ?? hardCategories;
  for (const category of categories) {
    const rng = createRng((options.seed ?? 1) * 7919 + 104729 * (hardCategories.indexOf(category) + 1));
    for (let i = 0; i < options.count; i++) {
      const degradation = drawHardDegradation(category, rng);
      let text = randomCardPayload(rng).text;
      if (category === 'high-version') text = `${text}|${randomText(rng, rng.int(250, 600))}`;
      const code = await writer.write(text, 'QRCode', 'M');
      const extraCodes = category === 'several-codes' ? await foreignCodes(writer, rng) : [];
      const grey = renderCardImage(code, degradation, rng, {
        width: options.width ?? 1280,
        height: options.height ?? 960,
        quarterTurns: rng.next() < 0.2 ? (rng.int(1, 3) as 1 | 2 | 3) : 0,
        extraCodes,
        keepCodeInView: true,
      });
      const jpeg = await encodeJpeg(grey, degradation.jpegQuality);
      out.push({
        name: `${category}/${i}`,
        category,
        degradation,
        text,
        level: -1,
        jpeg,
        image: await decodeImage(jpeg),
      });
    }
  }
  return out;
}
