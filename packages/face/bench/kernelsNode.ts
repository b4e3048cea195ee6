// Node side of kernels.bench.ts. It runs in a child process (forked with the bench's tsx loader)
// so that the bench can start it with a glibc allocator setting: see kernels.bench.ts for why.
// The child reads one KernelsNodeRequest from IPC, times the models and sends a KernelsNodeResult.
import { percentile } from '@smart-citizen/bench';
import { type FaceBackend, createSession, loadOrt, runModel } from '../src/runtime.js';
import { type ConvLayer, convModel, convSpec, seededValues } from './onnxLayer.js';

export interface NodeTiming {
  /** Median process CPU ms per run (every thread of the process). */
  cpuMs: number;
  /** Median wall ms per run. */
  wallMs: number;
  /** Median minor page faults per run. */
  faults: number;
}

/** Median times of the one-layer model and of the chain of `depth` layers. */
export interface LayerTiming<T> {
  one: T;
  deep: T;
}

export interface Warmup {
  /** At least this many runs... */
  runs: number;
  /** ...and at least this long, so V8's optimised WASM code is in place before timing. */
  ms: number;
}

export interface KernelsNodeRequest {
  backend: FaceBackend;
  layers: ConvLayer[];
  depth: number;
  warmup: Warmup;
  runs: number;
}

export type KernelsNodeResult =
  | { ok: true; timings: LayerTiming<NodeTiming>[]; busy: number[] }
  | { ok: false; error: string };

/**
 * Wait until the process is idle: process CPU time counts every thread, and for the first
 * second or so after loading onnxruntime (and while V8 tiers WASM up in the background) other
 * threads add several ms to every run. Returns the busy fraction of the last 100 ms window.
 */
async function waitForQuiet(maxMs = 5000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const c0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 100));
    const c = process.cpuUsage(c0);
    const busy = (c.user + c.system) / 1000 / 100;
    if (busy < 0.05 || performance.now() - t0 > maxMs) return Math.round(busy * 1000) / 1000;
  }
}

async function timeModel(req: KernelsNodeRequest, l: ConvLayer, depth: number, busy: number[]): Promise<NodeTiming> {
  const ort = await loadOrt(req.backend, { threads: 1 });
  const spec = convSpec(l);
  // threads 1, no spinning: the options the face package runs its models with.
  const session = await createSession(ort, convModel(l, depth), spec, req.backend, { threads: 1 });
  try {
    const dims = [1, l.cin, l.h, l.w];
    const x = seededValues(l.cin * l.h * l.w, 3);
    const w0 = performance.now();
    for (let i = 0; i < req.warmup.runs || performance.now() - w0 < req.warmup.ms; i++) {
      await runModel(ort, session, spec, x, dims);
    }
    busy.push(await waitForQuiet());
    const cpu: number[] = [];
    const wall: number[] = [];
    const faults: number[] = [];
    for (let i = 0; i < req.runs; i++) {
      const f0 = process.resourceUsage().minorPageFault;
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await runModel(ort, session, spec, x, dims);
      const c = process.cpuUsage(c0);
      wall.push(performance.now() - t0);
      cpu.push((c.user + c.system) / 1000);
      faults.push(process.resourceUsage().minorPageFault - f0);
    }
    return { cpuMs: percentile(cpu, 50), wallMs: percentile(wall, 50), faults: percentile(faults, 50) };
  } finally {
    await session.release();
  }
}

async function timeAll(req: KernelsNodeRequest): Promise<KernelsNodeResult> {
  const busy: number[] = [];
  const timings: LayerTiming<NodeTiming>[] = [];
  for (const l of req.layers) {
    timings.push({ one: await timeModel(req, l, 1, busy), deep: await timeModel(req, l, req.depth, busy) });
  }
  return { ok: true, timings, busy };
}

if (process.send) {
  process.once('message', (req: KernelsNodeRequest) => {
    timeAll(req)
      .catch(
        (err: unknown): KernelsNodeResult => ({
          ok: false,
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        }),
      )
      .then((result) => process.send?.(result, () => process.disconnect()));
  });
}
