import { createRng } from '@smart-citizen/core';
import type { Point, RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { generateCardSide, loadGeneratorData } from '../testing/index.js';
import { chooseOutlineByLayout, REPLACE_MIN } from './chooseOutline.js';
import { outlineDoubts, peeledOutlines, type Quad } from './findCardQuad.js';

/** A generated CCCD 2021 front pasted square-on at (120, 150) on a dark red table (1280×960 unless said), and its outline. */
async function cardOnTable(width = 1280, height = 960): Promise<{ img: RasterImage; card: Quad }> {
  const data = await loadGeneratorData(undefined);
  const { card } = await generateCardSide('cccd-2021', 'front', data, createRng(11));
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) out.set([120, 30, 40], i * 3);
  const src = card.image;
  for (let y = 0; y < src.height; y++)
    for (let x = 0; x < src.width; x++) {
      const k = (y * src.width + x) * src.channels;
      out.set(
        [src.data[k] as number, src.data[k + 1] as number, src.data[k + 2] as number],
        ((y + 150) * width + x + 120) * 3,
      );
    }
  const r = 120 + src.width;
  const b = 150 + src.height;
  return {
    img: { width, height, channels: 3, data: out },
    card: [
      { x: 120, y: 150 },
      { x: r, y: 150 },
      { x: r, y: b },
      { x: 120, y: b },
    ],
  };
}

/** The outline with its bottom side on a line 9 mm (108 px) inside the card: the lower text lines and the portrait's foot cut off. */
const cutShort = (q: Quad): Quad => [q[0], q[1], { x: q[2].x, y: q[2].y - 108 }, { x: q[3].x, y: q[3].y - 108 }];

const worstCorner = (a: Quad, b: Quad) =>
  Math.max(...a.map((p, i) => Math.hypot(p.x - (b[i] as Point).x, p.y - (b[i] as Point).y)));

/**
 * The card on its table with a pale grey sheet under its right side: the sheet's left edge runs
 * 3 mm (36 px) right of the card's edge, from 150 px below the card's top to beyond its bottom.
 * Returns the outline that takes the sheet's edge for the card's right side: its top-right corner
 * lies on the table, above the sheet.
 */
function sheetBeside(img: RasterImage, card: Quad): Quad {
  const x0 = card[1].x + 36;
  for (let y = card[1].y + 150; y < card[2].y + 120; y++)
    for (let x = card[1].x; x < x0 + 300; x++) if (x >= x0) img.data.set([200, 200, 198], (y * img.width + x) * 3);
  // the strip between the card and the sheet's edge is the sheet's too (the card lies on it)
  for (let y = card[1].y + 150; y < card[2].y + 120; y++)
    for (let x = card[1].x; x < x0; x++) img.data.set([200, 200, 198], (y * img.width + x) * 3);
  return [card[0], { x: x0, y: card[1].y }, { x: x0, y: card[2].y }, card[3]];
}

/**
 * The card on its table with a pale grey sheet under its top-left: the sheet's edges run 3 mm
 * (36 px) above the card's top and left of its left side, and end 500 px right of the card's left
 * side and 300 px below its top. Returns the outline that takes both of the sheet's edges for the
 * card's sides: its top-right and bottom-left corners lie on the table.
 */
function sheetUnderTwoSides(img: RasterImage, card: Quad): Quad {
  const [l, t, r, b] = [card[0].x, card[0].y, card[2].x, card[2].y];
  for (let y = t - 36; y < t + 300; y++)
    for (let x = l - 36; x < l + 500; x++)
      if (x < l || y < t || x >= r || y >= b) img.data.set([200, 200, 198], (y * img.width + x) * 3);
  return [
    { x: l - 36, y: t - 36 },
    { x: r, y: t - 36 },
    { x: r, y: b },
    { x: l - 36, y: b },
  ];
}

/**
 * The card on its table with a pale grey sheet under its right side whose left edge runs `gap` px
 * right of the card's edge, from the card's top to beyond its bottom, and a strip of the sheet
 * along the card's edge (the card lies on it). Returns the outline that takes the sheet's edge for
 * the card's right side: its bottom-right corner lies on the table, below the sheet.
 */
function wideSheetBeside(img: RasterImage, card: Quad, gap: number): Quad {
  for (let y = card[1].y - 40; y < card[2].y - 100; y++)
    for (let x = card[1].x; x < card[1].x + gap + 200; x++) img.data.set([196, 198, 200], (y * img.width + x) * 3);
  return [card[0], { x: card[1].x + gap, y: card[1].y }, { x: card[2].x + gap, y: card[2].y }, card[3]];
}

