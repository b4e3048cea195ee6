import type { Rng } from '@smart-citizen/core';
import { estimateHomography, type Point, type RasterImage, warpPerspective } from '@smart-citizen/image';
import { CANONICAL_HEIGHT, CANONICAL_WIDTH } from '../layout/canonical.js';
import { loadCanvas, rasterToRgba } from './canvasRuntime.js';

/** Upper bounds of each degradation at one level; every photo draws each one independently. */
export interface PhotoDegradation {
  /** Scene size in pixels (low resolution at the hard levels). */
  sceneWidth: number;
  sceneHeight: number;
  /** Card width as a share of the scene's shorter fit: drawn in [min, max]. */
  cardScale: readonly [number, number];
  /** Corner displacement as a share of the card width (perspective). */
  perspective: number;
  /** In-plane rotation, uniform in ± degrees. */
  rotationDeg: number;
  /** Chance of a quarter or half turn (phone held sideways or card upside down). */
  turnChance: number;
  blurSigma: number;
  noiseSigma: number;
  /** Chance and strength (0–1) of a specular highlight on the card. */
  glare: number;
  /** Strength (0–1) of a soft cast shadow. */
  shadow: number;
  /** Strength (0–1) of a light gradient over the scene. */
  unevenLight: number;
  /** JPEG quality drawn in [jpegQuality, jpegQuality + 10]. */
  jpegQuality: number;
}

/** Graded levels from clean (0) to hardest (4); level 2 is "moderate" in the targets. */
export const photoDegradationLevels: readonly PhotoDegradation[] = [
  {
    sceneWidth: 1600,
    sceneHeight: 1200,
    cardScale: [0.7, 0.85],
    perspective: 0,
    rotationDeg: 3,
    turnChance: 0,
    blurSigma: 0.3,
    noiseSigma: 2,
    glare: 0,
    shadow: 0,
    unevenLight: 0,
    jpegQuality: 90,
  },
  {
    sceneWidth: 1280,
    sceneHeight: 960,
    cardScale: [0.65, 0.85],
    perspective: 0.03,
    rotationDeg: 8,
    turnChance: 0.1,
    blurSigma: 0.6,
    noiseSigma: 4,
    glare: 0.2,
    shadow: 0.2,
    unevenLight: 0.2,
    jpegQuality: 85,
  },
  {
    sceneWidth: 1280,
    sceneHeight: 960,
    cardScale: [0.6, 0.85],
    perspective: 0.06,
    rotationDeg: 15,
    turnChance: 0.25,
    blurSigma: 0.9,
    noiseSigma: 6,
    glare: 0.35,
    shadow: 0.35,
    unevenLight: 0.35,
    jpegQuality: 75,
  },
  {
    sceneWidth: 1024,
    sceneHeight: 768,
    cardScale: [0.55, 0.85],
    perspective: 0.09,
    rotationDeg: 30,
    turnChance: 0.3,
    blurSigma: 1.3,
    noiseSigma: 9,
    glare: 0.5,
    shadow: 0.5,
    unevenLight: 0.5,
    jpegQuality: 65,
  },
  {
    sceneWidth: 800,
    sceneHeight: 600,
    cardScale: [0.55, 0.85],
    perspective: 0.12,
    rotationDeg: 45,
    turnChance: 0.4,
    blurSigma: 1.7,
    noiseSigma: 12,
    glare: 0.6,
    shadow: 0.6,
    unevenLight: 0.6,
    jpegQuality: 55,
  },
];

/** The parameters one photo was drawn with (ground truth). */
export interface PhotoParameters {
  level: number;
  rotationDeg: number;
  quarterTurns: number;
  cardWidthPx: number;
  blurSigma: number;
  noiseSigma: number;
  glare?: { x: number; y: number; radius: number; strength: number };
  shadow: number;
  unevenLight: number;
  jpegQuality: number;
  /** The card was placed so that part of it lies outside the photo. */
  cutOff: boolean;
}

/** A photo of a card: JPEG bytes, the card's corners and the parameters. */
export interface CardPhoto {
  jpeg: Uint8Array;
  width: number;
  height: number;
  /** Scene positions of the card's own top-left, top-right, bottom-right, bottom-left corners. */
  quad: [Point, Point, Point, Point];
  parameters: PhotoParameters;
}

/** Options of {@link photographCard}. */
export interface PhotographCardOptions {
  /** Push the card partly out of the frame. @default false */
  cutOff?: boolean;
  /** Override the card width share (e.g. 0.15 for a "too small" card). */
  cardScale?: number;
}

