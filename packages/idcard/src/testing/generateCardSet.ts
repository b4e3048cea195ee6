import { createRng, formatDate, type Rng } from '@smart-citizen/core';
import type { Point, RasterImage } from '@smart-citizen/image';
import { type BarcodeWriter, createBarcodeWriter } from '@smart-citizen/qr/testing';
import { type CardFieldName, type CardSide, type CardType, cardTypes } from '../cardTypes.js';
import { cardLayout } from '../layout/layouts.js';
import type { GeneratorData } from './generatorData.js';
import { type PhotographCardOptions, type PhotoParameters, photographCard } from './photographCard.js';
import { type GeneratedIdentity, randomIdentity } from './randomIdentity.js';
import { type CardSideAssets, type RenderedCardSide, renderCardSide } from './renderCardSide.js';

/** Ground truth of one generated photo. */
export interface CardPhotoTruth {
  type: CardType;
  side: CardSide;
  level: number;
  /** Scene corners of the card's top-left, top-right, bottom-right, bottom-left. */
  quad: [Point, Point, Point, Point];
  fields: Partial<Record<CardFieldName, string>>;
  fieldLines: Partial<Record<CardFieldName, string[]>>;
  mrz?: [string, string, string];
  qrText?: string;
  /** The face photo on the card, relative to the shared data folder (absent for a drawn stand-in or a side without portrait). */
  portraitSource?: string;
  parameters: PhotoParameters;
}

/** One generated photo with its truth. */
export interface GeneratedCardPhoto {
  jpeg: Uint8Array;
  truth: CardPhotoTruth;
  /** The flat card as rendered (RGBA, canonical size), for tests that skip the photo step. */
  card: RenderedCardSide;
}

/** Options of {@link generateCardSet}. */
export interface GenerateCardSetOptions {
  data: GeneratorData;
  /** Photos per card type, side and level. */
  count: number;
  seed?: number;
  types?: readonly CardType[];
  sides?: readonly CardSide[];
  levels?: readonly number[];
  photo?: PhotographCardOptions;
}

async function assetsFor(
  type: CardType,
  side: CardSide,
  identity: GeneratedIdentity,
  data: GeneratorData,
  writer: BarcodeWriter,
  rng: Rng,
  portrait?: RasterImage,
): Promise<{ assets: CardSideAssets; portraitSource?: string }> {
  const layout = cardLayout(type, side);
  const assets: CardSideAssets = {};
  let portraitSource: string | undefined;
  if (layout.portrait) {
    if (portrait) assets.portrait = portrait;
    else {
      const picked = await data.pickPortrait(rng);
      assets.portrait = picked.image;
      portraitSource = picked.source;
    }
  }
  if (layout.fingerprints) {
    assets.leftIndex = await data.print(rng);
    assets.rightIndex = await data.print(rng);
  }
  if (layout.qr && identity.qrText) assets.qr = await writer.write(identity.qrText, 'QRCode', 'M');
  if (layout.pdf417) {
    const text = [
      identity.idNumber,
      identity.fullName,
      formatDate(identity.dateOfBirth, 'ddmmyyyy'),
      identity.sex === 'M' ? 'Nam' : 'Nữ',
    ].join('|');
    assets.pdf417 = await writer.write(text, 'PDF417');
  }
  return portraitSource ? { assets, portraitSource } : { assets };
}

/** Options of {@link generateCardSide}. */
export interface GenerateCardSideOptions {
  /** Reuse one barcode writer across cards. */
  writer?: BarcodeWriter;
  /** Put this face photo on the card (e.g. one photo of a person whose other photos are matched against the cut portrait). */
  portrait?: RasterImage;
  /** Draw this holder instead of a random one (the front and back of one card). */
  identity?: GeneratedIdentity;
}

/**
 * Render one card side of a random identity (no photo step).
 *
 * @param type - Card type.
 * @param side - Side.
 * @param data - {@link GeneratorData}.
 * @param rng - Seeded random source.
 * @param options - {@link GenerateCardSideOptions}: a given portrait or holder.
 */
export async function generateCardSide(
  type: CardType,
  side: CardSide,
  data: GeneratorData,
  rng: Rng,
  options: GenerateCardSideOptions = {},
): Promise<{ identity: GeneratedIdentity; card: RenderedCardSide; portraitSource?: string }> {
  const identity = options.identity ?? randomIdentity(rng, type, data.names, data.units);
  const w = options.writer ?? (await createBarcodeWriter());
  const { assets, portraitSource } = await assetsFor(type, side, identity, data, w, rng, options.portrait);
  const card = await renderCardSide(cardLayout(type, side), identity, assets, rng);
  return portraitSource ? { identity, card, portraitSource } : { identity, card };
}

