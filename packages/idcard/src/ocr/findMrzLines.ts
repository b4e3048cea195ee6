import { crop, localMean, type RasterImage, toGrey, warpAffine } from '@smart-citizen/image';
import type { MmBox } from '../layout/CardLayout.js';
import { CANONICAL_PX_PER_MM, mmBoxToPx } from '../layout/canonical.js';

/** Options of {@link findMrzLines}. */
export interface FindMrzLinesOptions {
  /** Largest skew searched, degrees either way. @default 12 */
  maxSkewDeg?: number;
  /** Canonical scale of the card image. @default {@link CANONICAL_PX_PER_MM} */
  pxPerMm?: number;
}

/** Three MRZ line crops found in the card's MRZ zone, and the skew they were read at. */
export interface FoundMrzLines {
  lines: [RasterImage, RasterImage, RasterImage];
  /** Skew of the printed lines in the rectified card, degrees (positive: falling to the right). */
  skewDeg: number;
}

/**
 * Ink: pixels darker than their surroundings (a 3 mm window) by `contrast` grey levels, in
 * horizontal runs no longer than 3 mm. A flat grey or coloured background beside the card is not
 * ink however dark, nor is the card's edge against it; printed strokes are.
 */
function inkMask(grey: RasterImage, ppm: number, contrast = 25): Uint8Array {
  const mean = localMean(grey, Math.round(1.5 * ppm));
  const out = new Uint8Array(grey.width * grey.height);
  for (let i = 0; i < out.length; i++) out[i] = (grey.data[i] as number) < (mean[i] as number) - contrast ? 1 : 0;
  // a character's strokes run at most about 2.5 mm across; longer runs are edges (the card's, a
  // shadow's), which would otherwise rule the row projection
  const longest = 3 * ppm;
  const w = grey.width;
  for (let y = 0; y < grey.height; y++) {
    const row = y * w;
    for (let x = 0; x < w; ) {
      if (out[row + x] === 0) {
        x++;
        continue;
      }
      const start = x;
      while (x < w && out[row + x] === 1) x++;
      if (x - start > longest) out.fill(0, row + start, row + x);
    }
  }
  return out;
}

/** Sum of squares of the row histogram of ink pixels projected at `angle` (radians): peaks when rows line up with text lines. */
function projectionSharpness(xs: Int32Array, ys: Int32Array, count: number, angle: number, height: number): number {
  const s = Math.sin(angle);
  const c = Math.cos(angle);
  const pad = Math.ceil(height);
  const hist = new Float64Array(height * 3 + 2 * pad);
  const off = height + pad;
  for (let i = 0; i < count; i++) {
    const r = Math.round((ys[i] as number) * c - (xs[i] as number) * s) + off;
    if (r >= 0 && r < hist.length) hist[r] = (hist[r] as number) + 1;
  }
  let q = 0;
  for (const h of hist) q += h * h;
  return q;
}

/** The widest run of columns with ink in rows [y0, y1), gaps under `maxGap` bridged: [first, last + 1). */
function inkSpan(ink_: Uint8Array, w: number, y0: number, y1: number, maxGap: number): [number, number] {
  let best: [number, number] = [0, w];
  let bestLen = -1;
  let start = -1;
  let last = -1;
  const close = () => {
    if (start >= 0 && last + 1 - start > bestLen) {
      bestLen = last + 1 - start;
      best = [start, last + 1];
    }
  };
  for (let x = 0; x < w; x++) {
    let ink = false;
    for (let y = y0; y < y1 && !ink; y++) ink = ink_[y * w + x] === 1;
    if (!ink) continue;
    if (start < 0 || x - last > maxGap) {
      close();
      start = x;
    }
    last = x;
  }
  close();
  return best;
}

/**
 * Find the three MRZ text lines in a rectified card back whose lines do not sit in the layout's
 * fixed boxes — a card outline taken a few millimetres off leaves the rectified card skewed, and
 * each fixed 4 mm box then cuts across two printed lines. The zone around the layout's MRZ is
 * deskewed by the angle that makes its ink's row projection sharpest, then cut into its text
 * bands; the three lowest bands spaced like an MRZ (4.5 mm apart) are the lines. No OCR here:
 * the caller reads the crops and keeps them only if more check digits then hold.
 *
 * @param card - The rectified card side at the canonical scale (any channel count).
 * @param boxes - The layout's three MRZ line boxes (mm).
 * @returns The three line crops, or `undefined` when no three MRZ-like bands are found.
 */
