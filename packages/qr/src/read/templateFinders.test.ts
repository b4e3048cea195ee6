import type { RasterImage } from '@smart-citizen/image';
import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { findTemplateFinders } from './templateFinders.js';

/**
 * A finder pattern (7×7 modules and its one-module light border) centred at (cx, cy), turned
 * by `turnDeg`, `m` px per module, on a mid-grey field of random modules, rendered by
 * averaging 8×8 sub-samples per pixel (area sampling), then a 3-tap blur and noise.
 */
function finderImage(cx: number, cy: number, m: number, turnDeg: number, seed: number): RasterImage {
  const w = 80;
  const h = 80;
  const rng = createRng(seed);
  const a = (turnDeg * Math.PI) / 180;
  const field = Array.from({ length: 41 * 41 }, () => (rng.next() < 0.5 ? 1 : 0));
  const dark = (px: number, py: number): number => {
    // Module coordinates relative to the finder centre.
    const u = ((px - cx) * Math.cos(a) + (py - cy) * Math.sin(a)) / m;
    const v = (-(px - cx) * Math.sin(a) + (py - cy) * Math.cos(a)) / m;
    const r = Math.max(Math.abs(u), Math.abs(v));
    if (r < 1.5) return 1;
    if (r < 2.5) return 0;
    if (r < 3.5) return 1;
    if (r < 4.5) return 0;
    return field[(Math.floor(v + 20.5) * 41 + Math.floor(u + 20.5)) % field.length] ?? 0;
  };
  const raw = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let j = 0; j < 8; j++)
        for (let i = 0; i < 8; i++) s += dark(x - 0.5 + (i + 0.5) / 8, y - 0.5 + (j + 0.5) / 8);
      raw[y * w + x] = 220 - 170 * (s / 64);
    }
  }
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = (xx: number, yy: number) =>
        raw[Math.min(h - 1, Math.max(0, yy)) * w + Math.min(w - 1, Math.max(0, xx))] ?? 0;
      const blurred = 0.5 * at(x, y) + 0.125 * (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1));
      data[y * w + x] = Math.max(0, Math.min(255, Math.round(blurred + 4 * rng.gauss())));
    }
  }
  return { width: w, height: h, channels: 1, data };
}

describe('findTemplateFinders', () => {
  it.each([
    [1.8, 0],
    [1.8, 30],
    [1.6, 20],
    [2.4, 45],
  ])('finds a finder at %f px per module turned %f°, its centre and module size', (m, turn) => {
    const cx = 40.3;
    const cy = 38.6;
    const img = finderImage(cx, cy, m, turn, 7);
    const found = findTemplateFinders(img);
    const best = found.find((f) => Math.hypot(f.x - cx, f.y - cy) < m);
    expect(best).toBeDefined();
    // The template stage ends on a 0.25 px position grid: the best of its candidates is within
    // 0.18 px of the correlation peak (half the grid's diagonal), which blur and noise that are
    // symmetric about the centre leave at the centre; a further step of slack: 0.45 px.
    expect(Math.hypot((best?.x ?? 0) - cx, (best?.y ?? 0) - cy)).toBeLessThan(0.45);
    // Its sizes come in steps of 4% after the coarse 15–18% ones: within 10% of the truth.
    expect(Math.abs((best?.module ?? 0) / m - 1)).toBeLessThan(0.1);
    expect(best?.hits).toBeGreaterThanOrEqual(2);
  });

  it('finds nothing on a flat noisy field and stops at once when the deadline has passed', () => {
    const rng = createRng(3);
    const data = Uint8Array.from({ length: 100 * 100 }, () => Math.round(128 + 3 * rng.gauss()));
    const flat: RasterImage = { width: 100, height: 100, channels: 1, data };
    expect(findTemplateFinders(flat)).toEqual([]);
    expect(findTemplateFinders(finderImage(40.3, 38.6, 1.8, 0, 7), { expired: () => true })).toEqual([]);
  });
});
