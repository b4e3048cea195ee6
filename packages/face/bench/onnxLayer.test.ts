import { describe, expect, it } from 'vitest';
import { createSession, loadOrt, runModel } from '../src/runtime.js';
import { type ConvLayer, convFlops, convModel, convReference, convSpec, seededValues } from './onnxLayer.js';

const layers: ConvLayer[] = [
  { name: 'conv3x3', cin: 4, cout: 6, h: 5, w: 7, k: 3, group: 1 },
  { name: 'depthwise3x3', cin: 6, cout: 6, h: 5, w: 7, k: 3, group: 6 },
  { name: 'grouped5x5', cin: 4, cout: 6, h: 6, w: 5, k: 5, group: 2 },
  { name: 'pointwise', cin: 5, cout: 3, h: 4, w: 4, k: 1, group: 1 },
];

describe('one-layer ONNX model', () => {
  it.each(layers)('$name in onnxruntime-node matches the plain-JS Conv+Relu', async (l) => {
    const ort = await loadOrt('node');
    const s = convSpec(l);
    const session = await createSession(ort, convModel(l), s, 'node', { threads: 1 });
    try {
      // Inputs in [−1, 1) so that outputs are of order 0.1–1 and both signs reach the Relu.
      const x = seededValues(l.cin * l.h * l.w, 3).map((v) => v * 10);
      const { y } = await runModel(ort, session, s, x, [1, l.cin, l.h, l.w]);
      const ref = convReference(l, x);
      expect(y?.length).toBe(l.cout * l.h * l.w);
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs((y?.[i] ?? Number.NaN) - ref[i]!));
      expect(maxDiff).toBeLessThan(1e-4);
      // The comparison means something only if the Relu both clipped and passed values.
      expect(ref.some((v) => v === 0)).toBe(true);
      expect(ref.some((v) => v > 0.01)).toBe(true);
    } finally {
      await session.release();
    }
  });

  it('chains the layer depth times when asked', async () => {
    const l: ConvLayer = { name: 'chain', cin: 4, cout: 4, h: 6, w: 5, k: 3, group: 1 };
    const ort = await loadOrt('node');
    const s = convSpec(l);
    const session = await createSession(ort, convModel(l, 3), s, 'node', { threads: 1 });
    try {
      const x = seededValues(l.cin * l.h * l.w, 5).map((v) => v * 10);
      const { y } = await runModel(ort, session, s, x, [1, l.cin, l.h, l.w]);
      const ref = convReference(l, convReference(l, convReference(l, x)));
      const once = convReference(l, x);
      let maxDiff = 0;
      let maxFromOnce = 0;
      for (let i = 0; i < ref.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs((y?.[i] ?? Number.NaN) - ref[i]!));
        maxFromOnce = Math.max(maxFromOnce, Math.abs(ref[i]! - once[i]!));
      }
      expect(maxDiff).toBeLessThan(1e-4);
      expect(maxFromOnce).toBeGreaterThan(1e-3);
    } finally {
      await session.release();
    }
    expect(() => convModel({ ...l, cout: 6 }, 2)).toThrow(RangeError);
  });

  it('counts 2 FLOP per multiply-add', () => {
    // 1×1 32→32 at 120×160: 32·32 MACs per pixel.
    expect(convFlops({ name: 'pw', cin: 32, cout: 32, h: 120, w: 160, k: 1, group: 1 })).toBe(39_321_600);
    // Depthwise 3×3 on 64 channels at 120×160: 9 MACs per output value.
    expect(convFlops({ name: 'dw', cin: 64, cout: 64, h: 120, w: 160, k: 3, group: 64 })).toBe(22_118_400);
    expect(convFlops({ name: 'c', cin: 4, cout: 6, h: 5, w: 7, k: 3, group: 2 })).toBe(2 * 6 * 2 * 9 * 35);
  });

  it('rejects a layer whose channels do not split into the groups', () => {
    expect(() => convModel({ name: 'bad', cin: 6, cout: 4, h: 3, w: 3, k: 3, group: 3 })).toThrow(RangeError);
    expect(() => convModel({ name: 'even', cin: 2, cout: 2, h: 3, w: 3, k: 2, group: 1 })).toThrow(RangeError);
  });
});
