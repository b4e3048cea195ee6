import type { RasterImage } from '@smart-citizen/image';
import type { ModuleMatrix } from './qrWriter.js';
import type { Rng } from '@smart-citizen/core';

/** How hard a generated photo is. Every field scales one degradation. */
export interface Degradation {
  /** Output pixels per QR module (the reader needs about 3). */
  pxPerModule: number;
  /** Perspective: how far (share of card width) corners move towards / away from the camera. */
  perspective: number;
  /** In-plane rotation range in degrees (uniform in ±). */
  rotationDeg: number;
  /** Gaussian blur sigma in output pixels. */
  blurSigma: number;
  /** Gaussian noise sigma in grey levels. */
  noiseSigma: number;
  /** Uneven light: strength of a gradient plus a soft shadow (0 none, 1 extreme). */
  unevenLight: number;
  /** Contrast factor around mid-grey (1 unchanged). */
  contrast: number;
  /** JPEG quality (1–100), or 0 for none. */
  jpegQuality: number;
  /** Motion blur: length of the streak in output pixels (0 or absent: none). */
  motionBlurPx?: number;
  /** Direction of the motion streak in degrees. @default 0 */
  motionAngleDeg?: number;
  /** Defocus: radius of the blur disk in output pixels (0 or absent: none). */
  defocusRadius?: number;
  /** Specular glare spots (bright, saturating) placed over or beside the code. @default 0 */
  glareSpots?: number;
  /** Card bent around a cylinder: bow of the rows as a share of the card height. @default 0 */
  bend?: number;
  /** A fold through the code: shift across the fold in modules, with shading. @default 0 */
  crease?: number;
  /** Shown on a screen: pitch of the display's pixel grid in output pixels (moiré). @default 0 */
  screenPitch?: number;
}

/** Graded levels used by the tests and the benchmark, from clean (0) to hardest (5). */
export const degradationLevels: readonly Degradation[] = [
  {
    pxPerModule: 4.5,
    perspective: 0,
    rotationDeg: 3,
    blurSigma: 0,
    noiseSigma: 2,
    unevenLight: 0,
    contrast: 1,
    jpegQuality: 92,
  },
  {
    pxPerModule: 4,
    perspective: 0.04,
    rotationDeg: 8,
    blurSigma: 0.5,
    noiseSigma: 4,
    unevenLight: 0.2,
    contrast: 0.85,
    jpegQuality: 85,
  },
  {
    pxPerModule: 3.6,
    perspective: 0.07,
    rotationDeg: 15,
    blurSigma: 0.7,
    noiseSigma: 6,
    unevenLight: 0.35,
    contrast: 0.7,
    jpegQuality: 75,
  },
  {
    pxPerModule: 3.3,
    perspective: 0.1,
    rotationDeg: 25,
    blurSigma: 0.9,
    noiseSigma: 8,
    unevenLight: 0.5,
    contrast: 0.55,
    jpegQuality: 65,
  },
  {
    pxPerModule: 3.3,
    perspective: 0.12,
    rotationDeg: 30,
    blurSigma: 0.9,
    noiseSigma: 8.5,
    unevenLight: 0.55,
    contrast: 0.5,
    jpegQuality: 60,
  },
  {
    pxPerModule: 3.3,
    perspective: 0.14,
    rotationDeg: 40,
    blurSigma: 0.9,
    noiseSigma: 9,
    unevenLight: 0.6,
    contrast: 0.5,
    jpegQuality: 60,
  },
];

