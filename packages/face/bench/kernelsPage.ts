// Browser side of kernels.bench.ts: bundled with esbuild and loaded in headless Chromium. Builds each
// one-layer model in the page and times it with onnxruntime-web (WASM) through the face runtime's own
// loadOrt/createSession/runModel, so the session options are the ones the browser build uses.
import { createSession, loadOrt, runModel } from '../src/runtime.js';
import { type ConvLayer, convModel, convSpec, seededValues } from './onnxLayer.js';

export interface KernelsPageOptions {
  layers: ConvLayer[];
  /** Chain length of the deep model (see `convModel`); the one-layer model is timed too. */
  depth: number;
  /** `ort.env.wasm.numThreads`; set before the first session, so one page runs one thread count. */
  threads: number;
  /** Warm-up: at least `warmup` runs and `warmupMs` ms (so V8's optimised WASM code is in place). */
  warmup: number;
  warmupMs: number;
  runs: number;
}

export interface KernelsPageResult {
  userAgent: string;
  crossOriginIsolated: boolean;
  /** `ort.env.wasm.numThreads` read back after the sessions ran. */
  numThreads: number;
  /** Outcome of `navigator.ml.createContext({ deviceType: 'cpu' })`. */
  webnn: string;
  /** Wall-clock ms of each timed run, per layer, of the one-layer and the deep model. */
  layers: { name: string; one: number[]; deep: number[] }[];
}

interface WebnnNavigator {
  ml?: { createContext(options: { deviceType: string }): Promise<unknown> };
}

async function probeWebnn(): Promise<string> {
  const ml = (navigator as unknown as WebnnNavigator).ml;
  if (!ml) return 'navigator.ml is undefined';
  try {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no answer within 10 s')), 10_000),
    );
    await Promise.race([ml.createContext({ deviceType: 'cpu' }), timeout]);
    return 'createContext({deviceType: cpu}) succeeded';
  } catch (err) {
    return `createContext({deviceType: cpu}) failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
  }
}

async function run(options: KernelsPageOptions): Promise<KernelsPageResult> {
  const runtime = { threads: options.threads, wasmPaths: new URL('/ort/', location.href).href };
  const ort = await loadOrt('web', runtime);
  const layers: KernelsPageResult['layers'] = [];
  const time = async (l: ConvLayer, depth: number): Promise<number[]> => {
    const spec = convSpec(l);
    const session = await createSession(ort, convModel(l, depth), spec, 'web', runtime);
    try {
      const dims = [1, l.cin, l.h, l.w];
      const x = seededValues(l.cin * l.h * l.w, 3);
      const w0 = performance.now();
      for (let i = 0; i < options.warmup || performance.now() - w0 < options.warmupMs; i++) {
        await runModel(ort, session, spec, x, dims);
      }
      const wallMs: number[] = [];
      for (let i = 0; i < options.runs; i++) {
        const t0 = performance.now();
        await runModel(ort, session, spec, x, dims);
        wallMs.push(performance.now() - t0);
      }
      return wallMs;
    } finally {
      await session.release();
    }
  };
  for (const l of options.layers) {
    layers.push({ name: l.name, one: await time(l, 1), deep: await time(l, options.depth) });
  }
  const { env } = await import('onnxruntime-web');
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    numThreads: env.wasm.numThreads ?? Number.NaN,
    webnn: await probeWebnn(),
    layers,
  };
}

(globalThis as unknown as { kernelsHarness: { run: typeof run } }).kernelsHarness = { run };
