import type { Point, RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { findCardQuad } from './findCardQuad.js';

const insidePolygon = (q: readonly Point[], x: number, y: number) => {
  let c = false;
  for (let i = 0, j = q.length - 1; i < q.length; j = i++) {
    const a = q[i] as Point;
    const b = q[j] as Point;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) c = !c;
  }
  return c;
};

/**
 * The scene of a generated level-2 photo whose outline was taken wrong (report half, session 11):
 * a pale card, turned and seen in perspective, on a red table, its lower left corner over a grey
 * sheet of paper and in shadow (card and paper the same grey there, so that corner shows no edge),
 * a second sheet under its bottom edge. The sheet's left and bottom edges with the card's top and
 * right make a larger quadrilateral of card-like aspect whose top-left corner lies on the table.
 */
function cardOverPaper(): { img: RasterImage; card: Point[] } {
  const width = 1280;
  const height = 960;
  const card = [
    { x: 336, y: 253 },
    { x: 1189, y: 256 },
    { x: 1084, y: 871 },
    { x: 298, y: 762 },
  ];
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let c = [185, 50, 44];
      if (x >= 455 && x < 700 && y >= 840 && y < 895) c = [175, 175, 175];
      if (x >= 137 && x < 455 && y >= 407 && y < 845) c = [168, 168, 166];
      if (insidePolygon(card, x, y)) c = y > 480 && x < 560 ? [168, 170, 164] : [226, 226, 218];
      data.set(c, (y * width + x) * 3);
    }
  return { img: { width, height, channels: 3, data }, card };
}

describe('findCardQuad', () => {
  it("takes the card's own outline, not a larger one whose corner lies on the table", () => {
    const { img, card } = cardOverPaper();
    const r = findCardQuad(img);
    expect(r.status).toBe('found');
    if (r.status !== 'found') return;
    const worst = Math.max(...r.quad.map((p, i) => Math.hypot(p.x - (card[i]?.x ?? 0), p.y - (card[i]?.y ?? 0))));
    // the card is about 850 px long: 5 px is 0.5 mm (the larger outline was 200 px off)
    expect(worst).toBeLessThan(5);
  });
});
