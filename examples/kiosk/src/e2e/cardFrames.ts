// Camera frames of generated cards for the kiosk's tests: a card pasted on a plain desk at a
// given size and place, and a card WITHOUT a QR code (old CMND, CCCD 2016) drawn for one of the
// server's seeded citizens, for the OCR path.
import { createRng } from '@smart-citizen/core';
import { cardLayout } from '@smart-citizen/idcard';
import { loadGeneratorData, randomIdentity, renderCardSide } from '@smart-citizen/idcard/testing';
import type { GeneratedIdentity } from '@smart-citizen/idcard/testing';
import { type RasterImage, resize, toRgb } from '@smart-citizen/image';
import type { SeededCitizen } from '../server/seed.js';

export const FRAME_W = 960;
export const FRAME_H = 720;
export const FPS = 10;

/** A frame filled with a soft grey gradient (a desk), RGB. */
function background(): RasterImage {
  const data = new Uint8Array(FRAME_W * FRAME_H * 3);
  for (let y = 0; y < FRAME_H; y++)
    for (let x = 0; x < FRAME_W; x++) {
      const v = 70 + Math.round((40 * (x + y)) / (FRAME_W + FRAME_H));
      data.set([v, v + 4, v + 10], (y * FRAME_W + x) * 3);
    }
  return { width: FRAME_W, height: FRAME_H, channels: 3, data };
}

/**
 * Paste `img` (RGB) scaled to fit `fraction` of the frame, centred, or with its centre at
 * `centre` (frame fractions; part of the image may then fall outside the frame).
 */
export function place(img: RasterImage, fraction: number, centre = { x: 0.5, y: 0.5 }): RasterImage {
  const frame = background();
  const s = Math.min((FRAME_W * fraction) / img.width, (FRAME_H * fraction) / img.height);
  const w = Math.round(img.width * s);
  const h = Math.round(img.height * s);
  const small = toRgb(resize(img, { width: w, height: h }));
  const ox = Math.round(FRAME_W * centre.x - w / 2);
  const oy = Math.round(FRAME_H * centre.y - h / 2);
  for (let y = Math.max(0, -oy); y < h && oy + y < FRAME_H; y++) {
    const x0 = Math.max(0, -ox);
    const x1 = Math.min(w, FRAME_W - ox);
    if (x1 <= x0) continue;
    frame.data.set(small.data.subarray((y * w + x0) * 3, (y * w + x1) * 3), ((oy + y) * FRAME_W + ox + x0) * 3);
  }
  return frame;
}

/** Card types printed without a QR code that the kiosk reads by OCR. */
export type NoQrCardType = 'cmnd-9' | 'cmnd-12' | 'cccd-2016';

/**
 * The front of a card without a QR code for a seeded citizen: their name, date of birth and sex,
 * and the number that card type carries (the 9-digit CMND number they held, or their 12-digit
 * number); the other printed fields are drawn at random. `fullName` prints another name (a card
 * that disagrees with the record).
 * @returns the identity printed and the flat card (RGB, canonical size)
 */
export async function noQrCardFront(
  citizen: SeededCitizen,
  type: NoQrCardType,
  options: { portrait?: RasterImage; fullName?: string; seed?: number } = {},
): Promise<{ identity: GeneratedIdentity; card: RasterImage }> {
  const idNumber = type === 'cmnd-9' ? citizen.oldIdNumber : citizen.idNumber;
  if (!idNumber) throw new RangeError('this citizen never held a 9-digit CMND');
  const data = await loadGeneratorData();
  const rng = createRng(options.seed ?? 11);
  const identity: GeneratedIdentity = {
    ...randomIdentity(rng, type, data.names, data.units),
    idNumber,
    fullName: options.fullName ?? citizen.fullName,
    dateOfBirth: citizen.dateOfBirth,
    sex: citizen.sex,
  };
  const portrait = options.portrait ?? (await data.pickPortrait(rng)).image;
  const rendered = await renderCardSide(cardLayout(type, 'front'), identity, { portrait }, rng);
  return { identity, card: toRgb(rendered.image) };
}
