import { isSmartCitizenError } from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { createZxingJsEngine } from '../engine/createZxingJsEngine.js';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { generateCardQrSet } from '../testing/generateCardQrSet.js';
import { generatePdf417Set } from '../testing/generatePdf417Set.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { degradationLevels, renderCardImage } from '../testing/renderCardImage.js';
import { createRng } from '@smart-citizen/core';
import { readCardQr } from './readCardQr.js';

const today = new Date('2026-06-01T00:00:00Z');
const VIETQR = '00020101021138540010A00000072701240006970403011012345678900208QRIBFTTA53037045802VN63041D3A';

async function plainCode(text: string, format: 'QRCode' | 'PDF417' = 'QRCode', seed = 1): Promise<RasterImage> {
  const writer = await createBarcodeWriter();
  const code = await writer.write(text, format);
  return renderCardImage(code, degradationLevels[0]!, createRng(seed), { width: 640, height: 480, layout: 'plain' });
}

describe('readCardQr', () => {
  it('reads generated card photos (clean and mildly degraded) into the identity they encode', async () => {
    const set = await generateCardQrSet({ count: 2, levels: [0, 1], seed: 11 });
    for (const sample of set) {
      const r = await readCardQr(sample.jpeg ?? sample.image, { today, timeBudgetMs: 2000 });
      expect(r.ok).toBe(true);
      expect(r.text).toBe(sample.text);
      expect(r.identity?.idNumber).toBe(sample.text.slice(0, 12));
      expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(r.strategy).toBeTypeOf('string');
      expect(r.attempts).toBeGreaterThan(0);
      expect(r.corners).toHaveLength(4);
    }
  });

  it('returns a foreign code with the reason, not as a card', async () => {
    const img = await plainCode(VIETQR);
    const card = await readCardQr(img, { today });
    expect(card.ok).toBe(false);
    expect(card.text).toBe(VIETQR);
    expect(card.issues.map((i) => i.code)).toEqual(['qr/not-a-card-payload']);
    const any = await readCardQr(img, { today, accept: 'any' });
    expect(any.ok).toBe(true);
    expect(any.text).toBe(VIETQR);
    expect(any.identity).toBeUndefined();
  });

  it('reports qr/not-found on an image without a code and respects the time budget', async () => {
    const blank: RasterImage = { width: 320, height: 240, channels: 1, data: new Uint8Array(320 * 240).fill(200) };
    const r = await readCardQr(blank, { today });
    expect(r.ok).toBe(false);
    expect(r.issues[0]?.code).toBe('qr/not-found');
    let t = 0;
    const clock = () => {
      t += 100;
      return t;
    };
    const slow = await readCardQr(blank, { today, timeBudgetMs: 10, now: clock });
    expect(slow.attempts).toBe(1);
  });

  it('reads a PDF417 (2016 CCCD back) and returns its raw text', async () => {
    const text = '001099012345|Nguyen Van An|01011999';
    const img = await plainCode(text, 'PDF417');
    const r = await readCardQr(img, { today, formats: ['QRCode', 'PDF417'] });
    expect(r.ok).toBe(true);
    expect(r.format).toBe('PDF417');
    expect(r.text).toBe(text);
    expect(r.issues.map((i) => i.code)).toEqual(['qr/pdf417-format-unknown']);
  });

  it('reads a turned, tilted PDF417 on a card back by locating and rectifying it, only when PDF417 is asked for', async () => {
    const text = '079199012345|Trần Thị Bình|15081999|Nữ';
    const code = await (await createBarcodeWriter()).write(text, 'PDF417');
    const d = { ...degradationLevels[1]!, pxPerModule: 4, rotationDeg: 25, perspective: 0.1, jpegQuality: 0 };
    const img = renderCardImage(code, d, createRng(12), { layout: 'pdf417-back', keepCodeInView: true });
    const r = await readCardQr(img, { today, formats: ['PDF417'], timeBudgetMs: 5000 });
    expect(r.ok).toBe(true);
    expect(r.text).toBe(text);
    expect(r.corners).toHaveLength(4);
    const qrOnly = await readCardQr(img, { today, timeBudgetMs: 5000 });
    expect(qrOnly.ok).toBe(false);
  });

  it('the pure-JS engine returns PDF417 results whose corner points it did not find without throwing', async () => {
    // This back made @zxing/library return a result with null points (a TypeError before).
    const [, , back] = await generatePdf417Set({ count: 3, levels: [0], seed: 16 });
    const engine = await createZxingJsEngine();
    expect(() => engine.decode(back!.image, { formats: ['PDF417'] })).not.toThrow();
    engine.close();
  });

  it('works with the pure-JS engine, rotating by itself', async () => {
    const engine = await createZxingJsEngine();
    const [sample] = await generateCardQrSet({ count: 1, levels: [0], seed: 5 });
    const writer = await createBarcodeWriter();
    const code = await writer.write(sample!.text);
    const turned = renderCardImage(code, degradationLevels[0]!, createRng(2), {
      quarterTurns: 2,
      width: 900,
      height: 700,
      layout: 'plain',
    });
    const r = await readCardQr(turned, { today, engine, timeBudgetMs: 5000 });
    expect(r.ok).toBe(true);
    expect(r.text).toBe(sample!.text);
    engine.close();
  });

  it('rejects bytes that are not an image with a typed error', async () => {
    await expect(readCardQr(new Uint8Array([1, 2, 3, 4, 5]))).rejects.toSatisfy((e) => isSmartCitizenError(e));
    await expect(readCardQr(new Uint8Array(0))).rejects.toSatisfy((e) => isSmartCitizenError(e));
    await expect(readCardQr(new Uint8Array(10), { timeBudgetMs: -1 })).rejects.toBeInstanceOf(RangeError);
  });

  it('the engine closes idempotently and refuses work afterwards', async () => {
    const engine = await createZxingWasmEngine();
    engine.close();
    engine.close();
    expect(() => engine.decode({ width: 1, height: 1, channels: 1, data: new Uint8Array(1) })).toThrow(
      expect.objectContaining({ code: 'qr/engine-closed' }),
    );
  });
});
