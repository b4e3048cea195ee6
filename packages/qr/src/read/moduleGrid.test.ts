import type { RasterImage } from '@smart-citizen/image';
import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { generateCardQrSet } from '../testing/generateCardQrSet.js';
import { generateHardQrSet } from '../testing/generateHardQrSet.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import {
  alignmentCentres,
  classifyModules,
  decisionFeedback,
  homography,
  knownModules,
  RENDER,
  renderModules,
  thresholdModules,
} from './moduleGrid.js';
import { readCardQr } from './readCardQr.js';

const today = new Date('2026-06-01T00:00:00Z');

describe('module grid', () => {
  it('maps four points onto four points', () => {
    const src = [
      { x: 3.5, y: 3.5 },
      { x: 41.5, y: 3.5 },
      { x: 3.5, y: 41.5 },
      { x: 38.5, y: 38.5 },
    ];
    const dst = [
      { x: 100, y: 120 },
      { x: 260, y: 90 },
      { x: 130, y: 300 },
      { x: 290, y: 250 },
    ];
    const h = homography(src, dst);
    expect(h).toBeDefined();
    for (let i = 0; i < 4; i++) {
      const s = src[i]!;
      const w = h![6]! * s.x + h![7]! * s.y + h![8]!;
      expect((h![0]! * s.x + h![1]! * s.y + h![2]!) / w).toBeCloseTo(dst[i]!.x, 6);
      expect((h![3]! * s.x + h![4]! * s.y + h![5]!) / w).toBeCloseTo(dst[i]!.y, 6);
    }
    expect(homography(src, [dst[0]!, dst[0]!, dst[0]!, dst[0]!])).toBeUndefined();
  });

  it('places alignment patterns as ISO/IEC 18004 table E.1 does', () => {
    expect(alignmentCentres(1)).toEqual([]);
    expect(alignmentCentres(2)).toEqual([6, 18]);
    expect(alignmentCentres(7)).toEqual([6, 22, 38]);
    expect(alignmentCentres(32)).toEqual([6, 34, 60, 86, 112, 138]);
    expect(alignmentCentres(40)).toEqual([6, 30, 58, 86, 114, 142, 170]);
  });

  it('knows the fixed modules of real codes of several versions (finders, timing, alignment, version blocks)', async () => {
    const writer = await createBarcodeWriter();
    for (const length of [10, 120, 300, 900]) {
      const code = await writer.write('x'.repeat(length), 'QRCode', 'M');
      const version = (code.width - 17) / 4;
      const known = knownModules(version);
      expect(known.dark.length).toBeGreaterThan(190);
      for (let i = 0; i < known.dark.length; i++) {
        expect(code.modules[known.y[i]! * code.width + known.x[i]!]).toBe(known.dark[i]);
      }
    }
  });

  /**
   * Module values of a real code: `value(bit, x, y, size)` (the module's own and neighbours'
   * colours, the light) plus uniform noise of `noise` grey levels, row by row.
   */
  async function syntheticModules(
    text: string,
    seed: number,
    noise: number,
    value: (bit: (x: number, y: number) => number, x: number, y: number, size: number) => number,
  ) {
    const writer = await createBarcodeWriter();
    const code = await writer.write(text, 'QRCode', 'M');
    const size = code.width;
    const rng = createRng(seed);
    const bit = (x: number, y: number) =>
      x < 0 || y < 0 || x >= size || y >= size ? 0 : (code.modules[y * size + x] ?? 0);
    const values = new Float32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) values[y * size + x] = value(bit, x, y, size) + noise * (rng.next() - 0.5);
    }
    const errors = (bits: Uint8Array) => bits.reduce((n, b, i) => n + (b === code.modules[i] ? 0 : 1), 0);
    return { size, version: (size - 17) / 4, values, errors };
  }

  it('the classifier learns blur and uneven light from the fixed modules and reads the data modules', async () => {
    // Each module's value: its own colour and 25% of each 4-neighbour's (blur), light falling
    // off to one side, and noise.
    const { size, version, values, errors } = await syntheticModules(
      'classifier test '.repeat(8),
      5,
      16,
      (bit, x, y, n) =>
        200 - (70 * x) / n - 45 * (bit(x, y) + 0.25 * (bit(x - 1, y) + bit(x + 1, y) + bit(x, y - 1) + bit(x, y + 1))),
    );
    const learnt = classifyModules(values, size, version);
    expect(learnt).toBeDefined();
    // ~1% of the modules (within what M-level Reed–Solomon corrects), a local threshold ~3.5%.
    expect(errors(learnt!)).toBeLessThan(size * size * 0.02);
    // A plain local threshold misreads far more of them.
    expect(errors(thresholdModules(values, size, 4))).toBeGreaterThan(2 * errors(learnt!));
  });

  it("decision feedback subtracts the neighbours' blur given their decided bits: fewer errors than the classifier", async () => {
    // Strong blur (45% of each 4-neighbour, 20% of each diagonal one), uneven light, noise:
    // a module's own colour moves its value less than its neighbours' together.
    const { size, version, values, errors } = await syntheticModules(
      'decision feedback test '.repeat(6),
      9,
      14,
      (bit, x, y, n) =>
        210 -
        (60 * y) / n -
        30 *
          (bit(x, y) +
            0.45 * (bit(x - 1, y) + bit(x + 1, y) + bit(x, y - 1) + bit(x, y + 1)) +
            0.2 * (bit(x - 1, y - 1) + bit(x + 1, y - 1) + bit(x - 1, y + 1) + bit(x + 1, y + 1))),
    );
    const learnt = classifyModules(values, size, version);
    expect(learnt).toBeDefined();
    const fed = decisionFeedback(values, size, version, learnt!);
    expect(errors(learnt!)).toBeGreaterThan(size * size * 0.02);
    expect(errors(fed)).toBeLessThan(errors(learnt!) * 0.8);
    // The fixed modules keep their known colours.
    const known = knownModules(version);
    for (let i = 0; i < known.dark.length; i++) expect(fed[known.y[i]! * size + known.x[i]!]).toBe(known.dark[i]);
  });

  it('renders a bit matrix the engine decodes in its pure mode', async () => {
    const writer = await createBarcodeWriter();
    const code = await writer.write('render test 42', 'QRCode', 'M');
    const img = renderModules(code.modules, code.width);
    expect(img.width).toBe((code.width + 2 * RENDER.quiet) * RENDER.scale);
    const engine = await createZxingWasmEngine();
    expect(engine.decode(img, { pure: true })[0]?.text).toBe('render test 42');
    engine.close();
  });

  it('reads small, blurred, JPEG-compressed card codes (generated level 4) through the module-grid rung alone', async () => {
    const set = await generateCardQrSet({ count: 3, levels: [4], seed: 31 });
    let read = 0;
    for (const s of set) {
      const r = await readCardQr(s.image, { today, ladder: ['module-grid'], timeBudgetMs: 5000 });
      if (r.ok && r.text === s.text) {
        read++;
        expect(r.strategy).toBe('module-grid');
        // Corners come back in the photo's pixels.
        for (const p of r.corners ?? []) {
          expect(p.x).toBeGreaterThan(0);
          expect(p.x).toBeLessThan(s.image.width);
        }
      }
    }
    expect(read).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('reads codes at 2.2–2.8 px per module that raw zxing-wasm misses through the template-grid rung alone', async () => {
    // Tuning-half photos of the `small` category of another seed than the bench's.
    const engine = await createZxingWasmEngine();
    const set = (await generateHardQrSet({ count: 16, seed: 99, categories: ['small'] })).filter((s) =>
      ['small/8', 'small/11', 'small/15'].includes(s.name),
    );
    let read = 0;
    for (const s of set) {
      expect(s.degradation.pxPerModule).toBeLessThan(3);
      expect(engine.decode(s.image)[0]?.text).not.toBe(s.text);
      const r = await readCardQr(s.image, { today, engine, ladder: ['template-grid'], timeBudgetMs: 5000 });
      if (r.ok && r.text === s.text) read++;
    }
    expect(read).toBeGreaterThanOrEqual(2);
    engine.close();
  }, 180_000);

  it('reads a 2.2 px/module code with ~4% of its modules misread only through soft-decision Reed–Solomon', async () => {
    // A tuning-pool photo (seed 7, small/7): the decision-feedback bits alone do not decode.
    const set = (await generateHardQrSet({ count: 8, seed: 7, categories: ['small'] })).filter(
      (s) => s.name === 'small/7',
    );
    const s = set[0]!;
    // A wall-clock budget far above the rung's cost: the test checks what it reads, not how fast.
    const r = await readCardQr(s.image, { today, ladder: ['template-grid'], timeBudgetMs: 60_000 });
    expect(r.text).toBe(s.text);
  }, 180_000);

  it('tries template-grid before module-grid when the code is small in the frame, not for a level-4 card', async () => {
    const order = async (image: RasterImage): Promise<string[]> => {
      const names: string[] = [];
      await readCardQr(image, { today, timeBudgetMs: 60_000, onStep: (n) => names.includes(n) || names.push(n) });
      return names.filter((n) => n === 'module-grid' || n === 'template-grid');
    };
    const small = (await generateHardQrSet({ count: 8, seed: 7, categories: ['small'] })).find(
      (s) => s.name === 'small/7',
    )!;
    expect((await order(small.image))[0]).toBe('template-grid');
    const level4 = await generateCardQrSet({ count: 1, levels: [4], seed: 31 });
    expect((await order(level4[0]!.image))[0]).toBe('module-grid');
  }, 180_000);
});
