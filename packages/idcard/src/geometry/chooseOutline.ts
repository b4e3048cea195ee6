import type { Point, RasterImage } from '@smart-citizen/image';
import { type CardClassification, classifyCard, layoutScore } from './classifyCard.js';
import {
  edgesRunOn,
  type FindCardResult,
  insideOutlines,
  findCardQuadWithHiddenLines,
  outlineDoubts,
  peeledOutlines,
  polygonArea,
  type Quad,
  shiftedOutlines,
  sidesNear,
  wellInsidePhoto,
} from './findCardQuad.js';
import { findMrzBlock } from './findMrzBlock.js';
import { type RectifiedCard, rectifyCard, rotate180 } from './rectify.js';

/**
 * How much better a runner-up outline's card must match its layout to replace the winner of the
 * edges (tuning halves of seeds 2 and 3, seeds 8 and 9, level 2; session 13).
 */
export const LAYOUT_GAIN = 0.05;
/**
 * A candidate replaces the edges' outline only when its card looks clearly like a card: right
 * outlines score 0.38–0.75 on the tuning data (seeds 2, 8–12, level 2), and an unknown card's
 * outline moved onto a line of its print scored 0.29 as another card type (session 14).
 */
export const REPLACE_MIN = 0.35;
/** Below this layout score of the edges' outline, its runners-up are tried (at or above it none won on the tuning data). */
export const ALTERNATIVES_BELOW = 0.6;
/**
 * Below this layout score, outlines with one side moved (`shiftedOutlines`) are tried too. 0.5 in
 * session 13's first change; 0.55 since a CCCD 2016 front cut along a text line scored 0.526 as a
 * Căn cước 2024 front (the three layouts that share a grid score a cut card alike; seed 10).
 */
export const SHIFT_BELOW = 0.55;

/**
 * A peeled outline (`peeledOutlines`: the card's own edge found inside the sides at a corner off
 * the card) with every corner on the card replaces the off-card outline it came from when its
 * layout score is at most this much lower: the two differ by a strip of a few millimetres, which
 * 2 mm ink cells hardly tell, and the colours already say which is the card.
 */
export const PEEL_TOLERANCE = 0.02;
/** `rank` of the first peeled outline (past every runner-up and moved side). */
const PEELED_RANK = 100;

/** An outline with its card warped and classified. */
export interface ClassifiedOutline {
  quad: Quad;
  rect: RectifiedCard;
  /** `rect.image` turned by 180°. */
  turnedImage: RasterImage;
  cls: CardClassification;
  /** 0 for the outline the edges chose, i for its i-th runner-up. */
  rank: number;
}

/** Moved-side outlines classified in full after the half-size look at each (`shiftedOutlines` offers up to 9: two per side and the outermost). */
export const SHIFTED_IN_FULL = 2;

/** The layout score of an outline's card warped at half size (a quarter of the pixels). */
function glance(img: RasterImage, quad: Quad): number {
  return layoutScore(rectifyCard(img, quad, false, 0.5).image);
}

function classified(img: RasterImage, quad: Quad, rank: number): ClassifiedOutline {
  const rect = rectifyCard(img, quad);
  const turnedImage = rotate180(rect.image);
  return { quad, rect, turnedImage, cls: classifyCard(rect.image, turnedImage), rank };
}

/**
 * Of the outline the edges chose and its runners-up, the one whose card looks most like a card:
 * an outline with a side through the card (a portrait's or a text line's border) cuts off a strip
 * of the print, and one that took a sheet of paper's edge for a side adds a blank strip, so either
 * moves every printed box away from where the layout puts it. Runners-up are looked at when the
 * first outline scores below {@link ALTERNATIVES_BELOW}, outlines with one side moved when the
 * best so far scores below {@link SHIFT_BELOW} (up to two per side and the outermost: each looked
 * at on a half-size warp, the {@link SHIFTED_IN_FULL} best classified in full); one replaces the
 * first outline only when its layout score is higher by at least {@link LAYOUT_GAIN} and at least
 * {@link REPLACE_MIN}. Session 15 (`outlineDoubts`): when the first outline has a corner off the
 * card (a sheet's edge a few millimetres beside the card taken for a side), its runners-up and moved
 * sides are looked at whatever its score, and one with every corner on the card replaces it when it
 * scores higher at all; moved sides are also looked at when a side may run through the print. Most
 * photos pay for nothing more; each outline classified in full costs a
 * warp and a classification (about 50 ms of CPU), a half-size look about a quarter of that.
 *
 * @param img - The photo.
 * @param quad - The outline the edges chose.
 * @param alternatives - Its runners-up (`findCardQuad`'s `alternatives`).
 */
