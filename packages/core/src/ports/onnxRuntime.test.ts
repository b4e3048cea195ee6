import { describe, expect, it } from 'vitest';
import { defaultOnnxBackend, importOnnxRuntime, isNode, onnxSessionOptions } from './onnxRuntime.js';

describe('onnxRuntime', () => {
  it('knows it runs in Node', () => {
    expect(isNode()).toBe(true);
    expect(defaultOnnxBackend()).toBe('node');
  });

  it('sets one thread and no spinning in Node unless told otherwise', () => {
    expect(onnxSessionOptions('node')).toEqual({
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    const spun = onnxSessionOptions('node', { threads: 3, allowSpinning: true });
    expect(spun.intraOpNumThreads).toBe(3);
    expect(spun.extra?.session.intra_op.allow_spinning).toBe('1');
    expect(onnxSessionOptions('node', { threads: 0 }).intraOpNumThreads).toBe(1);
    expect(onnxSessionOptions('web')).toEqual({
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
    });
  });

  it('configures the WebAssembly build the caller imports', async () => {
    const fake = { env: { wasm: {} as Record<string, unknown> }, InferenceSession: {} };
    const got = await importOnnxRuntime<typeof fake>(
      'web',
      { threads: 2, wasmPaths: '/ort/' },
      { node: async () => ({}), web: async () => fake },
    );
    expect(got).toBe(fake);
    expect(fake.env.wasm).toEqual({ numThreads: 2, proxy: false, wasmPaths: '/ort/' });
    const other = { env: { wasm: {} as Record<string, unknown> } };
    await importOnnxRuntime('web', {}, { node: async () => ({}), web: async () => other });
    expect(other.env.wasm).toEqual({ numThreads: 1, proxy: false });
  });

  it('takes the Node build as it is or from its default export, without the web importer', async () => {
    let webCalls = 0;
    const web = async () => {
      webCalls++;
      return {};
    };
    const named = { InferenceSession: { create: 1 } };
    expect(
      await importOnnxRuntime('node', {}, { node: async (s) => (s === 'onnxruntime-node' ? named : null), web }),
    ).toBe(named);
    const wrapped = { default: named };
    expect(await importOnnxRuntime('node', {}, { node: async () => wrapped, web })).toBe(named);
    expect(webCalls).toBe(0);
  });
});