/** Options of {@link renderCardImage}. */
export interface RenderCardImageOptions {
  /** @default 1280 */
  width?: number;
  /** @default 960 */
  height?: number;
  /**
   * Where the code sits: `qr-front` (chip CCCD: top right of the front), `pdf417-back` (2016
   * CCCD: a wide barcode across the back), `plain` (the code alone on white).
   * @default 'qr-front'
   */
  layout?: 'qr-front' | 'pdf417-back' | 'plain';
  /**
   * Quarter turns of the whole card (upside-down cards, portrait photos).
   * @default 0
   */
  quarterTurns?: 0 | 1 | 2 | 3;
  /** Where the card's centre is (output pixels) and its in-plane angle: frames of a video. */
  pose?: { cx: number; cy: number; angleDeg: number };
  /** Random source of the sensor noise only (a new one per video frame). @default the card's */
  noiseRng?: Rng;
  /** Place the card so that its code's centre lies in the middle half of the frame. @default false */
  keepCodeInView?: boolean;
  /** Other codes in the frame (stickers on the background beside the card). */
  extraCodes?: readonly ModuleMatrix[];
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Homography mapping the 4 `src` points onto the 4 `dst` points (DLT, Gaussian elimination). */
function homography(src: readonly [number, number][], dst: readonly [number, number][]): Mat3 {
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = src[i] as [number, number];
    const [u, v] = dst[i] as [number, number];
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 9; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const h = a.map((row, i) => row[8]! / row[i]!);
  return [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
}

function boxBlurH(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const n = 2 * r + 1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let x = -r; x <= r; x++) acc += src[row + Math.min(w - 1, Math.max(0, x))]!;
    for (let x = 0; x < w; x++) {
      dst[row + x] = acc / n;
      acc += src[row + Math.min(w - 1, x + r + 1)]! - src[row + Math.max(0, x - r)]!;
    }
  }
}

function transpose(src: Float32Array, dst: Float32Array, w: number, h: number): void {
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) dst[x * h + y] = src[y * w + x]!;
}

/** Gaussian blur approximated by three box blurs per axis. */
function gaussianBlur(img: Float32Array, w: number, h: number, sigma: number): void {
  if (sigma < 0.3) return;
  const r = Math.max(1, Math.round(Math.sqrt((12 * sigma * sigma) / 3 + 1) / 2 - 0.5));
  const a = new Float32Array(w * h);
  const b = new Float32Array(w * h);
  boxBlurH(img, a, w, h, r);
  boxBlurH(a, b, w, h, r);
  boxBlurH(b, a, w, h, r);
  transpose(a, b, w, h);
  boxBlurH(b, a, h, w, r);
  boxBlurH(a, b, h, w, r);
  boxBlurH(b, a, h, w, r);
  transpose(a, img, h, w);
}

