// The fake camera of the end-to-end test: a Y4M clip Chromium plays as its webcam
// (`--use-file-for-fake-video-capture`), built from generated images: a CCCD 2021 front drawn by
// the card generator for one of the server's seeded citizens (portrait = one photo of a person),
// then that person's live face (another photo of them): frontal, turned left, frontal, turned
// right. The head turns are synthesised by squeezing the image on one side of the nose and
// stretching the other, which moves the nose off the eye midline the way a yaw does; the
// builder checks with the face landmarks that each turn reads as more than the challenge's 20°.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createRng } from '@smart-citizen/core';
import { chromiumArgs } from '@smart-citizen/test-kit';
import type { Browser } from 'playwright-core';
import { FaceVerifier, estimatePose } from '@smart-citizen/face';
import { cardLayout } from '@smart-citizen/idcard';
import { type GeneratedIdentity, renderCardSide } from '@smart-citizen/idcard/testing';
import { decodeImage, type RasterImage, toRgb } from '@smart-citizen/image';
import { createBarcodeWriter } from '@smart-citizen/qr/testing';
import { FPS, FRAME_H, FRAME_W, place } from './cardFrames.js';

export { FPS, FRAME_H, FRAME_W, place } from './cardFrames.js';

/**
 * Squeeze one side of column `xn` by `squeeze` and stretch the other so the width is kept.
 * `side: 'right'` moves the nose towards the image's right: the person turned to their left.
 */
function synthTurn(img: RasterImage, xn: number, side: 'left' | 'right', squeeze = 0.3): RasterImage {
  const W = img.width;
  const out = new Uint8Array(img.data.length);
  // Output → source column.
  const src = (xo: number): number => {
    if (side === 'right') {
      // Right of the nose squeezed: the nose lands further right.
      const b = (W - squeeze * (W - xn)) / xn; // stretch of the left part
      return xo < b * xn ? xo / b : xn + (xo - b * xn) / squeeze;
    }
    const a = squeeze;
    const b = (W - a * xn) / (W - xn);
    return xo < a * xn ? xo / a : xn + (xo - a * xn) / b;
  };
  for (let xo = 0; xo < W; xo++) {
    const xs = Math.min(W - 1, Math.max(0, Math.round(src(xo))));
    for (let y = 0; y < img.height; y++) {
      const o = (y * W + xo) * 3;
      const s = (y * W + xs) * 3;
      out[o] = img.data[s] as number;
      out[o + 1] = img.data[s + 1] as number;
      out[o + 2] = img.data[s + 2] as number;
    }
  }
  return { ...img, data: out };
}

function yuv420(rgb: RasterImage): Uint8Array {
  const { width: w, height: h, data } = rgb;
  const out = new Uint8Array((w * h * 3) / 2);
  const u0 = w * h;
  const v0 = u0 + (w * h) / 4;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const r = data[i] as number;
      const g = data[i + 1] as number;
      const b = data[i + 2] as number;
      out[y * w + x] = Math.max(0, Math.min(255, Math.round(0.299 * r + 0.587 * g + 0.114 * b)));
      if (y % 2 === 0 && x % 2 === 0) {
        const c = (y / 2) * (w / 2) + x / 2;
        out[u0 + c] = Math.max(0, Math.min(255, Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b)));
        out[v0 + c] = Math.max(0, Math.min(255, Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)));
      }
    }
  return out;
}

/** What the clip shows, for the test's checks. */
export interface FakeCameraClip {
  path: string;
  seconds: number;
  /** Yaw (degrees) the landmarks read on the frontal and the two turned frames. */
  yaw: { frontal: number; left: number; right: number };
  /** The card frame alone (RGB), for Node-side checks. */
  cardFrame: RasterImage;
  faceFrame: RasterImage;
}

/**
 * The person of a frontal frame with the head turned to their left and to their right
 * (synthesised around the nose), and the yaw the landmarks read on each.
 * @param fv - A face verifier (for the landmarks).
 * @param frontal - RGB frame with exactly one frontal face.
 */
