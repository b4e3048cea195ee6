import { decodeImage, type RasterImage } from '@smart-citizen/image';
import type { CardType } from '../cardTypes.js';
import { CANONICAL_PX_PER_MM, mmBoxToPx } from '../layout/canonical.js';
import { cardLayout } from '../layout/layouts.js';
import { cutCardBox, shootGeneratedSide } from './cardPortraits.js';
import { type GeneratorData, liveImageAsInk, printAtCardScale } from './generatorData.js';

/** A live fingerprint image and its resolution. */
export interface PrintSource {
  image: RasterImage;
  dpi: number;
}

/** Options of {@link photographedCardPrints}. */
export interface PhotographedPrintsOptions {
  /** The two index fingers to print on the card (live images, printed at life size). */
  leftIndex: PrintSource;
  rightIndex: PrintSource;
  /** A card type whose back carries the two prints (`cmnd-9`, `cmnd-12`, `cccd-2016`, `cccd-2021`). */
  type: CardType;
  /** The generator's photo degradation level (0–4). */
  level: number;
  /** Seed of the card's holder and of the photograph's degradations. */
  seed: number;
  data: GeneratorData;
  /** Where the photographed card (JPEG + corners) is cached between runs. */
  cacheFile?: string;
  /** Resolution of the cut, straight from the photo (default: the card's canonical 12 px/mm). */
  pxPerMm?: number;
}

/**
 * The two index-finger prints as a kiosk would cut them from a photographed card back: the live
 * images are turned into ink ({@link liveImageAsInk}) and printed at life size in the print boxes
 * of a generated back of `type`, the card is photographed at `level`, and each box is cut back
 * out (at the card's own 12 px/mm unless `pxPerMm` says otherwise) with the card's true corners,
 * so the cut measures the fingerprint pipeline, not the card finder.
 */
export async function photographedCardPrints(
  o: PhotographedPrintsOptions,
): Promise<{ leftIndex: RasterImage; rightIndex: RasterImage }> {
  const layout = cardLayout(o.type, 'back');
  const boxes = layout.fingerprints;
  if (!boxes) throw new Error(`card type ${o.type} prints no fingerprints on its back`);
  const shot = await shootGeneratedSide(o, layout, {
    leftIndex: printAtCardScale(liveImageAsInk(o.leftIndex.image), o.leftIndex.dpi),
    rightIndex: printAtCardScale(liveImageAsInk(o.rightIndex.image), o.rightIndex.dpi),
  });
  const scene = await decodeImage(shot.jpeg);
  const s = o.pxPerMm ?? CANONICAL_PX_PER_MM;
  return {
    leftIndex: cutCardBox(scene, shot.quad, mmBoxToPx(boxes.leftIndex, 0, s), s),
    rightIndex: cutCardBox(scene, shot.quad, mmBoxToPx(boxes.rightIndex, 0, s), s),
  };
}