/** Draw the card face (grey levels) at `scale` texture pixels per card millimetre. */
function drawCard(
  code: ModuleMatrix,
  layout: NonNullable<RenderCardImageOptions['layout']>,
  rng: Rng,
  modulePx: number,
): { tex: Float32Array; tw: number; th: number; codeBox: [number, number, number, number] } {
  // The writer's PDF417 matrix already repeats each row (rows 3 modules high).
  const codeW = code.width * modulePx;
  const codeH = code.height * modulePx;
  // Card 85.6 × 53.98 mm; the chip-CCCD QR is about 15 mm wide, the 2016 PDF417 about 70 mm.
  const cardMm = 85.6;
  const codeMm = layout === 'pdf417-back' ? 70 : layout === 'plain' ? 40 : 15;
  const pxPerMm = codeW / codeMm;
  const tw = Math.round(cardMm * pxPerMm);
  const th = Math.round(53.98 * pxPerMm);
  const tex = new Float32Array(tw * th);
  const base = 215 + rng.int(-15, 25);
  const fx = rng.next() * 0.2 + 0.05;
  const fy = rng.next() * 0.2 + 0.05;
  // Light guilloche-like background.
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const u = x / pxPerMm;
      const v = y / pxPerMm;
      tex[y * tw + x] = layout === 'plain' ? 250 : base + 10 * Math.sin(u * fx * 6 + Math.sin(v * fy * 4) * 2);
    }
  }
  const fill = (x0: number, y0: number, w: number, h: number, value: number) => {
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(th, Math.round(y0 + h)); y++) {
      for (let x = Math.max(0, Math.round(x0)); x < Math.min(tw, Math.round(x0 + w)); x++) tex[y * tw + x] = value;
    }
  };
  let codeX = 0;
  let codeY = 0;
  if (layout === 'plain') {
    codeX = (tw - codeW) / 2;
    codeY = (th - codeH) / 2;
  } else {
    // Portrait (front) or fingerprint boxes (back), and lines of text.
    if (layout === 'qr-front') {
      fill(4 * pxPerMm, 14 * pxPerMm, 20 * pxPerMm, 28 * pxPerMm, 90 + rng.int(0, 60));
      codeX = tw - codeW - 4 * pxPerMm;
      codeY = 3.5 * pxPerMm;
    } else {
      codeX = (tw - codeW) / 2;
      codeY = 3 * pxPerMm;
    }
    const textTop = layout === 'qr-front' ? 22 : codeY / pxPerMm + codeH / pxPerMm + 4;
    for (let line = 0; line < 6; line++) {
      const y = (textTop + line * 4.5) * pxPerMm;
      if (y + 2.5 * pxPerMm > th) break;
      let x = (layout === 'qr-front' ? 28 : 5) * pxPerMm;
      while (x < tw - 6 * pxPerMm) {
        const word = rng.int(3, 12) * 0.6 * pxPerMm;
        fill(x, y, Math.min(word, tw - 6 * pxPerMm - x), 2.2 * pxPerMm, 40 + rng.int(0, 40));
        x += word + 1.2 * pxPerMm;
      }
    }
  }
  // Quiet zone, then the modules.
  const quiet = 2 * modulePx;
  fill(codeX - quiet, codeY - quiet, codeW + 2 * quiet, codeH + 2 * quiet, 250);
  for (let my = 0; my < code.height; my++) {
    for (let mx = 0; mx < code.width; mx++) {
      if (code.modules[my * code.width + mx]) {
        fill(codeX + mx * modulePx, codeY + my * modulePx, modulePx, modulePx, 20);
      }
    }
  }
  return { tex, tw, th, codeBox: [codeX, codeY, codeW, codeH] };
}

/** Motion blur: the mean of `length` bilinear samples along a direction (output space). */
function motionBlur(img: Float32Array, w: number, h: number, length: number, angleDeg: number): void {
  const taps = Math.max(2, Math.round(length) + 1);
  const dx = Math.cos((angleDeg * Math.PI) / 180);
  const dy = Math.sin((angleDeg * Math.PI) / 180);
  const src = img.slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) {
        const t = (k / (taps - 1) - 0.5) * length;
        acc += sampleClamped(src, w, h, x + t * dx, y + t * dy);
      }
      img[y * w + x] = acc / taps;
    }
  }
}

/** Defocus: the mean over a disk of the given radius. */
function defocusBlur(img: Float32Array, w: number, h: number, radius: number): void {
  const offsets: [number, number][] = [];
  const r = Math.ceil(radius);
  for (let dy = -r; dy <= r; dy++)
    for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= radius * radius) offsets.push([dx, dy]);
  const src = img.slice();
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (const [dx, dy] of offsets) {
        const xx = Math.min(w - 1, Math.max(0, x + dx));
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        acc += src[yy * w + xx]!;
      }
      img[y * w + x] = acc / offsets.length;
    }
  }
}

function sampleClamped(img: Float32Array, w: number, h: number, x: number, y: number): number {
  const xc = Math.min(w - 1.001, Math.max(0, x));
  const yc = Math.min(h - 1.001, Math.max(0, y));
  const x0 = Math.floor(xc);
  const y0 = Math.floor(yc);
  const fx = xc - x0;
  const fy = yc - y0;
  const i = y0 * w + x0;
  return (img[i]! * (1 - fx) + img[i + 1]! * fx) * (1 - fy) + (img[i + w]! * (1 - fx) + img[i + w + 1]! * fx) * fy;
}

