import type { Point, RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import {
  edgesRunOn,
  findCardQuad,
  findCardQuadWithHiddenLines,
  insideOutlines,
  type Quad,
  shiftedOutlines,
  wellInsidePhoto,
} from './findCardQuad.js';

const insidePolygon = (q: readonly Point[], x: number, y: number) => {
  let c = false;
  for (let i = 0, j = q.length - 1; i < q.length; j = i++) {
    const a = q[i] as Point;
    const b = q[j] as Point;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) c = !c;
  }
  return c;
};

/** A 1280×960 RGB scene painted pixel by pixel. */
function paint(colourAt: (x: number, y: number) => readonly number[]): RasterImage {
  const width = 1280;
  const height = 960;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(colourAt(x, y), (y * width + x) * 3);
  return { width, height, channels: 3, data };
}

/** Corners as `[x, y]` pairs. */
const points = (xy: readonly (readonly [number, number])[]): Point[] => xy.map(([x, y]) => ({ x, y }));

/**
 * The scene of a generated level-2 photo whose outline was taken wrong (report half, session 11):
 * a pale card, turned and seen in perspective, on a red table, its lower left corner over a grey
 * sheet of paper and in shadow (card and paper the same grey there, so that corner shows no edge),
 * a second sheet under its bottom edge. The sheet's left and bottom edges with the card's top and
 * right make a larger quadrilateral of card-like aspect whose top-left corner lies on the table.
 */
function cardOverPaper(): { img: RasterImage; card: Point[] } {
  const card = points([
    [336, 253],
    [1189, 256],
    [1084, 871],
    [298, 762],
  ]);
  const img = paint((x, y) => {
    if (insidePolygon(card, x, y)) return y > 480 && x < 560 ? [168, 170, 164] : [226, 226, 218];
    if (x >= 137 && x < 455 && y >= 407 && y < 845) return [168, 168, 166];
    if (x >= 455 && x < 700 && y >= 840 && y < 895) return [175, 175, 175];
    return [185, 50, 44];
  });
  return { img, card };
}

/**
 * A pale card on a green table whose left edge lies over a sheet of paper of nearly its colour
 * for its upper two thirds, with a dark box printed 4 mm inside that edge along most of it: the
 * box's border is the stronger line, so the outline through it scores higher than the card's own.
 */
function cardWithBoxNearEdge(): { img: RasterImage; card: Point[] } {
  const card = points([
    [193, 350],
    [1115, 331],
    [1100, 828],
    [205, 886],
  ]);
  const box = points([
    [240, 372],
    [460, 368],
    [463, 850],
    [245, 854],
  ]);
  const img = paint((x, y) => {
    if (insidePolygon(box, x, y)) return y < 640 ? [40, 90, 190] : [50, 50, 60];
    if (insidePolygon(card, x, y)) return [222, 226, 232];
    if (x < 235 && y >= 250 && y < 660) return [220, 224, 230];
    return [62, 118, 52];
  });
  return { img, card };
}

/**
 * A pale card on a green table, the right 43 % of its bottom edge over a sheet of paper of its
 * colour, with three dark text lines printed along it 2.5, 5 and 7.5 mm inside (a CCCD 2016
 * front's lower lines): the lines' borders are edges along 84 % of the side, the card's own
 * bottom edge along 57 % of it.
 */
function cardWithLinesOverPaper(): { img: RasterImage; card: Quad } {
  const card = points([
    [200, 200],
    [1080, 200],
    [1080, 760],
    [200, 760],
  ]) as Quad;
  const lines = [30, 60, 90].map((up) => [760 - up - 12, 760 - up] as const);
  const img = paint((x, y) => {
    if (x >= 200 && x < 1080 && y >= 200 && y < 760) {
      if (x >= 260 && x < 1000 && lines.some(([t, b]) => y >= t && y < b)) return [40, 40, 50];
      return [222, 226, 232];
    }
    if (x >= 700 && x < 1130 && y >= 600 && y < 900) return [223, 227, 233];
    return [62, 118, 52];
  });
  return { img, card };
}

/**
 * A pale card on a grey table whose bottom edge lies over a sheet of the card's colour in its middle
 * (no edge there), and a white sheet below its left half whose top edge runs 8 work px (21 px) below
 * the card's bottom edge and on past its corner (session 17, seed 11's CMND 9 front): the sheet's
 * edge draws more votes, and the card's edge peaks inside its suppression window.
 */
function cardEdgeBesideSheet(): { img: RasterImage; card: Point[] } {
  const card = points([
    [150, 190],
    [1130, 215],
    [1100, 740],
    [135, 760],
  ]);
  const img = paint((x, y) => {
    if (insidePolygon(card, x, y)) return [222, 232, 216];
    if (x >= 560 && x < 1000 && y >= 600 && y < 930) return [222, 232, 216];
    if (x >= 20 && x < 560 && y >= 782 && y < 900) return [252, 252, 252];
    return [185, 185, 185];
  });
  return { img, card };
}

const worstCorner = (quad: readonly Point[], card: readonly Point[]) =>
  Math.max(...quad.map((p, i) => Math.hypot(p.x - (card[i]?.x ?? 0), p.y - (card[i]?.y ?? 0))));