function gaussianBlur(buf: Float32Array, w: number, h: number, sigma: number): void {
  if (sigma < 0.3) return;
  const r = Math.ceil(sigma * 3);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const kern = k.map((v) => v / sum);
  const tmp = new Float32Array(buf.length);
  for (let pass = 0; pass < 2; pass++) {
    const src = pass === 0 ? buf : tmp;
    const dst = pass === 0 ? tmp : buf;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let i = -r; i <= r; i++) {
            const xx = pass === 0 ? Math.min(w - 1, Math.max(0, x + i)) : x;
            const yy = pass === 0 ? y : Math.min(h - 1, Math.max(0, y + i));
            acc += (src[(yy * w + xx) * 3 + c] as number) * (kern[i + r] as number);
          }
          dst[(y * w + x) * 3 + c] = acc;
        }
      }
    }
  }
}

function between(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/**
 * Photograph a rendered card: place it in a cluttered scene with rotation and perspective,
 * then apply uneven light, a cast shadow, glare, blur, sensor noise and JPEG — each drawn
 * independently from the level's bounds, none from the reader's thresholds.
 *
 * @param card - RGBA card at the canonical size.
 * @param level - Index into {@link photoDegradationLevels}.
 * @param rng - Seeded random source.
 * @param options - {@link PhotographCardOptions}.
 */
export async function photographCard(
  card: RasterImage,
  level: number,
  rng: Rng,
  options: PhotographCardOptions = {},
): Promise<CardPhoto> {
  const d = photoDegradationLevels[level];
  if (!d) throw new RangeError(`no degradation level ${level}`);
  const W = d.sceneWidth;
  const H = d.sceneHeight;
  const quarterTurns = rng.next() < d.turnChance ? rng.int(1, 3) : 0;
  const rotationDeg = between(rng, -d.rotationDeg, d.rotationDeg);
  const scale = options.cardScale ?? between(rng, d.cardScale[0], d.cardScale[1]);
  const fit =
    quarterTurns % 2 === 1
      ? Math.min(W, H * (CANONICAL_WIDTH / CANONICAL_HEIGHT)) * 0.75
      : Math.min(W, H * (CANONICAL_WIDTH / CANONICAL_HEIGHT));
  let quad: [Point, Point, Point, Point] = [
    { x: 0, y: 0 },
    { x: 0, y: 0 },
    { x: 0, y: 0 },
    { x: 0, y: 0 },
  ];
  let cardW = scale * fit;
  for (let attempt = 0; attempt < 30; attempt++) {
    const cardH = cardW * (CANONICAL_HEIGHT / CANONICAL_WIDTH);
    const a = ((rotationDeg + 90 * quarterTurns) * Math.PI) / 180;
    const cx = W / 2 + between(rng, -0.15, 0.15) * W;
    const cy = H / 2 + between(rng, -0.15, 0.15) * H;
    const local = [
      [-cardW / 2, -cardH / 2],
      [cardW / 2, -cardH / 2],
      [cardW / 2, cardH / 2],
      [-cardW / 2, cardH / 2],
    ] as const;
    quad = local.map(([x, y]) => ({
      x: cx + x * Math.cos(a) - y * Math.sin(a) + between(rng, -1, 1) * d.perspective * cardW,
      y: cy + x * Math.sin(a) + y * Math.cos(a) + between(rng, -1, 1) * d.perspective * cardW,
    })) as [Point, Point, Point, Point];
    if (options.cutOff) {
      const shift = cardW * between(rng, 0.25, 0.4);
      const dir = rng.int(0, 3);
      quad = quad.map((p) => ({
        x: p.x + (dir === 0 ? shift : dir === 1 ? -shift : 0) * 1.6,
        y: p.y + (dir === 2 ? shift : dir === 3 ? -shift : 0),
      })) as typeof quad;
      break;
    }
    const margin = 0.02 * W;
    if (quad.every((p) => p.x > margin && p.x < W - margin && p.y > margin && p.y < H - margin)) break;
    cardW *= 0.95;
  }
  const h = estimateHomography(
    [
      { x: 0, y: 0 },
      { x: CANONICAL_WIDTH, y: 0 },
      { x: CANONICAL_WIDTH, y: CANONICAL_HEIGHT },
      { x: 0, y: CANONICAL_HEIGHT },
    ],
    quad,
  );
  const rgba =
    card.channels === 4 ? card : { ...card, data: new Uint8Array(rasterToRgba(card).buffer), channels: 4 as const };
  const warped = warpPerspective(rgba, h, { width: W, height: H, fill: [0, 0, 0, 0] });
  // Scene: a table-like background with low-frequency variation and a few paper-like distractors.
  const px = new Float32Array(W * H * 3);
  const base = [between(rng, 60, 200), between(rng, 50, 180), between(rng, 40, 160)];
  const fx = between(rng, 0.002, 0.01);
  const fy = between(rng, 0.002, 0.01);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const v = 18 * Math.sin(x * fx + y * fy * 0.3) + 10 * Math.sin(y * fy * 2);
      for (let c = 0; c < 3; c++) px[(y * W + x) * 3 + c] = (base[c] as number) + v;
    }
  }
  const distractors = level >= 2 ? rng.int(0, 2) : 0;
  for (let k = 0; k < distractors; k++) {
    const rw = between(rng, 0.1, 0.3) * W;
    const rh = between(rng, 0.1, 0.5) * H;
    const rx = between(rng, 0, W - rw);
    const ry = between(rng, 0, H - rh);
    const shade = between(rng, 150, 240);
    for (let y = Math.floor(ry); y < ry + rh; y++)
      for (let x = Math.floor(rx); x < rx + rw; x++) for (let c = 0; c < 3; c++) px[(y * W + x) * 3 + c] = shade;
  }
  for (let i = 0; i < W * H; i++) {
    const alpha = (warped.data[i * 4 + 3] as number) / 255;
    if (alpha === 0) continue;
    for (let c = 0; c < 3; c++)
      px[i * 3 + c] = (px[i * 3 + c] as number) * (1 - alpha) + (warped.data[i * 4 + c] as number) * alpha;
  }
  // Light: gradient, cast shadow (a soft half-plane), glare (additive highlight on the card).
  const unevenLight = d.unevenLight * rng.next();
  const shadow = d.shadow * rng.next();
  const ga = rng.next() * Math.PI * 2;
  const sa = rng.next() * Math.PI * 2;
  const sOff = between(rng, -0.3, 0.3) * W;
  const glare =
    rng.next() < d.glare
      ? (() => {
          const t = rng.next();
          const u = rng.next();
          const top = { x: quad[0].x + (quad[1].x - quad[0].x) * t, y: quad[0].y + (quad[1].y - quad[0].y) * t };
          const bottom = { x: quad[3].x + (quad[2].x - quad[3].x) * t, y: quad[3].y + (quad[2].y - quad[3].y) * t };
          return {
            x: top.x + (bottom.x - top.x) * u,
            y: top.y + (bottom.y - top.y) * u,
            radius: between(rng, 0.04, 0.12) * cardW,
            strength: between(rng, 0.5, 1) * 255,
          };
        })()
      : undefined;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const g =
        1 - unevenLight * (0.5 + 0.5 * Math.cos(ga) * ((x / W) * 2 - 1) + 0.5 * Math.sin(ga) * ((y / H) * 2 - 1));
      const sd = (x - W / 2) * Math.cos(sa) + (y - H / 2) * Math.sin(sa) - sOff;
      const s = 1 - shadow * 0.55 * (1 / (1 + Math.exp(-sd / (0.03 * W))));
      let add = 0;
      if (glare) {
        const r2 = ((x - glare.x) ** 2 + (y - glare.y) ** 2) / (glare.radius * glare.radius);
        add = glare.strength * Math.exp(-r2);
      }
      for (let c = 0; c < 3; c++) {
        const i = (y * W + x) * 3 + c;
        px[i] = (px[i] as number) * g * s + add;
      }
    }
  }
  const blurSigma = d.blurSigma * between(rng, 0.5, 1);
  gaussianBlur(px, W, H, blurSigma);
  const noiseSigma = d.noiseSigma * between(rng, 0.5, 1);
  const jpegQuality = Math.round(d.jpegQuality + rng.next() * 10);
  const { createCanvas, ImageData } = await loadCanvas();
  const out = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    for (let c = 0; c < 3; c++) out[i * 4 + c] = (px[i * 3 + c] as number) + noiseSigma * rng.gauss();
    out[i * 4 + 3] = 255;
  }
  const canvas = createCanvas(W, H);
  canvas.getContext('2d').putImageData(new ImageData(out, W, H), 0, 0);
  // encodeSync, not the threaded `encode`: @napi-rs/canvas 0.1.100 crashes the process
  // (SIGSEGV) when an async encode runs while ImageData objects are collected — 2 of 2 stress
  // runs of 3,000 getImageData + encode('jpeg') died, the same loop with encodeSync never did;
  // the card benches died the same way part-way through generation.
  const jpeg = new Uint8Array(canvas.encodeSync('jpeg', jpegQuality));
  return {
    jpeg,
    width: W,
    height: H,
    quad,
    parameters: {
      level,
      rotationDeg,
      quarterTurns,
      cardWidthPx: cardW,
      blurSigma,
      noiseSigma,
      ...(glare ? { glare } : {}),
      shadow,
      unevenLight,
      jpegQuality,
      cutOff: options.cutOff === true,
    },
  };
}