/** Apply a homography to a point. */
function project(m: Mat3, x: number, y: number): [number, number] {
  const d = m[6] * x + m[7] * y + m[8];
  return [(m[0] * x + m[1] * y + m[2]) / d, (m[3] * x + m[4] * y + m[5]) / d];
}

/**
 * Draw other codes as white stickers on the background, away from the card (`cardCorners`),
 * at about `pxPerModule`, each turned by a random angle.
 */
function drawStickers(
  out: Float32Array,
  W: number,
  H: number,
  codes: readonly ModuleMatrix[],
  cardCorners: readonly [number, number][],
  pxPerModule: number,
  rng: Rng,
): void {
  const xs = cardCorners.map((c) => c[0]);
  const ys = cardCorners.map((c) => c[1]);
  const placed: [number, number, number][] = [
    [
      (Math.min(...xs) + Math.max(...xs)) / 2,
      (Math.min(...ys) + Math.max(...ys)) / 2,
      Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) / 2,
    ],
  ];
  for (const code of codes) {
    const px = pxPerModule * (0.8 + 0.6 * rng.next());
    const side = (code.width + 8) * px;
    const r = (side / 2) * Math.SQRT2;
    // Up to 40 tries to find a free spot inside the frame.
    for (let t = 0; t < 40; t++) {
      const cx = r + rng.next() * Math.max(1, W - 2 * r);
      const cy = r + rng.next() * Math.max(1, H - 2 * r);
      if (placed.some(([x, y, pr]) => Math.hypot(cx - x, cy - y) < pr + r)) continue;
      placed.push([cx, cy, r]);
      const a = (rng.next() - 0.5) * 0.8;
      const ca = Math.cos(a);
      const sa = Math.sin(a);
      for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(H, Math.ceil(cy + r)); y++) {
        for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(W, Math.ceil(cx + r)); x++) {
          const lx = ((x - cx) * ca + (y - cy) * sa) / px + code.width / 2 + 4;
          const ly = (-(x - cx) * sa + (y - cy) * ca) / px + code.height / 2 + 4;
          if (lx < 0 || ly < 0 || lx >= code.width + 8 || ly >= code.height + 8) continue;
          const mx = Math.floor(lx) - 4;
          const my = Math.floor(ly) - 4;
          const dark = mx >= 0 && my >= 0 && mx < code.width && my < code.height && code.modules[my * code.width + mx];
          out[y * W + x] = dark ? 25 : 235;
        }
      }
      break;
    }
  }
}

/**
 * Render a card-like photo carrying a barcode, then degrade it: perspective and rotation,
 * blur, uneven light, low contrast and Gaussian noise (JPEG compression is applied by the
 * caller, who owns the encoder). Deterministic for a given `rng` state.
 *
 * @param code - The code's module matrix (from {@link createBarcodeWriter}).
 * @param level - The {@link Degradation}.
 * @param rng - Seeded random source.
 * @param options - {@link RenderCardImageOptions}.
 * @returns A grey image (`channels: 1`).
 */
