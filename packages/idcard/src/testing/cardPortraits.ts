import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@smart-citizen/core';
import {
  crop,
  decodeImage,
  estimateHomography,
  type Point,
  type RasterImage,
  warpPerspective,
} from '@smart-citizen/image';
import { CANONICAL_HEIGHT, CANONICAL_PX_PER_MM, CANONICAL_WIDTH, mmBoxToPx } from '../layout/canonical.js';
import { cardLayout } from '../layout/layouts.js';
import type { CardType } from '../cardTypes.js';
import type { CardLayout, MmBox } from '../layout/CardLayout.js';
import { generateCardSide } from './generateCardSet.js';
import type { GeneratorData } from './generatorData.js';
import { photographCard } from './photographCard.js';
import { randomIdentity } from './randomIdentity.js';
import { type CardSideAssets, renderCardSide } from './renderCardSide.js';

/** A face box in image pixels (what a face detector returns). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Head-and-shoulders crop in the card portrait's aspect (w:h) around a detected face box. */
export function headAndShouldersCrop(img: RasterImage, box: FaceBox, aspect: number): RasterImage {
  const w = Math.min(img.width, box.width * 2.1);
  const h = Math.min(img.height, w / aspect);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height * 0.55;
  const x = Math.max(0, Math.min(img.width - w, cx - w / 2));
  const y = Math.max(0, Math.min(img.height - h, cy - h * 0.47));
  return crop(img, { x: Math.round(x), y: Math.round(y), width: Math.round(w), height: Math.round(h) });
}

/**
 * Cut a box of the card (px at `pxPerMm`, the canonical 12 by default) out of a photographed
 * scene, given the card's corners in the scene.
 */
export function cutCardBox(
  scene: RasterImage,
  quad: readonly Point[],
  box: FaceBox,
  pxPerMm = CANONICAL_PX_PER_MM,
): RasterImage {
  const w = (CANONICAL_WIDTH * pxPerMm) / CANONICAL_PX_PER_MM;
  const h = (CANONICAL_HEIGHT * pxPerMm) / CANONICAL_PX_PER_MM;
  const corners: Point[] = [
    { x: -box.x, y: -box.y },
    { x: w - box.x, y: -box.y },
    { x: w - box.x, y: h - box.y },
    { x: -box.x, y: h - box.y },
  ];
  return warpPerspective(scene, estimateHomography(quad, corners), { width: box.width, height: box.height });
}

export interface PhotographedPortraitOptions {
  /** The photo of the person and the face box a detector found in it. */
  photo: RasterImage;
  faceBox: FaceBox;
  type: CardType;
  /** The generator's photo degradation level (0–5). */
  level: number;
  /** Seed of the card's identity and of the photograph's degradations. */
  seed: number;
  data: GeneratorData;
  /** Where the photographed card (JPEG + corners) is cached between runs; the generator draws in plain JS and is slow. */
  cacheFile?: string;
}

/**
 * The portrait as a kiosk would cut it from a photographed card: the photo is cropped head and
 * shoulders, printed as the portrait of a generated card of `type`, the card is photographed at
 * `level` and the portrait box cut back out with the card's true corners (so the cut measures the
 * face pipeline, not the card finder).
 */
export async function photographedCardPortrait(o: PhotographedPortraitOptions): Promise<RasterImage> {
  const { shot, box } = await photographedPortraitCard(o);
  return cutCardBox(await decodeImage(shot.jpeg), shot.quad, mmBoxToPx(box, 1));
}

/**
 * The photographed card front of {@link photographedCardPortrait} itself (JPEG + the card's true
 * corners), for a caller that cuts the portrait its own way — with `IdCardReader`, say, to
 * measure the face match of the portrait the reader cuts.
 */
