import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { generateCardClips } from '../testing/generateCardClip.js';
import { createMultiFrameReader, frameSharpness } from './multiFrame.js';

describe('createMultiFrameReader', () => {
  it('picks the sharpest frame, reads a settled card, and reports typed results on blurred ones', async () => {
    const engine = await createZxingWasmEngine();
    const [slide] = await generateCardClips({ count: 1, motions: ['slide-in'], frames: 16, seed: 3 });
    if (!slide) throw new Error('no clip');
    const reader = createMultiFrameReader({ engine, timeBudgetMs: 2000 });
    // The first frames show the card flying in (blurred), the last ones nearly still.
    const first = slide.frames[1];
    const last = slide.frames[15];
    if (!first || !last) throw new Error('short clip');
    expect(frameSharpness(last)).toBeGreaterThan(frameSharpness(first));
    expect(reader.pick([first, last])).toBe(last);
    const early = await reader.push(first);
    expect(typeof early.ok).toBe('boolean');
    const settled = await reader.push(last);
    expect(settled.ok).toBe(true);
    expect(settled.text).toBe(slide.text);
    reader.reset();
    engine.close();
  }, 120_000);

  it('rejects bad options', () => {
    expect(() => createMultiFrameReader({ frames: 0 })).toThrow(RangeError);
    expect(() => createMultiFrameReader({ minFrames: 1 })).toThrow(RangeError);
  });
});