export function renderCardImage(
  code: ModuleMatrix,
  level: Degradation,
  rng: Rng,
  options: RenderCardImageOptions = {},
): RasterImage {
  const W = options.width ?? 1280;
  const H = options.height ?? 960;
  const layout = options.layout ?? 'qr-front';
  // Texture at about 1.5 px per output px, so bilinear sampling does not alias.
  const modulePx = Math.max(3, Math.round(level.pxPerModule * 1.5));
  const { tex, tw, th, codeBox } = drawCard(code, layout, rng, modulePx);
  const scale = level.pxPerModule / modulePx; // output px per texture px
  const cw = tw * scale;
  const ch = th * scale;
  let cx = W / 2 + (rng.next() - 0.5) * Math.max(0, W - cw) * 0.6;
  let cy = H / 2 + (rng.next() - 0.5) * Math.max(0, H - ch) * 0.6;
  let angle = ((rng.next() * 2 - 1) * level.rotationDeg * Math.PI) / 180 + ((options.quarterTurns ?? 0) * Math.PI) / 2;
  if (options.pose) {
    // Video frames: the caller moves the card (the draws above still happen, so the card,
    // background and light stay the same from frame to frame).
    cx = options.pose.cx;
    cy = options.pose.cy;
    angle = (options.pose.angleDeg * Math.PI) / 180;
  } else if (options.keepCodeInView) {
    // Put the code's centre somewhere in the middle half of the frame (a large card leaves it).
    const lx = (codeBox[0] + codeBox[2] / 2) * scale - cw / 2;
    const ly = (codeBox[1] + codeBox[3] / 2) * scale - ch / 2;
    const tx = W * (0.25 + 0.5 * rng.next());
    const ty = H * (0.25 + 0.5 * rng.next());
    cx = tx - (lx * Math.cos(angle) - ly * Math.sin(angle));
    cy = ty - (lx * Math.sin(angle) + ly * Math.cos(angle));
  }
  const jitter = () => (rng.next() * 2 - 1) * level.perspective * cw * 0.5;
  const corners: [number, number][] = [
    [-cw / 2, -ch / 2],
    [cw / 2, -ch / 2],
    [cw / 2, ch / 2],
    [-cw / 2, ch / 2],
  ].map(([x, y]) => {
    const jx = x! + jitter();
    const jy = y! + jitter();
    return [cx + jx * Math.cos(angle) - jy * Math.sin(angle), cy + jx * Math.sin(angle) + jy * Math.cos(angle)];
  });
  // Output → texture mapping.
  const m = homography(corners, [
    [0, 0],
    [tw, 0],
    [tw, th],
    [0, th],
  ]);
  const out = new Float32Array(W * H);
  const bg = 60 + rng.int(0, 80);
  const bgf = rng.next() * 0.05 + 0.01;
  // Non-planar card and screen: only drawn when asked, so the graded levels stay as they were.
  const [qx, qy, qw, qh] = codeBox;
  const bend = (level.bend ?? 0) * th;
  const crease = level.crease ?? 0;
  const creaseAngle = crease ? rng.next() * Math.PI : 0;
  const creaseX = qx + qw * (0.3 + 0.4 * (crease ? rng.next() : 0));
  const creaseY = qy + qh * (0.3 + 0.4 * (crease ? rng.next() : 0));
  const cnx = Math.cos(creaseAngle);
  const cny = Math.sin(creaseAngle);
  const creaseShift = crease * modulePx;
  const pitch = (level.screenPitch ?? 0) / scale; // screen pixel pitch in texture pixels
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = m[6] * x + m[7] * y + m[8];
      let u = (m[0] * x + m[1] * y + m[2]) / d - 0.5;
      let v = (m[3] * x + m[4] * y + m[5]) / d - 0.5;
      let shade = 1;
      if (bend) {
        // Rows bow and columns crowd towards the edges, as on a card curved around a cylinder.
        const t = u / tw - 0.5;
        v += bend * (1 - 4 * t * t);
        u += tw * 0.06 * (bend / th) * Math.sin(2 * Math.PI * t);
      }
      if (crease) {
        // One side of the fold shifts across it (smoothly over ~1 module) and is shaded.
        const side = (u - creaseX) * cnx + (v - creaseY) * cny;
        const s = 1 / (1 + Math.exp(-side / modulePx));
        u -= creaseShift * s * cnx;
        v -= creaseShift * s * cny;
        shade = 1 - 0.25 * crease * s - 0.35 * crease * Math.exp(-(side * side) / (modulePx * modulePx));
      }
      if (u >= 0 && v >= 0 && u < tw - 1 && v < th - 1) {
        const x0 = Math.floor(u);
        const y0 = Math.floor(v);
        const fx = u - x0;
        const fy = v - y0;
        const i = y0 * tw + x0;
        let value =
          (tex[i]! * (1 - fx) + tex[i + 1]! * fx) * (1 - fy) + (tex[i + tw]! * (1 - fx) + tex[i + tw + 1]! * fx) * fy;
        if (pitch > 0) {
          // A display's pixel grid (lit cell, dark gap), sampled without filtering: moiré.
          const gu = (u / pitch) % 1;
          const gv = (v / pitch) % 1;
          value = 30 + (value - 30) * (gu < 0.75 && gv < 0.8 ? 1 : 0.35);
        }
        out[y * W + x] = value * shade;
      } else {
        out[y * W + x] = bg + 25 * Math.sin(x * bgf) * Math.cos(y * bgf * 1.3);
      }
    }
  }
  if (options.extraCodes?.length) drawStickers(out, W, H, options.extraCodes, corners, level.pxPerModule, rng);
  gaussianBlur(out, W, H, level.blurSigma);
  if (level.motionBlurPx) motionBlur(out, W, H, level.motionBlurPx, level.motionAngleDeg ?? 0);
  if (level.defocusRadius) defocusBlur(out, W, H, level.defocusRadius);
  if (level.glareSpots) {
    // Specular spots (a lamp reflected by the laminate) over or beside the code, before the
    // camera's contrast and noise.
    const toImage = homography(
      [
        [0, 0],
        [tw, 0],
        [tw, th],
        [0, th],
      ],
      corners,
    );
    const [gcx, gcy] = project(toImage, qx + qw / 2, qy + qh / 2);
    const [ex, ey] = project(toImage, qx + qw, qy + qh / 2);
    const codeR = Math.hypot(ex - gcx, ey - gcy);
    for (let k = 0; k < level.glareSpots; k++) {
      const sx0 = gcx + (rng.next() - 0.5) * 2 * codeR;
      const sy0 = gcy + (rng.next() - 0.5) * 2 * codeR;
      const rx = codeR * (0.12 + 0.3 * rng.next());
      const ry = rx * (0.4 + 0.6 * rng.next());
      const amp = 120 + 200 * rng.next();
      const x0 = Math.max(0, Math.floor(sx0 - 3 * rx));
      const x1 = Math.min(W - 1, Math.ceil(sx0 + 3 * rx));
      const y0 = Math.max(0, Math.floor(sy0 - 3 * rx));
      const y1 = Math.min(H - 1, Math.ceil(sy0 + 3 * rx));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const q = ((x - sx0) / rx) ** 2 + ((y - sy0) / ry) ** 2;
          out[y * W + x]! += amp * Math.exp(-q);
        }
      }
    }
  }
  // Uneven light: a linear gradient and a soft elliptical shadow, multiplicative.
  const gAngle = rng.next() * Math.PI * 2;
  const gx = Math.cos(gAngle);
  const gy = Math.sin(gAngle);
  const sx = rng.next() * W;
  const sy = rng.next() * H;
  const sr = (0.2 + rng.next() * 0.3) * Math.max(W, H);
  const data = new Uint8Array(W * H);
  const noiseRng = options.noiseRng ?? rng;
  const mid = 128;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = ((x - W / 2) * gx + (y - H / 2) * gy) / Math.max(W, H);
      const dist = Math.hypot(x - sx, y - sy) / sr;
      const light = (1 - level.unevenLight * 0.6 * (t + 0.5)) * (1 - level.unevenLight * 0.45 * Math.exp(-dist * dist));
      let v = out[y * W + x]! * light;
      v = mid + (v - mid) * level.contrast;
      v += level.noiseSigma * noiseRng.gauss();
      data[y * W + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: W, height: H, channels: 1, data };
}
