import { describe, expect, it } from 'vitest';
import type { FingerprintTemplate, Minutia } from '../types.js';
import { buildCylinders, cylinderSimilarity, cylindersOf, MccWorkspace, mccCompare } from './mcc.js';
import { MccKernel, mccKernelBytes, mccRelaxBytes } from './mccKernel.js';
import { prepareTemplate } from './prepare.js';

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

/** 40 minutiae spread over a 300 × 380 print, at least 12 pixels apart. */
function randomTemplate(seed: number): FingerprintTemplate {
  const rnd = lcg(seed);
  const minutiae: Minutia[] = [];
  while (minutiae.length < 40) {
    const x = 40 + rnd() * 300;
    const y = 40 + rnd() * 380;
    if (minutiae.some((m) => Math.hypot(m.x - x, m.y - y) < 12)) continue;
    minutiae.push({ x, y, angle: rnd() * 2 * Math.PI, type: rnd() < 0.5 ? 'ending' : 'bifurcation', quality: 60 });
  }
  return { width: 380, height: 460, dpi: 500, minutiae };
}

/** The same print rotated about its centre, shifted, with a few minutiae lost and jittered. */
function moved(t: FingerprintTemplate, rot: number, seed: number): FingerprintTemplate {
  const rnd = lcg(seed);
  const c = Math.cos(rot);
  const s = Math.sin(rot);
  const minutiae = t.minutiae
    .filter(() => rnd() > 0.15)
    .map((m) => {
      const x = m.x - 190;
      const y = m.y - 230;
      return {
        ...m,
        x: 190 + c * x + s * y + 25 + (rnd() - 0.5) * 4,
        y: 230 - s * x + c * y - 10 + (rnd() - 0.5) * 4,
        angle: (m.angle + rot + (rnd() - 0.5) * 0.2 + 2 * Math.PI) % (2 * Math.PI),
      };
    });
  return { ...t, minutiae };
}

const score = (a: FingerprintTemplate, b: FingerprintTemplate) => {
  const pa = prepareTemplate(a);
  const pb = prepareTemplate(b);
  return mccCompare(pa, cylindersOf(pa), pb, cylindersOf(pb), new MccWorkspace()).score;
};

describe('Minutia Cylinder-Code', () => {
  it('gives a cylinder full similarity with itself and none to an empty template', () => {
    const p = prepareTemplate(randomTemplate(1));
    const cyl = buildCylinders(p);
    expect(cyl.count).toBeGreaterThan(20);
    const minCells = 0.6 * cyl.inCircle;
    for (let i = 0; i < cyl.count; i++) expect(cylinderSimilarity(cyl, i, cyl, i, minCells)).toBeCloseTo(1, 6);
    const empty = prepareTemplate({ width: 10, height: 10, dpi: 500, minutiae: [] });
    expect(mccCompare(p, cyl, empty, buildCylinders(empty), new MccWorkspace())).toEqual({ score: 0, pairs: 0 });
  });

  it('scores a rotated, shifted, partial impression of the same print far above other prints', () => {
    const base = randomTemplate(7);
    const genuine = [0.3, -0.5, 1.2].map((rot, k) => score(base, moved(base, rot, 100 + k)));
    const impostor = [11, 12, 13, 14, 15].map((seed) => score(base, randomTemplate(seed)));
    for (const g of genuine) expect(g).toBeGreaterThan(3 * Math.max(...impostor));
    // Argument order changes the score only slightly.
    const other = moved(base, 0.3, 100);
    expect(Math.abs(score(base, other) - score(other, base))).toBeLessThan(0.1 * score(base, other));
  });

  it('gives bit-identical scores with the WebAssembly kernel and the JavaScript loop', () => {
    const templates: FingerprintTemplate[] = [];
    for (let f = 0; f < 6; f++) {
      const base = randomTemplate(200 + f);
      templates.push(base, moved(base, 0.4 * f - 1, 300 + f), moved(base, 0.2 - 0.3 * f, 400 + f));
    }
    const prepared = templates.map((t) => prepareTemplate(t));
    const wasm = new MccWorkspace();
    const js = new MccWorkspace({ useKernel: false });
    let positive = 0;
    for (const a of prepared) {
      for (const b of prepared) {
        const viaKernel = mccCompare(a, cylindersOf(a), b, cylindersOf(b), wasm);
        expect(viaKernel).toEqual(mccCompare(a, cylindersOf(a), b, cylindersOf(b), js));
        if (viaKernel.score > 0) positive++;
      }
    }
    // The kernel really ran (WebAssembly is available in Node) and the comparison is not vacuous.
    expect(wasm.kernel).toBeInstanceOf(MccKernel);
    expect(js.kernel).toBeNull();
    expect(positive).toBeGreaterThan(300);
  });

  it("computes exp and atan2 in the kernel with the bits of the engine's Math (fdlibm)", () => {
    const kernel = MccKernel.create() as MccKernel;
    const rnd = lcg(99);
    let checked = 0;
    for (let k = 0; k < 20_000; k++) {
      // exp over the sigmoids' range and beyond; atan2 of integer and fractional offsets, zeros included
      const x = (rnd() - 0.5) * 200 * rnd();
      expect(Object.is(kernel.exp(x), Math.exp(x))).toBe(true);
      const dy = k % 3 === 0 ? Math.round((rnd() - 0.5) * 400) : (rnd() - 0.5) * 400 * rnd() ** 3;
      const dx = k % 5 === 0 ? 0 : Math.round((rnd() - 0.5) * 400);
      expect(Object.is(kernel.atan2(dy, dx), Math.atan2(dy, dx))).toBe(true);
      checked++;
    }
    for (const [y, x] of [
      [0, 0],
      [0, -3],
      [-2, 0],
      [5, 1],
      [1, 1],
    ] as const) {
      expect(Object.is(kernel.atan2(y, x), Math.atan2(y, x))).toBe(true);
    }
    for (const x of [1, 0, -0, 1e-300, 709, 710, -745, -746, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(Object.is(kernel.exp(x), Math.exp(x))).toBe(true);
    }
    expect(checked).toBe(20_000);
  });

  it('assembles valid WebAssembly modules small enough to compile synchronously in a browser', () => {
    for (const bytes of [mccKernelBytes(), mccRelaxBytes()]) {
      expect(WebAssembly.validate(bytes)).toBe(true);
      // Chromium refuses synchronous compilation of modules over 4 KB on the main thread.
      expect(bytes.length).toBeLessThan(4096);
    }
  });
});
