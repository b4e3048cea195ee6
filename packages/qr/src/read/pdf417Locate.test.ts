import { createRng } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { renderCardImage } from '../testing/renderCardImage.js';
import { binariseLocalMean } from './finders.js';
import { locatePdf417, rectifyPdf417, startModule, stopModule } from './pdf417Locate.js';

describe('PDF417 start and stop patterns', () => {
  it('match their bar widths at any scale and nothing QR-like', () => {
    const start = [8, 1, 1, 1, 1, 1, 1, 3].map((v) => v * 3);
    const stop = [7, 1, 1, 3, 1, 1, 1, 2, 1].map((v) => v * 2.5);
    expect(startModule(start, 0)).toBeCloseTo(3);
    expect(stopModule(stop, 0)).toBeCloseTo(2.5);
    expect(startModule(stop, 0)).toBe(0);
    expect(stopModule(start, 0)).toBe(0);
    // A QR finder's 1:1:3:1:1 run and an even bar code are neither.
    const finder = [3, 3, 9, 3, 3, 3, 3, 3, 3];
    expect(startModule(finder, 0)).toBe(0);
    expect(stopModule(finder, 0)).toBe(0);
  });
});

describe('locatePdf417 / rectifyPdf417', () => {
  it('finds a turned PDF417 on a card and warps it upright so the engine decodes it', async () => {
    const writer = await createBarcodeWriter();
    const text = '001099012345|Nguyễn Văn An|01011999|Nam';
    const code = await writer.write(text, 'PDF417');
    const base = {
      pxPerModule: 3.5,
      perspective: 0.08,
      rotationDeg: 0,
      blurSigma: 0.5,
      noiseSigma: 3,
      unevenLight: 0.2,
      contrast: 0.8,
      jpegQuality: 0,
    };
    const engine = await createZxingWasmEngine();
    for (const quarterTurns of [0, 1, 2, 3] as const) {
      const img = renderCardImage(code, { ...base, rotationDeg: 20 }, createRng(7 + quarterTurns), {
        width: 960,
        height: 720,
        layout: 'pdf417-back',
        quarterTurns,
        keepCodeInView: true,
      });
      const bin = binariseLocalMean(img, 30, 3);
      const found = locatePdf417(bin, img.width, img.height);
      expect(found.length).toBeGreaterThanOrEqual(1);
      const loc = found[0]!;
      expect(loc.module).toBeGreaterThan(2.5);
      expect(loc.module).toBeLessThan(4.5);
      const r = rectifyPdf417(img, loc, 3);
      expect(r).toBeDefined();
      // Upright: wider than high, as the symbol is.
      expect(r!.image.width).toBeGreaterThan(r!.image.height);
      expect(engine.decode(r!.image, { formats: ['PDF417'] })[0]?.text).toBe(text);
      // The crop's corners map back inside the frame.
      const c = r!.back({ x: r!.image.width / 2, y: r!.image.height / 2 });
      expect(c.x).toBeGreaterThan(0);
      expect(c.x).toBeLessThan(img.width);
    }
    engine.close();
  }, 60_000);

  it('finds nothing on a frame without a barcode', () => {
    const rng = createRng(3);
    const noise = { width: 320, height: 240, channels: 1 as const, data: new Uint8Array(320 * 240) };
    for (let i = 0; i < noise.data.length; i++) noise.data[i] = 120 + rng.int(0, 40);
    expect(locatePdf417(binariseLocalMean(noise, 10, 3), noise.width, noise.height)).toEqual([]);
  });
});
