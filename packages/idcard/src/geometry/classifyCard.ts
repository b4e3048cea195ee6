import type { RasterImage } from '@smart-citizen/image';
import type { CardSide, CardType } from '../cardTypes.js';
import type { CardLayout, MmBox } from '../layout/CardLayout.js';
import { CANONICAL_PX_PER_MM, CANONICAL_WIDTH } from '../layout/canonical.js';
import { allCardLayouts } from '../layout/layouts.js';
import { rotate180 } from './rectify.js';

const CELL_MM = 2;
/** Width of a printed character as a share of its line box height (measured on the generator's fonts). */
const TEXT_WIDTH_PER_CHAR = 0.5;
/** Whole-card scores closer than this go to the discriminating cells of the two best layouts. */
const DISCRIMINATE_BELOW = 0.12;
/** The discriminating correlation gap is reported on the scale of the whole-card margin. */
const DISCRIMINATE_MARGIN_SCALE = 0.25;
/**
 * Expected ink of a field label. Labels are small regular (not bold) text: on photos they
 * darken few pixels of their 2 mm cells, much less than the bold headers and titles. At 0.8
 * (the titles' weight) the bilingual labels of CCCD 2016 and Căn cước 2024, which are longer
 * than CMND 12's, dominated the cells that decide between those look-alikes and CCCD 2016
 * fronts went to CMND 12. Chosen on the tuning half of the bench set (165 sides, levels 0–4):
 * misclassified sides 11 at 0.8, 3 at 0.5, 2 at 0.2–0.4.
 */
const LABEL_INK = 0.3;
const GX = Math.floor(85.6 / CELL_MM);
const GY = Math.floor(53.98 / CELL_MM);

/** The layout a rectified card matches best, with its score and the runner-up's. */
export interface CardClassification {
  type: CardType;
  side: CardSide;
  /** The canonical image had to be turned by 180°. */
  turned: boolean;
  /** Correlation of the ink map with the layout (−1…1) minus the colour distance. */
  score: number;
  /** Best score minus the best score of another type/side. */
  margin: number;
  /** The best layout of another type/side (its whole-card score), when there is one. */
  runnerUp?: { type: CardType; side: CardSide; turned: boolean; score: number };
}

/** Where a layout expects ink (text, pictures, codes) on a {@link GX}×{@link GY} grid of 2 mm cells. */
function expectedInk(layout: CardLayout): Float32Array {
  const map = new Float32Array(GX * GY);
  const paint = (b: MmBox, v: number) => {
    for (let gy = Math.floor(b.y / CELL_MM); gy < Math.min(GY, Math.ceil((b.y + b.h) / CELL_MM)); gy++) {
      for (let gx = Math.floor(b.x / CELL_MM); gx < Math.min(GX, Math.ceil((b.x + b.w) / CELL_MM)); gx++) {
        map[gy * GX + gx] = Math.max(map[gy * GX + gx] as number, v);
      }
    }
  };
  // Printed text covers about half its height per character (Arimo/Tinos), not the whole box:
  // a centred header over a 54 mm box is 24–40 mm wide, and where it is decides between look-alikes.
  const textBox = (b: MmBox, text: string, align: 'left' | 'center' = 'left'): MmBox => {
    const w = Math.min(b.w, TEXT_WIDTH_PER_CHAR * b.h * [...text].length);
    return { ...b, x: align === 'center' ? b.x + (b.w - w) / 2 : b.x, w };
  };
  for (const t of layout.staticTexts) paint(textBox(t.box, t.text, t.align), 0.8);
  for (const f of layout.fields) {
    if (f.label) paint(textBox(f.label.box, f.label.text), LABEL_INK);
    // Values vary in length: expect ink over the first third of each line box.
    for (const l of f.lines) paint({ ...l, w: l.w / 3 }, 0.5);
  }
  for (const k of ['emblem', 'portrait', 'qr', 'pdf417', 'chip'] as const) {
    const b = layout[k];
    if (b) paint(b, 1);
  }
  if (layout.fingerprints) {
    paint(layout.fingerprints.leftIndex, 1);
    paint(layout.fingerprints.rightIndex, 1);
  }
  for (const b of layout.mrz ?? []) paint({ ...b, w: 76 }, 1);
  return map;
}

const expectedMaps = new Map(allCardLayouts.map((l) => [l, expectedInk(l)]));

/** Share of "ink" pixels per 2 mm cell: darker than the local background, or strongly coloured. */
export function inkMap(card: RasterImage): Float32Array {
  const { width: W, height: H, channels: ch, data } = card;
  const grey = new Float32Array(W * H);
  for (let i = 0; i < W * H; i++)
    grey[i] =
      ch >= 3
        ? 0.299 * (data[i * ch] as number) + 0.587 * (data[i * ch + 1] as number) + 0.114 * (data[i * ch + 2] as number)
        : (data[i] as number);
  // Local background: the 80th percentile of each cell's 3×3 neighbourhood of cells.
  // a card warped at another scale than the canonical one (a cheaper look at a candidate outline:
  // `chooseOutlineByLayout`) keeps its 2 mm cells and about the same samples per cell
  const cellPx = Math.round((CELL_MM * CANONICAL_PX_PER_MM * W) / CANONICAL_WIDTH);
  const brightStep = Math.max(1, Math.round(cellPx / 8));
  const inkStep = Math.max(1, Math.round(cellPx / 12));
  const bright = new Float32Array(GX * GY);
  for (let gy = 0; gy < GY; gy++) {
    for (let gx = 0; gx < GX; gx++) {
      const vals: number[] = [];
      for (let y = gy * cellPx; y < (gy + 1) * cellPx && y < H; y += brightStep)
        for (let x = gx * cellPx; x < (gx + 1) * cellPx && x < W; x += brightStep) vals.push(grey[y * W + x] as number);
      vals.sort((a, b) => a - b);
      bright[gy * GX + gx] = vals[Math.floor(vals.length * 0.9)] ?? 255;
    }
  }
  const map = new Float32Array(GX * GY);
  for (let gy = 0; gy < GY; gy++) {
    for (let gx = 0; gx < GX; gx++) {
      let bg = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          bg = Math.max(
            bg,
            bright[Math.min(GY - 1, Math.max(0, gy + dy)) * GX + Math.min(GX - 1, Math.max(0, gx + dx))] as number,
          );
      let ink = 0;
      let n = 0;
      for (let y = gy * cellPx; y < (gy + 1) * cellPx && y < H; y += inkStep) {
        for (let x = gx * cellPx; x < (gx + 1) * cellPx && x < W; x += inkStep) {
          n++;
          if ((grey[y * W + x] as number) < bg * 0.72) ink++;
        }
      }
      map[gy * GX + gx] = n ? ink / n : 0;
    }
  }
  return map;
}

