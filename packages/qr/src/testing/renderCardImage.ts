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
): { tex: Float32Array; tw: number; th: number } {
  const rowHeight = layout === 'pdf417-back' ? 3 : 1;
  const codeW = code.width * modulePx;
  const codeH = code.height * modulePx * rowHeight;
  // Card 85.6 × 53.98 mm; the chip-CCCD QR is about 15 mm wide, the 2016 PDF417 about 60 mm.
  const cardMm = 85.6;
  const codeMm = layout === 'pdf417-back' ? 60 : layout === 'plain' ? 40 : 15;
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
        fill(codeX + mx * modulePx, codeY + my * modulePx * rowHeight, modulePx, modulePx * rowHeight, 20);
      }
    }
  }
  return { tex, tw, th };
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
  const { tex, tw, th } = drawCard(code, layout, rng, modulePx);
  const scale = level.pxPerModule / modulePx; // output px per texture px
  const cw = tw * scale;
  const ch = th * scale;
  const cx = W / 2 + (rng.next() - 0.5) * Math.max(0, W - cw) * 0.6;
  const cy = H / 2 + (rng.next() - 0.5) * Math.max(0, H - ch) * 0.6;
  const angle =
    ((rng.next() * 2 - 1) * level.rotationDeg * Math.PI) / 180 + ((options.quarterTurns ?? 0) * Math.PI) / 2;
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
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = m[6] * x + m[7] * y + m[8];
      const u = (m[0] * x + m[1] * y + m[2]) / d - 0.5;
      const v = (m[3] * x + m[4] * y + m[5]) / d - 0.5;
      if (u >= 0 && v >= 0 && u < tw - 1 && v < th - 1) {
        const x0 = Math.floor(u);
        const y0 = Math.floor(v);
        const fx = u - x0;
        const fy = v - y0;
        const i = y0 * tw + x0;
        out[y * W + x] =
          (tex[i]! * (1 - fx) + tex[i + 1]! * fx) * (1 - fy) + (tex[i + tw]! * (1 - fx) + tex[i + tw + 1]! * fx) * fy;
      } else {
        out[y * W + x] = bg + 25 * Math.sin(x * bgf) * Math.cos(y * bgf * 1.3);
      }
    }
  }
  gaussianBlur(out, W, H, level.blurSigma);
  // Uneven light: a linear gradient and a soft elliptical shadow, multiplicative.
  const gAngle = rng.next() * Math.PI * 2;
  const gx = Math.cos(gAngle);
  const gy = Math.sin(gAngle);
  const sx = rng.next() * W;
  const sy = rng.next() * H;
  const sr = (0.2 + rng.next() * 0.3) * Math.max(W, H);
  const data = new Uint8Array(W * H);
  const mid = 128;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const t = ((x - W / 2) * gx + (y - H / 2) * gy) / Math.max(W, H);
      const dist = Math.hypot(x - sx, y - sy) / sr;
      const light = (1 - level.unevenLight * 0.6 * (t + 0.5)) * (1 - level.unevenLight * 0.45 * Math.exp(-dist * dist));
      let v = out[y * W + x]! * light;
      v = mid + (v - mid) * level.contrast;
      v += level.noiseSigma * rng.gauss();
      data[y * W + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: W, height: H, channels: 1, data };
}