export function chooseOutlineByLayout(
  img: RasterImage,
  quad: Quad,
  alternatives: readonly Quad[],
  { shift = true }: { shift?: boolean } = {},
): ClassifiedOutline {
  let best = classified(img, quad, 0);
  const first = best.cls.score;
  // a corner off the card: the edges took the edge of a sheet lying beside the card for a side
  const doubts = outlineDoubts(img, quad);
  const offCard = doubts.offCard > 0;
  let bestOffCard = offCard;
  const tryAll = (qs: readonly Quad[], rank0: number) => {
    for (const [i, q] of qs.entries()) {
      const c = classified(img, q, rank0 + i);
      if (c.cls.score <= best.cls.score) continue;
      // against an outline with a corner off the card, one with every corner on it need not score
      // clearly higher: its side lies a few millimetres from the sheet's, which 2 mm ink cells hardly tell
      const qOffCard = outlineDoubts(img, q).offCard > 0;
      // an outline with every corner on the card that looks like a card is not given up for one with a corner off it
      if (!offCard && qOffCard && first >= REPLACE_MIN) continue;
      const onCard = offCard && !qOffCard;
      if (c.cls.score >= Math.max(first + (onCard ? 0 : LAYOUT_GAIN), REPLACE_MIN)) {
        best = c;
        // the outline taken may itself have a corner off the card (a runner-up that replaced a first
        // outline not like a card at all): its sides are then moved and peeled too (session 17)
        bestOffCard = qOffCard;
      }
    }
  };
  if (first < ALTERNATIVES_BELOW || offCard) tryAll(alternatives, 1);
  // a side that may run through the print is looked at again too, however card-like the card looks
  if (
    shift &&
    (best.cls.score < SHIFT_BELOW ||
      bestOffCard ||
      (best.rank === 0 ? doubts : outlineDoubts(img, best.quad)).inner > 0)
  ) {
    // many moved sides: a look at each on a half-size warp, the most card-like few warped in full.
    // When a runner-up replaced the edges' outline, the moved sides of both: a runner-up that
    // scores higher than an outline with one side on the print can be another look-alike layout's
    // fit (session 16: a CMND 9 front, its side along the emblem and portrait, 0.31; a runner-up
    // 4 mm off, 0.44 as a Căn cước 2024 front; the first outline's moved side, 0.69, right)
    const bases = best.rank === 0 ? [best.quad] : [best.quad, quad];
    const moved = bases
      .flatMap((b) => shiftedOutlines(img, b))
      .map((q, i) => ({ q, i, score: glance(img, q) }))
      .sort((u, v) => v.score - u.score)
      .slice(0, SHIFTED_IN_FULL);
    for (const m of moved) tryAll([m.q], 1 + alternatives.length + m.i);
  }
  // still a corner off the card: the card's own edge inside the sides at it, however faint
  if (bestOffCard) {
    const from = best;
    const peeled = peeledOutlines(img, from.quad)
      .map((q, i) => ({ q, i }))
      .filter((p) => outlineDoubts(img, p.q).offCard === 0)
      .map((p) => ({ ...p, score: glance(img, p.q) }))
      .sort((u, v) => v.score - u.score)
      .slice(0, SHIFTED_IN_FULL);
    for (const p of peeled) {
      const c = classified(img, p.q, PEELED_RANK + p.i);
      if (
        c.cls.score >= Math.max(from.cls.score - PEEL_TOLERANCE, REPLACE_MIN) &&
        (best === from || c.cls.score > best.cls.score)
      )
        best = c;
    }
  }
  return best;
}

/**
 * A second look for a photo whose outline came to nothing — `findCardQuad` cut off, or
 * `chooseOutlineByLayout`'s card below {@link REPLACE_MIN}: the outline again with the Hough lines
 * that stronger lines hid (`findCardQuadWithHiddenLines`: a card's edge a few pixels beside a
 * sheet's edge that drew more votes), chosen by layout the same way. `undefined` when no line was
 * hidden, no card outline is found with them, or its card scores below {@link REPLACE_MIN}.
 *
 * @param img - The photo.
 */
