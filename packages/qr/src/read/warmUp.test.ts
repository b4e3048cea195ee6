import { createRng } from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import type { QrEngine } from '../engine/QrEngine.js';
import { createInlineFrameDecoder } from '../scanner/frameDecoder.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { randomCardPayload } from '../testing/randomCardPayload.js';
import { degradationLevels, renderCardImage } from '../testing/renderCardImage.js';
import { createMultiFrameReader } from './multiFrame.js';
import { readCardQr } from './readCardQr.js';
import { WARM_UP_TEXT, warmUpFrame, warmUpQrReader } from './warmUp.js';

/** The real engine, recording the image of every decode call. */
async function recordingEngine(): Promise<{ engine: QrEngine; images: RasterImage[] }> {
  const real = await createZxingWasmEngine();
  const images: RasterImage[] = [];
  const engine: QrEngine = {
    name: real.name,
    decode(image, options) {
      images.push(image);
      return real.decode(image, options);
    },
    close: () => real.close(),
  };
  return { engine, images };
}

describe('warmUpQrReader', () => {
  it('warms up on a code each grid rung reads alone (so their finder searches, fits and readings all run)', async () => {
    const engine = await createZxingWasmEngine();
    const frame = warmUpFrame();
    expect([frame.width, frame.height]).toEqual([1280, 960]);
    for (const rung of ['module-grid', 'template-grid']) {
      const r = await readCardQr(frame, { engine, accept: 'any', ladder: [rung], timeBudgetMs: 10_000 });
      expect([rung, r.text]).toEqual([rung, WARM_UP_TEXT]);
      expect(r.strategy).toBe(rung);
    }
    engine.close();
  }, 60_000);

  it('runs the engine call and both grid rungs once per engine', async () => {
    const { engine, images } = await recordingEngine();
    const first = warmUpQrReader({ engine });
    expect(await first).toEqual(['raw', 'module-grid', 'template-grid']);
    const calls = images.length;
    // The code is not a card payload: the ladder goes on past the raw read to every grid reading.
    expect(calls).toBeGreaterThan(2);
    expect(warmUpQrReader({ engine })).toBe(first);
    expect(images.length).toBe(calls);
    engine.close();
  }, 60_000);

  it('runs before the inline frame decoder and the multi-frame reader read their first frame', async () => {
    const writer = await createBarcodeWriter();
    const payload = randomCardPayload(createRng(5));
    const frame = renderCardImage(await writer.write(payload.text), degradationLevels[1]!, createRng(11));
    for (const make of [
      (engine: QrEngine) => createInlineFrameDecoder(engine, { timeBudgetMs: 2000 }).decode(frame),
      (engine: QrEngine) =>
        createMultiFrameReader({ engine, timeBudgetMs: 2000 })
          .push(frame)
          .then((result) => ({ result })),
    ]) {
      const { engine, images } = await recordingEngine();
      const { result } = await make(engine);
      expect(result.text).toBe(payload.text);
      // The first engine call was the warm-up's (its frame, read raw), not the card frame's.
      expect(images.length).toBeGreaterThan(1);
      expect(images[0]?.data).toEqual(warmUpFrame().data);
      engine.close();
    }
  }, 120_000);
});
