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

describe('registerToLayout', () => {
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