export function secondOutlineLook(
  img: RasterImage,
): { found: Extract<FindCardResult, { status: 'found' }>; chosen: ClassifiedOutline } | undefined {
  const found = findCardQuadWithHiddenLines(img);
  if (found?.status !== 'found') return undefined;
  const chosen = chooseOutlineByLayout(img, found.quad, found.alternatives);
  return chosen.cls.score >= REPLACE_MIN ? { found, chosen } : undefined;
}

/**
 * An outline from {@link insideOutlineLook} whose adjacent sides' edges run on past a side by this
 * much support (`edgesRunOn`) is a line of the print of a card that runs off the photo: the whole
 * cards a sheet touched on the tuning data have 0.00, outlines inside generated cards cut by the
 * photo 0.32–0.77 (session 18).
 */
const RUN_ON_MAX = 0.25;
/**
 * An outline from {@link insideOutlineLook} covers at least this share of the cut-off outline's
 * area: the cards a sheet touched cover 0.65–1.3 of theirs on the tuning data, a box printed on a
 * card that runs off the photo (a back's fingerprint box, 0.25) much less (session 18).
 */
const INSIDE_MIN_AREA = 0.5;

/**
 * The last look before a photo is reported cut off (`findCardQuad` and {@link secondOutlineLook}
 * both closed the outline on a side of the photo): outlines that need no side of the photo
 * (`insideOutlines`: of four Hough lines, or of three and the card's faint fourth edge), each looked
 * at on a half-size warp, the best chosen by layout as the edges' outline is. A grey sheet
 * overlapping or touching a whole card joins the card's edges to its own edge or the photo's, and
 * that outline out-scores the card's (session 18). Taken only when its card scores at least
 * {@link REPLACE_MIN}, every corner lies well inside the photo (`wellInsidePhoto`), the card's
 * edges do not run on past any side (`edgesRunOn` below {@link RUN_ON_MAX}) and it covers at least
 * {@link INSIDE_MIN_AREA} of the cut-off outline: a card that really runs off the photo leaves
 * outlines of its print, which some layouts fit at 0.4–0.6. `undefined` otherwise.
 *
 * @param img - The photo.
 * @param cutOff - The outline that needed a side of the photo.
 */
export function insideOutlineLook(img: RasterImage, cutOff: Quad): ClassifiedOutline | undefined {
  const looked = insideOutlines(img)
    .map((q) => ({ q, score: glance(img, q) }))
    .sort((u, v) => v.score - u.score);
  const first = looked[0];
  if (!first) return undefined;
  const chosen = chooseOutlineByLayout(
    img,
    first.q,
    looked.slice(1, 1 + SHIFTED_IN_FULL).map((l) => l.q),
  );
  const whole =
    wellInsidePhoto(img, chosen.quad) &&
    edgesRunOn(img, chosen.quad) < RUN_ON_MAX &&
    polygonArea(chosen.quad) >= INSIDE_MIN_AREA * polygonArea(cutOff);
  return whole && chosen.cls.score >= REPLACE_MIN ? chosen : undefined;
}

/** How far the card's top and right sides may lie from where the MRZ puts them (mm): the MRZ's 9 mm of height fix the scale to a few per cent, and the photo's perspective moves a corner several millimetres more. */
const FROM_MRZ_FAR_MM = 20;
/** How far its bottom and left sides may (mm): they lie 1.4 and 3 mm from the MRZ's lines. */
const FROM_MRZ_NEAR_MM = 3;
/** `rank` of an outline derived from the MRZ. */
const FROM_MRZ_RANK = 200;

/**
 * Card outlines derived from the card's machine-readable zone, found in the photo without any
 * outline (`findMrzBlock`): for a photo whose outline came to nothing (cut off, no card, a sheet
 * taken for the card, or an outline not like a card). The MRZ places the card to a millimetre or
 * two at its bottom-left and to 5–20 mm at its top-right (its lines' spacing gives the scale, and
 * the photo's perspective is not in 9 mm of height); each side is then taken either where the MRZ
 * puts it or on a nearby line of the photo's edges (`sidesNear`) — the top and right sides
 * together, then each side once more — keeping the choice whose card looks more like a card
 * (half-size warps). One outline for each way up of the block, the likelier first (`findMrzBlock`'s
 * order), each searched only when asked for; none when the photo has no MRZ-like block. The caller
 * decides whether to take one (the reader: only when its MRZ then holds).
 *
 * @param img - The photo.
 */
