import { applyHomography, type Matrix3x3, type Point, type RasterImage } from '@smart-citizen/image';
import { ID1_HEIGHT_MM, ID1_WIDTH_MM } from '../cardTypes.js';
import type { CardLayout, MmBox } from '../layout/CardLayout.js';
import { CANONICAL_HEIGHT, CANONICAL_PX_PER_MM, CANONICAL_WIDTH } from '../layout/canonical.js';
import type { Quad } from './findCardQuad.js';
import { rectifyCard } from './rectify.js';
import { layoutScore } from './classifyCard.js';

/** Boxes nearer a card edge than this are taken as possible false edges. */
const NEAR_EDGE_MM = 8;
/** A box must run along this much of the edge for its border to pass for the card's edge. */
const MIN_RUN_MM = 15;
/** The checks run on half-size warps (6 px/mm), a quarter of the pixels. */
const CHECK_SCALE = 0.5;
/** A pixel within this RGB distance of the card stock's colour counts as plain card. */
const PAPER_DISTANCE = 45;
/**
 * A side is moved when the margin between it and the box holds at most this share of plain
 * card as the outline stands… (chosen on the tuning half of the level-2 bench set and on
 * generated fronts with the outline put on the portrait's border: see the package README)
 */
export const MARGIN_PAPER_BEFORE = 0.4;
/** …and at least this share once the side is moved out. */
export const MARGIN_PAPER_AFTER = 0.6;

type Edge = 'left' | 'right' | 'top' | 'bottom';

/** The result of {@link registerToLayout}: the card as before, or re-cut with one side moved out. */
export interface Registration {
  quad: Quad;
  image: RasterImage;
  toPhoto: Matrix3x3;
  /** The side that was moved outward and by how many millimetres. */
  moved?: { edge: Edge; mm: number };
}

export interface Hypothesis {
  edge: Edge;
  /** How far the box's border is from the card's edge. */
  mm: number;
  box: MmBox;
}

/** Picture boxes near a card edge whose border runs along it: each a possible false edge. */
/** @internal */
export function falseEdgeHypotheses(layout: CardLayout): Hypothesis[] {
  const boxes: MmBox[] = [];
  for (const k of ['portrait', 'qr', 'pdf417', 'chip', 'emblem'] as const) {
    const b = layout[k];
    if (b) boxes.push(b);
  }
  if (layout.fingerprints) boxes.push(layout.fingerprints.leftIndex, layout.fingerprints.rightIndex);
  const out: Hypothesis[] = [];
  const push = (edge: Edge, mm: number, box: MmBox) => {
    if (mm > 1 && mm <= NEAR_EDGE_MM && !out.some((o) => o.edge === edge && Math.abs(o.mm - mm) < 0.5))
      out.push({ edge, mm, box });
  };
  for (const b of boxes) {
    if (b.h >= MIN_RUN_MM) {
      push('left', b.x, b);
      push('right', ID1_WIDTH_MM - (b.x + b.w), b);
    }
    if (b.w >= MIN_RUN_MM) {
      push('top', b.y, b);
      push('bottom', ID1_HEIGHT_MM - (b.y + b.h), b);
    }
  }
  return out;
}

/** The card's corners (top-left first) with one side moved outward by `mm`, in photo pixels. */
/** @internal */
export function movedQuad(toPhoto: Matrix3x3, edge: Edge, mm: number): Quad {
  const d = mm * CANONICAL_PX_PER_MM;
  const x0 = edge === 'left' ? -d : 0;
  const x1 = CANONICAL_WIDTH + (edge === 'right' ? d : 0);
  const y0 = edge === 'top' ? -d : 0;
  const y1 = CANONICAL_HEIGHT + (edge === 'bottom' ? d : 0);
  const corners: Point[] = [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ];
  return corners.map((p) => applyHomography(toPhoto, p)) as Quad;
}

/** The card stock's colour: the mean of the brightest quarter of samples (after the brightest 5 %, glare). */
export function paperColour(card: RasterImage): [number, number, number] {
  const { width: W, height: H, channels: ch, data } = card;
  const samples: number[] = [];
  for (let y = 2; y < H; y += 5) for (let x = 2; x < W; x += 5) samples.push((y * W + x) * ch);
  const sum = (i: number) => (data[i] as number) + (data[i + 1] as number) + (data[i + 2] as number);
  samples.sort((a, b) => sum(b) - sum(a));
  const top = samples.slice(Math.floor(samples.length * 0.05), Math.floor(samples.length * 0.3));
  const out: [number, number, number] = [0, 0, 0];
  for (const i of top) {
    out[0] += data[i] as number;
    out[1] += data[i + 1] as number;
    out[2] += data[i + 2] as number;
  }
  return out.map((v) => v / Math.max(1, top.length)) as [number, number, number];
}