export async function headTurns(
  fv: FaceVerifier,
  frontal: RasterImage,
): Promise<{ left: RasterImage; right: RasterImage; yaw: FakeCameraClip['yaw'] }> {
  const f = await fv.analyzeFrame(frontal, 0);
  if (f.faces !== 1 || !f.landmarks5) throw new Error('the live photo must show exactly one face');
  const nose = f.landmarks5[2] as { x: number };
  const left = synthTurn(frontal, nose.x, 'right');
  const right = synthTurn(frontal, nose.x, 'left');
  const yawOf = async (im: RasterImage) => {
    const a = await fv.analyzeFrame(im, 0);
    return a.landmarks5 ? estimatePose(a.landmarks5).yaw : Number.NaN;
  };
  return {
    left,
    right,
    yaw: { frontal: estimatePose(f.landmarks5).yaw, left: await yawOf(left), right: await yawOf(right) },
  };
}

/** The citizen's CCCD 2021 front with its QR code, the photo printed as the portrait (RGB). */
async function qrCardFront(citizen: GeneratedIdentity, portraitPhoto: Uint8Array): Promise<RasterImage> {
  const portrait = toRgb(await decodeImage(portraitPhoto, { maxDimension: 600 }));
  const writer = await createBarcodeWriter();
  const card = await renderCardSide(
    cardLayout('cccd-2021', 'front'),
    citizen,
    { portrait, qr: await writer.write(citizen.qrText ?? '', 'QRCode', 'M') },
    createRng(7),
  );
  return toRgb(card.image);
}

/**
 * Build the Y4M clip.
 * @param citizen - A seeded citizen (with `qrText`).
 * @param portraitPhoto - Encoded photo printed on the card.
 * @param livePhoto - Encoded photo of the same person shown as the live face.
 * @param path - Where to write the `.y4m`.
 * @param options - `card`: the card to show instead of the citizen's CCCD 2021 front (RGB, e.g. a
 *   card without a QR code); `cardSeconds`: how long it shows in each loop of the clip (default 4).
 */
export async function buildFakeCamera(
  citizen: GeneratedIdentity,
  portraitPhoto: Uint8Array,
  livePhoto: Uint8Array,
  path: string,
  options: { card?: RasterImage; cardSeconds?: number } = {},
): Promise<FakeCameraClip> {
  const cardFrame = place(options.card ?? (await qrCardFront(citizen, portraitPhoto)), 0.92);
  const live = toRgb(await decodeImage(livePhoto, { maxDimension: 1280 }));
  const faceFrame = place(live, 1);
  const fv = await FaceVerifier.create({ profile: 'default', liveness: false });
  const { left, right, yaw } = await headTurns(fv, faceFrame).finally(() => fv.close());
  const segments: [RasterImage, number][] = [
    [cardFrame, options.cardSeconds ?? 4],
    [faceFrame, 1.5],
    [left, 2],
    [faceFrame, 1.5],
    [right, 2],
    [faceFrame, 1.5],
  ];
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, `YUV4MPEG2 W${FRAME_W} H${FRAME_H} F${FPS}:1 Ip A1:1 C420jpeg\n`);
    for (const [img, seconds] of segments) {
      const yuv = yuv420(img);
      for (let i = 0; i < Math.round(seconds * FPS); i++) {
        writeSync(fd, 'FRAME\n');
        writeSync(fd, yuv);
      }
    }
  } finally {
    closeSync(fd);
  }
  return { path, seconds: segments.reduce((s, [, t]) => s + t, 0), yaw, cardFrame, faceFrame };
}

/**
 * Launch headless Chromium whose webcam plays `clipPath` (a Y4M clip from {@link buildFakeCamera})
 * and whose camera permission prompt is answered yes. One clip per launch: Chromium's fake
 * camera plays the file it was started with.
 */
export async function launchWithFakeCamera(executablePath: string, clipPath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    args: [
      ...chromiumArgs,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${clipPath}`,
      '--use-fake-ui-for-media-stream',
    ],
  });
}
