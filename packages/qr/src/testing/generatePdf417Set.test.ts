import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { drawPdf417Degradation, generatePdf417Set, pdf417Levels } from './generatePdf417Set.js';

describe('generatePdf417Set', () => {
  it('draws harder parameters at higher levels', () => {
    const rng = createRng(9);
    const mean = (level: number) => {
      let px = 0;
      for (let i = 0; i < 50; i++) px += drawPdf417Degradation(level, rng).pxPerModule;
      return px / 50;
    };
    const means = pdf417Levels.map(mean);
    for (let i = 1; i < means.length; i++) expect(means[i]!).toBeLessThan(means[i - 1]!);
    expect(drawPdf417Degradation(3, rng).pxPerModule).toBeLessThanOrEqual(2.6);
  });

  it('is reproducible and carries the card text of the idcard generator', async () => {
    const opts = { count: 2, levels: [0], seed: 5, width: 640, height: 480 };
    const a = await generatePdf417Set(opts);
    const b = await generatePdf417Set(opts);
    expect(a.map((s) => s.name)).toEqual(['pdf417-0/0', 'pdf417-0/1']);
    expect(Buffer.from(a[0]!.jpeg!).equals(Buffer.from(b[0]!.jpeg!))).toBe(true);
    expect(a[0]!.text).toMatch(/^\d{12}\|[^|]+\|\d{8}\|(Nam|Nữ)$/);
  }, 60_000);
});
