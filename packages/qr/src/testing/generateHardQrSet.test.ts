import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { safeParseCardQr } from '../parse/parseCardQr.js';
import { drawHardDegradation, generateHardQrSet, hardCategories } from './generateHardQrSet.js';
import { createRng } from '@smart-citizen/core';

describe('generateHardQrSet', () => {
  it('draws each category its own harm from independent ranges', () => {
    const rng = createRng(4);
    for (const c of hardCategories) {
      const d = drawHardDegradation(c, rng);
      if (c === 'small') expect(d.pxPerModule).toBeLessThanOrEqual(3);
      if (c === 'motion-blur') expect(d.motionBlurPx).toBeGreaterThan(0);
      if (c === 'defocus') expect(d.defocusRadius).toBeGreaterThan(0);
      if (c === 'glare') expect(d.glareSpots).toBeGreaterThan(0);
      if (c === 'curved') expect(d.bend).toBeGreaterThan(0);
      if (c === 'perspective') expect(d.perspective).toBeGreaterThanOrEqual(0.22);
      if (c === 'low-light') expect(d.contrast).toBeLessThanOrEqual(0.35);
      if (c === 'screen') expect(d.screenPitch).toBeGreaterThan(0);
    }
  });

  it('is reproducible; high versions carry a card payload; the several-codes photo decodes', async () => {
    const opts = { count: 1, seed: 5, width: 640, height: 480, categories: ['high-version', 'several-codes'] as const };
    const a = await generateHardQrSet(opts);
    const b = await generateHardQrSet(opts);
    expect(a.map((s) => s.name)).toEqual(['high-version/0', 'several-codes/0']);
    expect(Buffer.from(a[0]?.jpeg ?? []).equals(Buffer.from(b[0]?.jpeg ?? []))).toBe(true);
    const high = a[0];
    expect(high?.text.length).toBeGreaterThan(350);
    expect(safeParseCardQr(high?.text ?? '').ok).toBe(true);
    const engine = await createZxingWasmEngine();
    const several = engine.decode(a[1]?.image as never, { maxSymbols: 4 });
    expect(several.length).toBeGreaterThanOrEqual(1);
    engine.close();
  }, 60_000);
});