/**
 * Share of card-stock pixels in the margin the layout puts between the card's edge and the
 * box (its middle 80 % along the edge, 0.4 mm kept off both ends across it): where the outline
 * is right the margin is plain card; where the outline lies on the box's border, the warped
 * card shows the box there, and where it lies outside the card, the table.
 */
export function marginPaperShare(card: RasterImage, h: Hypothesis, paper: readonly number[]): number {
  const s = (CANONICAL_PX_PER_MM * card.width) / CANONICAL_WIDTH;
  const vertical = h.edge === 'left' || h.edge === 'right';
  const [a0, a1] = vertical ? [h.box.y, h.box.y + h.box.h] : [h.box.x, h.box.x + h.box.w];
  const along = [Math.round((a0 + 0.1 * (a1 - a0)) * s), Math.round((a1 - 0.1 * (a1 - a0)) * s)] as const;
  const size = vertical ? card.width : card.height;
  const lo = Math.round(0.4 * s);
  const hi = Math.round((h.mm - 0.4) * s);
  const across = h.edge === 'left' || h.edge === 'top' ? [lo, hi] : [size - hi, size - lo];
  const { width: W, channels: ch, data } = card;
  let n = 0;
  let ok = 0;
  for (let v = along[0]; v < along[1]; v++) {
    for (let u = across[0] as number; u < (across[1] as number); u++) {
      const i = ((vertical ? v : u) * W + (vertical ? u : v)) * ch;
      const d = Math.hypot(
        (data[i] as number) - (paper[0] as number),
        (data[i + 1] as number) - (paper[1] as number),
        (data[i + 2] as number) - (paper[2] as number),
      );
      n++;
      if (d < PAPER_DISTANCE) ok++;
    }
  }
  return n ? ok / n : 0;
}

/**
 * Check the outline against the layout of the card it was classified as. A portrait,
 * fingerprint box or code printed a few millimetres from the card's edge has a straight,
 * high-contrast border; where the card's own edge is faint (a pale card on pale paper) the
 * outline finder takes that border for the edge, and every value line is then cut a few
 * millimetres short on that side. For each such box, the side is moved out to where the layout
 * puts the card's edge, and kept there when the box's border then stands at its place in the
 * layout clearly better: the margin the layout puts between the edge and the box was not plain
 * card before the move ({@link MARGIN_PAPER_BEFORE}) and is after it ({@link MARGIN_PAPER_AFTER}).
 *
 * @param img - The photo.
 * @param quad - The card's corners in the photo, in the card's own order (top-left first).
 * @param card - The card rectified from `quad`.
 * @param toPhoto - Canonical → photo homography of `card`.
 * @param layout - The layout the card was classified as.
 */
export function registerToLayout(
  img: RasterImage,
  quad: Quad,
  card: RasterImage,
  toPhoto: Matrix3x3,
  layout: CardLayout,
): Registration {
  const hypotheses = falseEdgeHypotheses(layout)
    .map((h) => ({ ...h, quad: movedQuad(toPhoto, h.edge, h.mm) }))
    .filter((h) => h.quad.every((p) => p.x >= 0 && p.y >= 0 && p.x <= img.width - 1 && p.y <= img.height - 1));
  if (hypotheses.length === 0) return { quad, image: card, toPhoto };
  const small = (q: Quad) => rectifyCard(img, q, false, CHECK_SCALE).image;
  const now = small(quad);
  const paper = paperColour(now);
  let best: { after: number; h?: (typeof hypotheses)[number]; moved?: RasterImage } = { after: MARGIN_PAPER_AFTER };
  for (const h of hypotheses) {
    if (marginPaperShare(now, h, paper) > MARGIN_PAPER_BEFORE) continue;
    const moved = small(h.quad);
    const after = marginPaperShare(moved, h, paper);
    if (after > best.after) best = { after, h, moved };
  }
  if (!best.h || !best.moved) return { quad, image: card, toPhoto };
  // the margin can be plain "card" by chance (a pale sheet just where the moved side puts it): a move
  // that makes the card look less like a card (its layout score lower) is no correction (session 14)
  if (layoutScore(best.moved) < layoutScore(now)) return { quad, image: card, toPhoto };
  const r = rectifyCard(img, best.h.quad);
  return { quad: best.h.quad, image: r.image, toPhoto: r.toPhoto, moved: { edge: best.h.edge, mm: best.h.mm } };
}