describe('findCardQuad', () => {
  it("takes the card's own outline, not a larger one whose corner lies on the table", () => {
    const { img, card } = cardOverPaper();
    const r = findCardQuad(img);
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    // the card is about 850 px long: 5 px is 0.5 mm (the larger outline was 200 px off)
    expect(worstCorner(r.quad, card)).toBeLessThan(5);
  });

  it("moves a side that runs through a printed box out to the card's own edge", () => {
    const { img, card } = cardWithBoxNearEdge();
    const r = findCardQuad(img);
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    // the outline through the box's border was 46 px (4 mm) inside
    expect(worstCorner(r.quad, card)).toBeLessThan(5);
  });
  it("offers the outermost faint edge beyond the printed lines as a moved side (the card's own over a pale sheet)", () => {
    const { img, card } = cardWithLinesOverPaper();
    // the outline's bottom along the top of the middle text line, 72 px (6 mm) inside the card
    const cut: Quad = [card[0], card[1], { x: 1080, y: 688 }, { x: 200, y: 688 }];
    const moved = shiftedOutlines(img, cut);
    expect(Math.min(...moved.map((q) => worstCorner(q, card)))).toBeLessThan(5);
  });
});

/**
 * A pale card on a green table with a dark box printed 4 mm inside its left edge, the upper 30 %
 * of that edge over a sheet of paper of the card's colour, and a grey band on the table further
 * out along the lower 55 % of the side: moving the outline's left side (taken along the box's
 * inner border) meets the box's outer border (supported all along), the card's own edge (70 %) and
 * the band (55 %, the outermost). Session 13's moves offered the strongest and the outermost.
 */
function cardWithBoxAndBand(): { img: RasterImage; card: Quad } {
  const card = points([
    [300, 200],
    [1180, 200],
    [1180, 760],
    [300, 760],
  ]) as Quad;
  const img = paint((x, y) => {
    if (x >= 300 && x < 1180 && y >= 200 && y < 760) {
      if (x >= 342 && x < 420 && y >= 250 && y < 710) return [50, 50, 60];
      return [222, 226, 232];
    }
    if (x >= 100 && x < 300 && y >= 150 && y < 368) return [221, 225, 231];
    if (x >= 230 && x < 250 && y >= 450 && y < 800) return [140, 140, 140];
    return [62, 118, 52];
  });
  return { img, card };
}

describe('findCardQuadWithHiddenLines', () => {
  it("finds the card's edge whose Hough peak a stronger sheet edge beside it hides", () => {
    const { img, card } = cardEdgeBesideSheet();
    // the strongest lines alone close the outline on the sheet's edge, 42 px below the card's
    const first = findCardQuad(img);
    expect(first.status === 'found' && worstCorner(first.quad, card)).toBeGreaterThan(20);
    const again = findCardQuadWithHiddenLines(img);
    expect(again?.status).toBe('found');
    if (again?.status !== 'found') return;
    expect(worstCorner(again.quad, card)).toBeLessThan(5);
  });

  it('has nothing to add when no peak hides another', () => {
    const card = points([
      [300, 200],
      [1100, 220],
      [1090, 720],
      [290, 700],
    ]);
    const img = paint((x, y) => (insidePolygon(card, x, y) ? [222, 226, 232] : [62, 118, 52]));
    expect(findCardQuadWithHiddenLines(img)).toBeUndefined();
  });
});

describe('shiftedOutlines', () => {
  it("offers the card's own edge when a printed box's border is stronger and a table edge lies further out", () => {
    const { img, card } = cardWithBoxAndBand();
    // the outline's left side along the box's inner border, 120 px (11.7 mm) inside the card
    const cut: Quad = [{ x: 420, y: 200 }, card[1], card[2], { x: 420, y: 760 }];
    const moved = shiftedOutlines(img, cut);
    expect(Math.min(...moved.map((q) => worstCorner(q, card)))).toBeLessThan(5);
  });
});

/**
 * A pale card on a green table whose right part lies on a grey sheet of nearly its colour (8 units
 * apart) that runs off the photo's right and bottom sides: the card's right edge draws no Hough
 * line, and the strongest lines close the outline on the sheet's edge or the photo's (session 18).
 */
function cardOnGreySheet(): { img: RasterImage; card: Quad } {
  const card = points([
    [250, 220],
    [1000, 200],
    [1010, 690],
    [240, 700],
  ]) as Quad;
  const img = paint((x, y) => {
    if (insidePolygon(card, x, y)) return [222, 226, 232];
    if (x >= 700 && y >= 100) return [214, 218, 224];
    return [62, 118, 52];
  });
  return { img, card };
}

describe('insideOutlines and edgesRunOn', () => {
  it('offers the whole card whose fourth edge over a sheet drew no line, and finds no edge running on past it', () => {
    const { img, card } = cardOnGreySheet();
    const offered = insideOutlines(img);
    const best = offered.reduce((a, b) => (worstCorner(a, card) <= worstCorner(b, card) ? a : b));
    expect(worstCorner(best, card)).toBeLessThan(5);
    expect(wellInsidePhoto(img, best)).toBe(true);
    expect(edgesRunOn(img, best)).toBeLessThan(0.25);
  });

  it("finds the card's edges running on past an outline closed on a line of its print", () => {
    // the card runs off the photo's right side; a dark line is printed across it at x = 900
    const card = points([
      [300, 200],
      [1400, 200],
      [1400, 760],
      [300, 760],
    ]);
    const img = paint((x, y) => {
      if (!insidePolygon(card, x, y)) return [62, 118, 52];
      return x >= 896 && x < 904 ? [40, 40, 50] : [222, 226, 232];
    });
    const onPrint = points([
      [300, 200],
      [900, 200],
      [900, 760],
      [300, 760],
    ]) as Quad;
    expect(edgesRunOn(img, onPrint)).toBeGreaterThan(0.5);
    // a side closed near the photo's own side: too near it to tell
    expect(
      wellInsidePhoto(
        img,
        points([
          [300, 200],
          [1275, 200],
          [1275, 760],
          [300, 760],
        ]) as Quad,
      ),
    ).toBe(false);
  });
});
