import type { RasterImage } from '@smart-citizen/image';
import { randomCardPayload } from './randomCardPayload.js';
import { createBarcodeWriter } from './qrWriter.js';
import { type Degradation, renderCardImage } from './renderCardImage.js';
import { createRng } from '@smart-citizen/core';

/** How the card moves in a clip. */
export type ClipMotion = 'slide-in' | 'shaky';

/** A generated video clip: frames of one card, the payload it carries. */
export interface CardClip {
  name: string;
  motion: ClipMotion;
  text: string;
  fps: number;
  frames: RasterImage[];
}

/** Options of {@link generateCardClips}. */
export interface GenerateCardClipsOptions {
  /** Clips per motion. */
  count: number;
  /** @default ['slide-in', 'shaky'] */
  motions?: readonly ClipMotion[];
  /** Frames per clip. @default 20 */
  frames?: number;
  /** @default 30 */
  fps?: number;
  /** @default 1 */
  seed?: number;
  /** @default 1280 */
  width?: number;
  /** @default 960 */
  height?: number;
}

/**
 * Generate video clips (frame sequences, no compression) of a card: `slide-in` — the card
 * enters from the side and settles (motion blur from its speed, half the frame time
 * exposed), then small hand tremor; `shaky` — the card held in view by a shaking hand, every
 * frame blurred 1.2–2.2 modules in a new direction, so single frames rarely decode.
 *
 * @param options - {@link GenerateCardClipsOptions}.
 * @returns The clips, motion by motion.
 */
export async function generateCardClips(options: GenerateCardClipsOptions): Promise<CardClip[]> {
  const writer = await createBarcodeWriter();
  const W = options.width ?? 1280;
  const H = options.height ?? 960;
  const fps = options.fps ?? 30;
  const n = options.frames ?? 20;
  const out: CardClip[] = [];
  for (const motion of options.motions ?? (['slide-in', 'shaky'] as const)) {
    const rng = createRng((options.seed ?? 1) * 31 + (motion === 'shaky' ? 17 : 5));
    for (let c = 0; c < options.count; c++) {
      const text = randomCardPayload(rng).text;
      const code = await writer.write(text, 'QRCode', 'M');
      const cardSeed = rng.int(1, 1e9);
      const px = 4 + rng.next();
      const base: Degradation = {
        pxPerModule: px,
        perspective: 0,
        rotationDeg: 0,
        blurSigma: 0.4,
        noiseSigma: 3 + 2 * rng.next(),
        unevenLight: 0.2,
        contrast: 0.85,
        jpegQuality: 0,
      };
      const restX = W / 2 + (rng.next() - 0.5) * 80;
      const restY = H / 2 + (rng.next() - 0.5) * 60;
      const restAngle = (rng.next() - 0.5) * 20;
      const dir = rng.next() < 0.5 ? -1 : 1;
      const frames: RasterImage[] = [];
      let prev: { x: number; y: number } | undefined;
      for (let f = 0; f < n; f++) {
        const t = f / fps;
        let x = restX;
        let y = restY;
        if (motion === 'slide-in') x += dir * W * Math.exp(-t / 0.1);
        x += 3 * Math.sin(2 * Math.PI * 1.3 * t + c) + (rng.next() - 0.5) * 2;
        y += 3 * Math.cos(2 * Math.PI * 0.9 * t + c) + (rng.next() - 0.5) * 2;
        const degradation: Degradation = { ...base };
        if (motion === 'shaky') {
          degradation.motionBlurPx = px * (1.2 + rng.next());
          degradation.motionAngleDeg = rng.next() * 180;
        } else if (prev) {
          // Half the frame time exposed: the streak is half the distance moved.
          const v = Math.hypot(x - prev.x, y - prev.y);
          degradation.motionBlurPx = 0.5 * v;
          degradation.motionAngleDeg = (Math.atan2(y - prev.y, x - prev.x) * 180) / Math.PI;
        }
        prev = { x, y };
        frames.push(
          renderCardImage(code, degradation, createRng(cardSeed), {
            width: W,
            height: H,
            pose: { cx: x, cy: y, angleDeg: restAngle },
            noiseRng: createRng(cardSeed + 1 + f),
          }),
        );
      }
      out.push({ name: `${motion}/${c}`, motion, text, fps, frames });
    }
  }
  return out;
}