export async function photographedPortraitCard(
  o: PhotographedPortraitOptions,
): Promise<{ shot: { jpeg: Uint8Array; quad: Point[] }; box: MmBox }> {
  const layout = cardLayout(o.type, 'front');
  const box = layout.portrait;
  if (!box) throw new Error(`card type ${o.type} prints no portrait on its front`);
  const portrait = headAndShouldersCrop(o.photo, o.faceBox, box.w / box.h);
  // generateCardSide draws the whole front (a CCCD 2021 front prints its QR: without it the front
  // is a CCCD 2016 to the eye and to the reader); the random draws are those of shootGeneratedSide.
  const shot = await cachedCardShot(o.cacheFile, async () => {
    const rng = createRng(o.seed);
    const { card } = await generateCardSide(o.type, 'front', o.data, rng, { portrait });
    return photographCard(card.image, o.level, rng);
  });
  return { shot, box };
}

/**
 * A side of a random holder's card of `o.type` with these assets, photographed at `o.level` (the
 * same seed gives the same card and photo), through {@link cachedCardShot}.
 */
export async function shootGeneratedSide(
  o: { type: CardType; level: number; seed: number; data: GeneratorData; cacheFile?: string },
  layout: CardLayout,
  assets: CardSideAssets,
): Promise<{ jpeg: Uint8Array; quad: Point[] }> {
  return cachedCardShot(o.cacheFile, async () => {
    const rng = createRng(o.seed);
    const identity = randomIdentity(rng, o.type, o.data.names, o.data.units);
    const card = await renderCardSide(layout, identity, assets, rng);
    return photographCard(card.image, o.level, rng);
  });
}

/**
 * A photographed card (JPEG + the card's corners) read from `cacheFile` when it is there, else
 * made by `shoot` and stored there; the generator draws in plain JS and is slow.
 */
export async function cachedCardShot(
  cacheFile: string | undefined,
  shoot: () => Promise<{ jpeg: Uint8Array; quad: Point[] }>,
): Promise<{ jpeg: Uint8Array; quad: Point[] }> {
  if (cacheFile && existsSync(cacheFile)) {
    const j = JSON.parse(readFileSync(cacheFile, 'utf8')) as { jpeg: string; quad: Point[] };
    return { jpeg: new Uint8Array(Buffer.from(j.jpeg, 'base64')), quad: j.quad };
  }
  const photo = await shoot();
  if (cacheFile) {
    mkdirSync(join(cacheFile, '..'), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify({ jpeg: Buffer.from(photo.jpeg).toString('base64'), quad: photo.quad }));
  }
  return { jpeg: photo.jpeg, quad: photo.quad };
}

/** The card types the face benches print their photos on, in turn. */
export const FACE_BENCH_CARD_TYPES: readonly CardType[] = ['cccd-2021', 'cancuoc-2024', 'cccd-2016', 'cmnd-12'];

/**
 * The face benches' card of photo number `index` (file name `file`) at `level`: the type in turn
 * from {@link FACE_BENCH_CARD_TYPES}, a seed of the level and index, and a cache file under
 * `cacheRoot`'s `node_modules/.cache` that the face package's `face-card` bench and the kiosk's
 * browser bench share.
 */
export function faceBenchCard(o: {
  photo: RasterImage;
  faceBox: FaceBox;
  index: number;
  file: string;
  level: number;
  data: GeneratorData;
  cacheRoot: string;
}): PhotographedPortraitOptions {
  const type = FACE_BENCH_CARD_TYPES[o.index % FACE_BENCH_CARD_TYPES.length] as CardType;
  // v2: CCCD 2021 fronts print their QR since session 13 (the cards before had none).
  const cache = join(o.cacheRoot, 'node_modules/.cache/smart-citizen/face-card-v2');
  return {
    photo: o.photo,
    faceBox: o.faceBox,
    type,
    level: o.level,
    seed: 16_000 + o.level * 1009 + o.index * 31,
    data: o.data,
    cacheFile: join(cache, `${o.level}-${o.file.replace(/[^\w.-]/g, '_')}-${type}.json`),
  };
}