export function* outlinesFromMrz(img: RasterImage): Generator<ClassifiedOutline> {
  const block = findMrzBlock(img);
  if (!block) return;
  const far = FROM_MRZ_FAR_MM * block.pxPerMm;
  const near = FROM_MRZ_NEAR_MM * block.pxPerMm;
  for (const [k, placed] of block.quads.entries()) {
    // sides: top, right, bottom, left (the card's own order)
    const sides = sidesNear(img, placed, [far, far, near, 3 * near], [8, 14, 4, 14], [4, 4, 2, 2]);
    let pick = [0, 0, 0, 0];
    let best = { q: placed, score: glance(img, placed) };
    const tryPick = (trial: number[]) => {
      const q = sides.quad(trial);
      if (!q) return;
      const score = glance(img, q);
      if (score > best.score) {
        best = { q, score };
        pick = trial;
      }
    };
    // the far sides together (under perspective the top need not run along the MRZ: a right side
    // moved alone onto the card's edge may score lower while the top is still off), then each side once more
    for (let t = 0; t < (sides.options[0] as number); t++)
      for (let r = 0; r < (sides.options[1] as number); r++) if (t + r > 0) tryPick([t, r, 0, 0]);
    for (const s of [2, 3, 0, 1])
      for (let o = 0; o < (sides.options[s] as number); o++)
        if (o !== pick[s]) tryPick(pick.map((p, i) => (i === s ? o : p)));
    yield classified(img, best.q, FROM_MRZ_RANK + k);
  }
}

/** How many outlines besides the chosen one {@link otherOutlines} offers (each is read in full by the caller). */
export const OTHER_OUTLINES = 3;

/** Outlines whose corners all lie within this share of the card's long side count as one. */
const SAME_OUTLINE = 0.01;

/**
 * Outlines other than the one chosen by layout, for a side whose reading under it is implausible
 * (an outline a few millimetres off scores like a right one): the edges' outline and its
 * runners-up, the chosen outline with one side moved or peeled, and the outline of the second look
 * (`secondOutlineLook`); each looked at on a half-size warp, the {@link OTHER_OUTLINES} best that
 * differ from the chosen one classified in full, best layout score first, none below
 * {@link REPLACE_MIN}.
 *
 * @param img - The photo.
 * @param quad - The outline the edges chose.
 * @param alternatives - Its runners-up (`findCardQuad`'s `alternatives`).
 * @param chosen - The outline the side was read within.
 */
export function otherOutlines(
  img: RasterImage,
  quad: Quad,
  alternatives: readonly Quad[],
  chosen: ClassifiedOutline,
): ClassifiedOutline[] {
  const c = chosen.quad;
  const tol =
    SAME_OUTLINE * Math.max(Math.hypot(c[1].x - c[0].x, c[1].y - c[0].y), Math.hypot(c[2].x - c[1].x, c[2].y - c[1].y));
  const same = (a: Quad, b: Quad) =>
    a.every((p, i) => Math.hypot(p.x - (b[i] as Point).x, p.y - (b[i] as Point).y) <= tol);
  const pool: Quad[] = [];
  const second = findCardQuadWithHiddenLines(img);
  const offer = (qs: readonly Quad[]) => {
    for (const q of qs) if (!same(q, c) && !pool.some((p) => same(p, q))) pool.push(q);
  };
  offer([quad, ...alternatives, ...shiftedOutlines(img, c), ...peeledOutlines(img, c)]);
  if (second?.status === 'found') offer([second.quad, ...second.alternatives]);
  return pool
    .map((q, i) => ({ q, i, score: glance(img, q) }))
    .sort((u, v) => v.score - u.score)
    .slice(0, OTHER_OUTLINES)
    .map((p) => classified(img, p.q, OTHER_RANK + p.i))
    .filter((o) => o.cls.score >= REPLACE_MIN)
    .sort((u, v) => v.cls.score - u.cls.score);
}

/** `rank` of the first of {@link otherOutlines}. */
const OTHER_RANK = 300;
