import { createRng } from '@smart-citizen/core';
import { applyHomography, decodeImage, type RasterImage } from '@smart-citizen/image';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardLayout } from '../layout/layouts.js';
import { CANONICAL_HEIGHT, CANONICAL_PX_PER_MM } from '../layout/canonical.js';
import { generateCardSide, type GeneratorData, loadGeneratorData, photographCard } from '../testing/index.js';
import type { Quad } from './findCardQuad.js';
import { cardToPhoto, rectifyCard } from './rectify.js';
import { registerToLayout } from './registerToLayout.js';

let data: GeneratorData;
beforeAll(async () => {
  data = await loadGeneratorData(undefined);
});

/** An ID photo on the usual blue studio background (the drawn stand-ins are pale, like the card). */
function bluePortrait(): RasterImage {
  const width = 240;
  const height = 300;
  const px = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const face = ((x - 120) / 70) ** 2 + ((y - 130) / 95) ** 2 < 1 || (y > 220 && Math.abs(x - 120) < 100);
      px.set(face ? [196, 150, 120] : [40, 90, 190], (y * width + x) * 3);
    }
  return { width, height, channels: 3, data: px };
}

async function photographed(type: 'cccd-2021' | 'cmnd-9', seed: number) {
  const rng = createRng(seed);
  const { card } = await generateCardSide(type, 'front', data, rng, { portrait: bluePortrait() });
  const p = await photographCard(card.image, 1, rng);
  return { img: await decodeImage(p.jpeg), quad: p.quad as Quad, mmPerPx: 85.6 / p.parameters.cardWidthPx };
}

const worstCornerMm = (a: Quad, b: Quad, mmPerPx: number) =>
  Math.max(...a.map((p, i) => Math.hypot(p.x - (b[i]?.x ?? 0), p.y - (b[i]?.y ?? 0)) * mmPerPx));

/**
 * A CMND 9 back pasted square-on on a dark table, the 8 mm between its top edge and its print
 * boxes in shade (not plain card by colour, its captions still ink), and a sheet of the card's own colour on the table along the
 * top edge: moving the top side out 8 mm onto the box's place in the layout finds "plain card"
 * there by chance (the sheet), so the margin tests alone would move a right outline.
 */
async function backUnderSheet(): Promise<{ img: RasterImage; card: Quad }> {
  const { card } = await generateCardSide('cmnd-9', 'back', data, createRng(4));
  const src = card.image;
  const [x0, y0] = [140, 260];
  const width = 1280;
  const height = 960;
  const out = new Uint8Array(width * height * 3);
  const margin = Math.round(7.6 * CANONICAL_PX_PER_MM);
  const sheet = cardLayout('cmnd-9', 'back').background;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const onSheet = y >= y0 - 200 && y < y0 && x >= x0 - 40 && x < x0 + src.width + 40;
      out.set(onSheet ? sheet : [40, 44, 48], (y * width + x) * 3);
    }
  for (let y = 0; y < src.height; y++)
    for (let x = 0; x < src.width; x++) {
      const k = (y * src.width + x) * src.channels;
      const shade = y < margin ? 0.75 : 1;
      out.set(
        [0, 1, 2].map((c) => Math.round((src.data[k + c] as number) * shade)),
        ((y + y0) * width + x + x0) * 3,
      );
    }
  const [r, b] = [x0 + src.width, y0 + src.height];
  return {
    img: { width, height, channels: 3, data: out },
    card: [
      { x: x0, y: y0 },
      { x: r, y: y0 },
      { x: r, y: b },
      { x: x0, y: b },
    ],
  };
}

describe('registerToLayout', () => {
  it('does not move a right side out when the moved card would look less like its layout', async () => {
    const { img, card } = await backUnderSheet();
    const r = rectifyCard(img, card);
    const reg = registerToLayout(img, card, r.image, r.toPhoto, cardLayout('cmnd-9', 'back'));
    expect(reg.moved).toBeUndefined();
    expect(reg.quad).toBe(card);
  });

  it("moves a left side that lies on the portrait's border back out to the card's edge", async () => {
    for (const seed of [3, 5, 7]) {
      const { img, quad, mmPerPx } = await photographed('cccd-2021', seed);
      const layout = cardLayout('cccd-2021', 'front');
      const portraitX = (layout.portrait?.x ?? 0) * CANONICAL_PX_PER_MM;
      // the outline an edge finder returns when it takes the portrait's left border for the card's edge
      const truth = cardToPhoto(quad);
      const inner = [
        applyHomography(truth, { x: portraitX, y: 0 }),
        quad[1],
        quad[2],
        applyHomography(truth, { x: portraitX, y: CANONICAL_HEIGHT }),
      ] as Quad;
      expect(worstCornerMm(inner, quad, mmPerPx)).toBeGreaterThan(3);
      const r = rectifyCard(img, inner);
      const reg = registerToLayout(img, inner, r.image, r.toPhoto, layout);
      expect(reg.moved?.edge).toBe('left');
      expect(worstCornerMm(reg.quad, quad, mmPerPx)).toBeLessThan(1);
    }
  });

  it('leaves a right outline alone', async () => {
    for (const [type, seed] of [
      ['cccd-2021', 8],
      ['cmnd-9', 9],
    ] as const) {
      const { img, quad } = await photographed(type, seed);
      const r = rectifyCard(img, quad);
      const reg = registerToLayout(img, quad, r.image, r.toPhoto, cardLayout(type, 'front'));
      expect(reg.moved).toBeUndefined();
      expect(reg.quad).toBe(quad);
    }
  });
});
