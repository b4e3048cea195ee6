import { createRng } from '@smart-citizen/core';
import { type RasterImage, resize, toRgb } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { generateCardSide, loadGeneratorData } from '../testing/index.js';
import { classifyCard } from './classifyCard.js';
import { rotate180 } from './rectify.js';

describe('classifyCard', () => {
  it('classifies a card warped at half size like the canonical one (the cheap look at a moved outline)', async () => {
    const data = await loadGeneratorData(undefined);
    for (const [type, side, seed] of [
      ['cmnd-9', 'front', 1],
      ['cccd-2016', 'front', 2],
      ['cancuoc-2024', 'back', 3],
    ] as const) {
      const { card } = await generateCardSide(type, side, data, createRng(seed));
      const full: RasterImage = card.image.channels === 3 ? card.image : toRgb(card.image);
      const half = resize(full, { width: Math.round(full.width / 2), height: Math.round(full.height / 2) });
      const a = classifyCard(full, rotate180(full));
      const b = classifyCard(half, rotate180(half));
      expect(b).toMatchObject({ type, side, turned: false });
      expect(Math.abs(a.score - b.score)).toBeLessThan(0.08);
    }
  });

  it('names the runner-up layout, another type or side, with its whole-card score', async () => {
    const data = await loadGeneratorData(undefined);
    const { card } = await generateCardSide('cccd-2016', 'front', data, createRng(13));
    const full: RasterImage = card.image.channels === 3 ? card.image : toRgb(card.image);
    const cls = classifyCard(full, rotate180(full));
    expect([cls.type, cls.side]).toEqual(['cccd-2016', 'front']);
    const ru = cls.runnerUp;
    expect(ru).toBeDefined();
    expect(ru && `${ru.type}/${ru.side}`).not.toBe('cccd-2016/front');
    expect(ru?.score).toBeGreaterThan(-1);
    expect(ru?.score).toBeLessThan(cls.score + 0.12);
  });
});