function correlation(a: Float32Array, b: Float32Array, mask?: Uint8Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    ma += a[i] as number;
    mb += b[i] as number;
    m++;
  }
  if (m < 2) return 0;
  ma /= m;
  mb /= m;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    if (mask && !mask[i]) continue;
    const da = (a[i] as number) - ma;
    const db = (b[i] as number) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Chromaticity (r, b over the sum) of the brightest quarter of the card: the card stock, not the ink. */
function paperChroma(card: RasterImage): [number, number] {
  const { width: W, height: H, channels: ch, data } = card;
  if (ch < 3) return [1 / 3, 1 / 3];
  const samples: [number, number, number][] = [];
  for (let y = 4; y < H; y += 9)
    for (let x = 4; x < W; x += 9) {
      const i = (y * W + x) * ch;
      samples.push([data[i] as number, data[i + 1] as number, data[i + 2] as number]);
    }
  samples.sort((a, b) => b[0] + b[1] + b[2] - (a[0] + a[1] + a[2]));
  const top = samples.slice(Math.floor(samples.length * 0.05), Math.floor(samples.length * 0.3));
  let r = 0;
  let g = 0;
  let b = 0;
  for (const [rr, gg, bb] of top) {
    r += rr;
    g += gg;
    b += bb;
  }
  const s = r + g + b || 1;
  return [r / s, b / s];
}

const runnerUp = (c: CardClassification): NonNullable<CardClassification['runnerUp']> => ({
  type: c.type,
  side: c.side,
  turned: c.turned,
  score: c.score,
});

/**
 * Which card type and side a rectified card is, and whether it is upside down: the ink map
 * (2 mm cells) is correlated with where each layout prints text, pictures and codes, for the
 * card as warped and turned by 180°; the paper's colour separates layouts that print alike.
 *
 * @param card - Rectified card (canonical size, or the same frame at another scale: the 2 mm cells follow its width).
 * @param turnedCard - The same turned by 180°.
 */
export function classifyCard(card: RasterImage, turnedCard: RasterImage): CardClassification {
  const candidates: (CardClassification & { layout: CardLayout; ink: Float32Array })[] = [];
  for (const [turned, img] of [
    [false, card],
    [true, turnedCard],
  ] as const) {
    const ink = inkMap(img);
    const [cr, cb] = paperChroma(img);
    for (const layout of allCardLayouts) {
      const bg = layout.background;
      const s = bg[0] + bg[1] + bg[2];
      const colourDistance = Math.hypot(cr - bg[0] / s, cb - bg[2] / s);
      const score = correlation(ink, expectedMaps.get(layout) as Float32Array) - 3 * colourDistance;
      candidates.push({ type: layout.type, side: layout.side, turned, score, margin: 0, layout, ink });
    }
  }
  candidates.sort((a, b) => b.score - a.score);
  let best = candidates[0] as (typeof candidates)[number];
  let other = candidates.find((c) => c.type !== best.type || c.side !== best.side);
  // Look-alike fronts (CMND 12, CCCD 2016/2021, Căn cước 2024 print one grid): between the two
  // best layouts, only the cells where they expect different ink (headers, titles, label
  // lengths, QR, chip) decide; the whole-card score hardly moves with those few cells.
  if (other && other.turned === best.turned && best.score - other.score < DISCRIMINATE_BELOW) {
    const ea = expectedMaps.get(best.layout) as Float32Array;
    const eb = expectedMaps.get(other.layout) as Float32Array;
    const mask = new Uint8Array(ea.length);
    for (let i = 0; i < ea.length; i++) mask[i] = Math.abs((ea[i] as number) - (eb[i] as number)) >= 0.3 ? 1 : 0;
    const ca = correlation(best.ink, ea, mask);
    const cb = correlation(best.ink, eb, mask);
    if (cb > ca) [best, other] = [other, best];
    const { layout: _l, ink: _i, ...b } = best;
    return { ...b, margin: Math.abs(ca - cb) * DISCRIMINATE_MARGIN_SCALE, runnerUp: runnerUp(other) };
  }
  const { layout: _l, ink: _i, ...b } = best;
  return { ...b, margin: best.score - (other?.score ?? -1), ...(other ? { runnerUp: runnerUp(other) } : {}) };
}

/**
 * How much a warped card (at any scale) looks like its best layout, either way up: the score of
 * {@link classifyCard} with the card turned by 180° as the other candidate.
 */
export function layoutScore(card: RasterImage): number {
  return classifyCard(card, rotate180(card)).score;
}