describe('chooseOutlineByLayout', () => {
  it("finds the card's own edge 23 mm inside a side on a grey sheet's edge", async () => {
    const { img, card } = await cardOnTable(1600);
    const onSheet = wideSheetBeside(img, card, 276);
    expect(outlineDoubts(img, onSheet).offCard).toBeGreaterThan(0);
    // 1 mm is 12 px; refitted on the photo (the search alone is 6 px off)
    expect(Math.min(...peeledOutlines(img, onSheet).map((q) => worstCorner(q, card)))).toBeLessThan(3);
  });

  it('peels a runner-up with a corner off the card that replaced a first outline not like a card', async () => {
    const { img, card } = await cardOnTable(1600);
    // 5 mm of grey sheet beside the card's right side
    const onSheet = wideSheetBeside(img, card, 60);
    // the first outline: the left half of the card (every corner on it, not like a card)
    const half: Quad = [
      card[0],
      { x: (card[0].x + card[1].x) / 2, y: card[1].y },
      { x: (card[3].x + card[2].x) / 2, y: card[2].y },
      card[3],
    ];
    // moved sides off: only the peel of the runner-up that replaced it finds the card
    const chosen = chooseOutlineByLayout(img, half, [onSheet], { shift: false });
    expect(chosen.rank).toBeGreaterThanOrEqual(100);
    expect(worstCorner(chosen.quad, card)).toBeLessThan(12);
    expect(chosen.cls).toMatchObject({ type: 'cccd-2021', side: 'front' });
  });

  it("finds the card's own edges inside an outline that took a sheet's two edges for its sides", async () => {
    const { img, card } = await cardOnTable();
    const onSheet = sheetUnderTwoSides(img, card);
    expect(outlineDoubts(img, onSheet).offCard).toBeGreaterThan(0);
    // the card's own outline has no corner off the card: nothing to peel
    expect(peeledOutlines(img, card)).toEqual([]);
    // refitted on the photo: 1 px (the search alone, 9 px)
    expect(Math.min(...peeledOutlines(img, onSheet).map((q) => worstCorner(q, card)))).toBeLessThan(3);
    const chosen = chooseOutlineByLayout(img, onSheet, []);
    expect(chosen.rank).toBeGreaterThan(0);
    // 1 mm is 12 px
    expect(worstCorner(chosen.quad, card)).toBeLessThan(12);
    expect(outlineDoubts(img, chosen.quad).offCard).toBe(0);
    expect(chosen.cls).toMatchObject({ type: 'cccd-2021', side: 'front' });
  });

  it('does not give up an outline with every corner on the card for one with a corner off it that scores higher', async () => {
    const { img, card } = await cardOnTable();
    const onSheet = sheetBeside(img, card);
    // the bottom side 4 mm up: the card still looks like a card (0.43), the sheet's outline more so (0.49)
    const cut: Quad = [card[0], card[1], { x: card[2].x, y: card[2].y - 48 }, { x: card[3].x, y: card[3].y - 48 }];
    const kept = chooseOutlineByLayout(img, cut, [onSheet], { shift: false });
    expect(kept.rank).toBe(0);
    expect(kept.cls.score).toBeGreaterThanOrEqual(REPLACE_MIN);
  });

  it("takes the card's own outline over one whose side is a sheet's edge beside the card and whose corner lies on the table", async () => {
    const { img, card } = await cardOnTable();
    const onSheet = sheetBeside(img, card);
    expect(outlineDoubts(img, onSheet).offCard).toBe(1);
    expect(outlineDoubts(img, card)).toEqual({ offCard: 0, inner: 0 });
    const chosen = chooseOutlineByLayout(img, onSheet, [card]);
    expect(chosen.rank).toBe(1);
    expect(chosen.quad).toEqual(card);
    expect(chosen.cls).toMatchObject({ type: 'cccd-2021', side: 'front' });
    // and keeps the card's own outline against the sheet's
    expect(chooseOutlineByLayout(img, card, [onSheet]).rank).toBe(0);
  });

  it('takes the runner-up outline when the edges chose one with a side through the card', async () => {
    const { img, card } = await cardOnTable();
    const chosen = chooseOutlineByLayout(img, cutShort(card), [card]);
    expect(chosen.rank).toBe(1);
    expect(chosen.quad).toEqual(card);
    expect(chosen.cls).toMatchObject({ type: 'cccd-2021', side: 'front', turned: false });
  });

  it('moves a side through the card out to the card edge when no runner-up has it', async () => {
    const { img, card } = await cardOnTable();
    const chosen = chooseOutlineByLayout(img, cutShort(card), []);
    expect(chosen.rank).toBeGreaterThan(0);
    expect(worstCorner(chosen.quad, card)).toBeLessThan(6);
    expect(chosen.cls.type).toBe('cccd-2021');
  });

  it("moves the sides of the edges' outline too when a runner-up that is off in two sides replaced it", async () => {
    const { img, card } = await cardOnTable();
    // the runner-up: left side 5 mm and top 3.3 mm inside the card (no one moved side mends it), scoring
    // higher than the outline cut short at the bottom, whose bottom side moved out is the card's
    const inTwoSides: Quad = [
      { x: card[0].x + 60, y: card[0].y + 40 },
      { x: card[1].x, y: card[1].y + 40 },
      card[2],
      { x: card[3].x + 60, y: card[3].y },
    ];
    const chosen = chooseOutlineByLayout(img, cutShort(card), [inTwoSides]);
    expect(chosen.rank).toBeGreaterThan(1);
    expect(worstCorner(chosen.quad, card)).toBeLessThan(6);
    expect(chosen.cls.type).toBe('cccd-2021');
  });

  it('keeps the right outline, and warps nothing more when it has no runner-up', async () => {
    const { img, card } = await cardOnTable();
    const kept = chooseOutlineByLayout(img, card, [cutShort(card)]);
    expect(kept.rank).toBe(0);
    expect(kept.quad).toEqual(card);
    expect(chooseOutlineByLayout(img, card, []).rank).toBe(0);
  });
});