/**
 * Generate photos of every requested card type, side and level with ground truth. The same seed
 * gives the same set; the degradation parameters are drawn from the generator's own levels.
 *
 * @param options - {@link GenerateCardSetOptions}.
 */
export async function* generateCardSet(options: GenerateCardSetOptions): AsyncGenerator<GeneratedCardPhoto> {
  const writer = await createBarcodeWriter();
  for (const type of options.types ?? cardTypes) {
    for (const side of options.sides ?? (['front', 'back'] as const)) {
      for (const level of options.levels ?? [0, 1, 2, 3, 4]) {
        const rng = createRng(
          ((options.seed ?? 1) * 7919 + cardTypes.indexOf(type) * 101 + (side === 'front' ? 0 : 53) + level * 11) | 0,
        );
        for (let i = 0; i < options.count; i++) {
          const { identity, card, portraitSource } = await generateCardSide(type, side, options.data, rng, { writer });
          const photo = await photographCard(card.image, level, rng, options.photo);
          yield {
            jpeg: photo.jpeg,
            card,
            truth: photoTruth(type, side, level, identity, card, photo, portraitSource),
          };
        }
      }
    }
  }
}

/** One card photographed on both sides: the same holder, each side drawn and photographed on its own. */
export interface GeneratedCardPair {
  front: GeneratedCardPhoto;
  back: GeneratedCardPhoto;
  identity: GeneratedIdentity;
}

/** Options of {@link generateCardPair}. */
export interface GenerateCardPairOptions {
  /** Reuse one barcode writer across cards. */
  writer?: BarcodeWriter;
  photo?: PhotographCardOptions;
}

function photoTruth(
  type: CardType,
  side: CardSide,
  level: number,
  identity: GeneratedIdentity,
  card: RenderedCardSide,
  photo: Awaited<ReturnType<typeof photographCard>>,
  portraitSource: string | undefined,
): CardPhotoTruth {
  const layout = cardLayout(type, side);
  return {
    type,
    side,
    level,
    quad: photo.quad,
    fields: card.fields,
    fieldLines: card.fieldLines,
    ...(identity.mrz && layout.mrz ? { mrz: identity.mrz } : {}),
    ...(identity.qrText && layout.qr ? { qrText: identity.qrText } : {}),
    ...(portraitSource ? { portraitSource } : {}),
    parameters: photo.parameters,
  };
}

/**
 * Render the front and the back of one random card and photograph each side on its own at the
 * same level (two photos, each with its own drawn perspective, light, glare, blur and noise), as
 * a citizen would hold the card up twice.
 *
 * @param type - Card type (every type has two sides).
 * @param level - Index into {@link photoDegradationLevels}.
 * @param data - {@link GeneratorData}.
 * @param rng - Seeded random source (one per pair, so a pair does not depend on the ones before it).
 * @param options - {@link GenerateCardPairOptions}.
 */
export async function generateCardPair(
  type: CardType,
  level: number,
  data: GeneratorData,
  rng: Rng,
  options: GenerateCardPairOptions = {},
): Promise<GeneratedCardPair> {
  const writer = options.writer ?? (await createBarcodeWriter());
  const f = await generateCardSide(type, 'front', data, rng, { writer });
  const b = await generateCardSide(type, 'back', data, rng, { writer, identity: f.identity });
  const frontPhoto = await photographCard(f.card.image, level, rng, options.photo);
  const backPhoto = await photographCard(b.card.image, level, rng, options.photo);
  return {
    identity: f.identity,
    front: {
      jpeg: frontPhoto.jpeg,
      card: f.card,
      truth: photoTruth(type, 'front', level, f.identity, f.card, frontPhoto, f.portraitSource),
    },
    back: {
      jpeg: backPhoto.jpeg,
      card: b.card,
      truth: photoTruth(type, 'back', level, f.identity, b.card, backPhoto, b.portraitSource),
    },
  };
}

/** The random source of pair `index` of a cell: each pair is drawn on its own, so a set can grow pair by pair. */
export function cardPairRng(seed: number, type: CardType, level: number, index: number): Rng {
  return createRng((seed * 104_729 + cardTypes.indexOf(type) * 7_919 + level * 613 + index * 31 + 17) | 0);
}
