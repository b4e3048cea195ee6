import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import type { ReadCardQrResult } from '../read/readCardQr.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { randomCardPayload } from '../testing/randomCardPayload.js';
import { degradationLevels, renderCardImage } from '../testing/renderCardImage.js';
import { createRng } from '@smart-citizen/core';
import { assessFrame, type CaptureHint } from './assessFrame.js';
import { type FrameSource, createQrScanner } from './createQrScanner.js';
import { createInlineFrameDecoder, type FrameDecoder, type FrameReading } from './frameDecoder.js';

/** A frame source that plays a list of frames, one per tick, driven by the test. */
function fakeSource(frames: (RasterImage | undefined)[]) {
  let i = 0;
  let pending: (() => void) | undefined;
  const source: FrameSource = {
    grab: () => frames[Math.min(i, frames.length - 1)],
    onNextFrame(cb) {
      pending = cb;
      return () => {
        pending = undefined;
      };
    },
  };
  return {
    source,
    /** Advance to the next frame and fire the frame callback. */
    async step() {
      const cb = pending;
      pending = undefined;
      cb?.();
      i++;
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

/** A decoder that returns scripted texts (undefined = nothing read). */
function scriptedDecoder(
  texts: (string | undefined)[],
  hint: CaptureHint = 'no-code',
): FrameDecoder & { calls: number } {
  const d = {
    calls: 0,
    async decode(): Promise<FrameReading> {
      const text = texts[d.calls++];
      const result: ReadCardQrResult = text
        ? { ok: true, text, issues: [], attempts: 1, ms: 1 }
        : { ok: false, issues: [], attempts: 1, ms: 1 };
      return { result, assessment: { hint, brightness: 100, glare: 0 } };
    },
    close() {},
  };
  return d;
}

const grey = (w: number, h: number, v: number): RasterImage => ({
  width: w,
  height: h,
  channels: 1,
  data: new Uint8Array(w * h).fill(v),
});

describe('createQrScanner', () => {
  it('reports a payload only after two consecutive agreeing reads, once', async () => {
    const frame = grey(8, 8, 128);
    const { source, step } = fakeSource(Array(10).fill(frame));
    const decoder = scriptedDecoder(['A', 'B', 'A', 'A', 'A', undefined, 'B', 'B']);
    const results: string[] = [];
    let t = 0;
    const scanner = createQrScanner({
      source,
      decoder,
      intervalMs: 0,
      now: () => t++,
      onResult: (r) => results.push(r.text!),
    });
    scanner.start();
    for (let i = 0; i < 8; i++) await step();
    expect(results).toEqual(['A', 'B']);
    expect(scanner.running).toBe(true);
    scanner.close();
    expect(scanner.running).toBe(false);
    expect(() => scanner.start()).toThrow(expect.objectContaining({ code: 'qr/scanner-closed' }));
  });

  it('throttles decodes to the interval', async () => {
    const { source, step } = fakeSource(Array(20).fill(grey(8, 8, 128)));
    const decoder = scriptedDecoder([]);
    let t = 0;
    const scanner = createQrScanner({
      source,
      decoder,
      intervalMs: 100,
      now: () => {
        t += 30;
        return t;
      },
      onResult: () => {},
    });
    scanner.start();
    for (let i = 0; i < 20; i++) await step();
    // 20 frames 30 ms apart = 600 ms: about one decode per 4 frames.
    expect(decoder.calls).toBeGreaterThanOrEqual(4);
    expect(decoder.calls).toBeLessThanOrEqual(7);
    scanner.stop();
  });

  it('emits guidance when the hint changes', async () => {
    const { source, step } = fakeSource(Array(4).fill(grey(8, 8, 10)));
    const hints: string[] = [];
    const scanner = createQrScanner({
      source,
      decoder: scriptedDecoder([undefined, undefined, undefined], 'too-dark'),
      intervalMs: 0,
      onResult: () => {},
      onGuidance: (h) => hints.push(h),
    });
    scanner.start();
    for (let i = 0; i < 3; i++) await step();
    expect(hints).toEqual(['too-dark']);
    scanner.close();
  });

  it('needs a source and a decoder', () => {
    expect(() => createQrScanner({ onResult: () => {} })).toThrow(
      expect.objectContaining({ code: 'qr/scanner-no-source' }),
    );
    const { source } = fakeSource([]);
    expect(() => createQrScanner({ source, onResult: () => {} })).toThrow(
      expect.objectContaining({ code: 'qr/scanner-no-decoder' }),
    );
  });

  it('reads real rendered frames end to end with the inline decoder', async () => {
    const writer = await createBarcodeWriter();
    const payload = randomCardPayload(createRng(4));
    const code = await writer.write(payload.text);
    const frame = renderCardImage(code, degradationLevels[1]!, createRng(9));
    const { source, step } = fakeSource([frame, frame, frame]);
    const decoder = createInlineFrameDecoder(await createZxingWasmEngine(), { timeBudgetMs: 2000 });
    const results: string[] = [];
    const scanner = createQrScanner({ source, decoder, intervalMs: 0, onResult: (r) => results.push(r.text!) });
    scanner.start();
    for (let i = 0; i < 3; i++) {
      await step();
      await new Promise((r) => setTimeout(r, 50));
      for (let k = 0; k < 100 && results.length === 0 && i === 2; k++) await new Promise((r) => setTimeout(r, 50));
    }
    expect(results).toEqual([payload.text]);
    scanner.close();
  });
});

describe('assessFrame', () => {
  it('says too dark, glare, too far, no code and ok', async () => {
    expect(assessFrame(grey(200, 150, 20)).hint).toBe('too-dark');
    expect(assessFrame(grey(200, 150, 128)).hint).toBe('no-code');
    const writer = await createBarcodeWriter();
    const code = await writer.write(randomCardPayload(createRng(5)).text);
    const far = renderCardImage(code, { ...degradationLevels[0]!, pxPerModule: 1.6 }, createRng(3));
    const farHint = assessFrame(far);
    expect(farHint.hint).toBe('too-far');
    expect(farHint.pxPerModule).toBeLessThan(3);
    const near = renderCardImage(code, { ...degradationLevels[0]!, pxPerModule: 5 }, createRng(3), { layout: 'plain' });
    const ok = assessFrame(near);
    expect(ok.hint).toBe('ok');
    expect(ok.pxPerModule).toBeGreaterThan(3);
    // A saturated patch over the code: glare.
    const glared = { ...near, data: near.data.slice() };
    for (let y = 380; y < 580; y++) for (let x = 540; x < 740; x++) glared.data[y * near.width + x] = 255;
    expect(assessFrame(glared).hint).toBe('glare');
    // With the decoded corners, px per module comes from the code itself.
    const corners = [
      { x: 100, y: 100 },
      { x: 325, y: 100 },
      { x: 325, y: 325 },
      { x: 100, y: 325 },
    ];
    expect(assessFrame(near, { corners, moduleCount: 45 }).pxPerModule).toBeCloseTo(5, 5);
  });
});