export function findMrzLines(
  card: RasterImage,
  boxes: readonly [MmBox, MmBox, MmBox],
  options: FindMrzLinesOptions = {},
): FoundMrzLines | undefined {
  const ppm = options.pxPerMm ?? CANONICAL_PX_PER_MM;
  const maxSkew = ((options.maxSkewDeg ?? 12) * Math.PI) / 180;
  const top = boxes[0];
  const bottom = boxes[2];
  const zoneMm: MmBox = { x: top.x - 3, y: top.y - 8, w: top.w + 6, h: bottom.y + bottom.h - top.y + 16 };
  const z = mmBoxToPx(zoneMm, 0, ppm);
  const x0 = Math.max(0, z.x);
  const y0 = Math.max(0, z.y);
  const w = Math.min(card.width, z.x + z.width) - x0;
  const h = Math.min(card.height, z.y + z.height) - y0;
  if (w < 20 * ppm || h < 8 * ppm) return undefined;
  const zone = toGrey(crop(card, { x: x0, y: y0, width: w, height: h }));
  const zoneInk = inkMask(zone, ppm);
  // ink sampled on a 2-px grid (enough to rank angles)
  const xs = new Int32Array(Math.ceil(w / 2) * Math.ceil(h / 2));
  const ys = new Int32Array(xs.length);
  let count = 0;
  for (let y = 0; y < h; y += 2)
    for (let x = 0; x < w; x += 2)
      if (zoneInk[y * w + x] === 1) {
        xs[count] = x - w / 2;
        ys[count] = y;
        count++;
      }
  if (count < 100) return undefined;
  let bestAngle = 0;
  let bestQ = -1;
  const step = (0.25 * Math.PI) / 180;
  for (let a = -maxSkew; a <= maxSkew + 1e-9; a += step) {
    const q = projectionSharpness(xs, ys, count, a, h);
    if (q > bestQ) {
      bestQ = q;
      bestAngle = a;
    }
  }
  // turn the zone so the lines run level (about its centre)
  const c = Math.cos(bestAngle);
  const s = Math.sin(bestAngle);
  const cx = w / 2;
  const cy = h / 2;
  const level = warpAffine(zone, [c, s, cx - c * cx - s * cy, -s, c, cy + s * cx - c * cy], {
    width: w,
    height: h,
    fill: 255,
  });
  const levelInk = inkMask(level, ppm);
  const ink = new Float64Array(h);
  for (let y = 0; y < h; y++) {
    let n = 0;
    for (let x = 0; x < w; x++) n += levelInk[y * w + x] as number;
    ink[y] = n;
  }
  const peak = Math.max(...ink);
  if (peak <= 0) return undefined;
  // text bands: runs of rows with ink over a fifth of the fullest row
  const bands: { y0: number; y1: number }[] = [];
  for (let y = 0; y < h; ) {
    if ((ink[y] as number) < peak * 0.2) {
      y++;
      continue;
    }
    const start = y;
    while (y < h && (ink[y] as number) >= peak * 0.2) y++;
    if (y - start >= 1.2 * ppm && y - start <= 4.5 * ppm) bands.push({ y0: start, y1: y });
  }
  const pitch = (boxes[1].y - boxes[0].y) * ppm;
  const mid = (i: number) => {
    const q = bands[i] as { y0: number; y1: number };
    return (q.y0 + q.y1) / 2;
  };
  // the lowest three bands spaced like the MRZ's lines (the MRZ is the card's last text)
  let pick: [number, number, number] | undefined;
  for (let i = bands.length - 3; i >= 0 && !pick; i--) {
    const gaps = [mid(i + 1) - mid(i), mid(i + 2) - mid(i + 1)];
    if (gaps.every((g) => Math.abs(g - pitch) < 0.25 * pitch)) pick = [i, i + 1, i + 2];
  }
  if (!pick) return undefined;
  const half = Math.round(2.5 * ppm);
  const lines = pick.map((i) => {
    const b = bands[i] as { y0: number; y1: number };
    // the line as the layout's boxes cut it: 5 mm tall about the band's middle, across its ink
    const mid = Math.round((b.y0 + b.y1) / 2);
    const ya = Math.max(0, mid - half);
    const yb = Math.min(h, mid + half);
    const [xa, xb] = inkSpan(levelInk, w, b.y0, b.y1, 3 * ppm);
    const pad = Math.round(0.5 * ppm);
    const x = Math.max(0, xa - pad);
    return crop(level, { x, y: ya, width: Math.min(w, xb + pad) - x, height: yb - ya });
  }) as [RasterImage, RasterImage, RasterImage];
  return { lines, skewDeg: (bestAngle * 180) / Math.PI };
}
