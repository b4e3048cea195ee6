/**
 * One way to load onnxruntime and set up its sessions, shared by the packages that run ONNX
 * models (face, idcard): the thread and spinning policy for a 2-core kiosk lives here only.
 * Core itself does not depend on onnxruntime: the types below are the structural part it sets,
 * and the browser build is imported by the caller (so a bundler resolves it from that package).
 */

/** True when running in Node.js. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Which onnxruntime build runs a model: onnxruntime-node (native) or onnxruntime-web (WebAssembly). */
export type OnnxBackend = 'node' | 'web';

/** The build that fits where the code runs: `node` in Node.js, `web` elsewhere. */
export function defaultOnnxBackend(): OnnxBackend {
  return isNode() ? 'node' : 'web';
}

/** Runtime options of an onnxruntime session. */
export interface OnnxRuntimeOptions {
  /** Intra-op threads per session. @default 1 */
  threads?: number;
  /** Let idle onnxruntime-node threads spin (only helps on an otherwise idle many-core box). @default false */
  allowSpinning?: boolean;
  /**
   * onnxruntime-web: where its `.wasm`/`.mjs` files are (a URL prefix or a map, passed to
   * `ort.env.wasm.wasmPaths`). @default the files of the installed onnxruntime-web package
   */
  wasmPaths?: string | Record<string, string>;
}

/** The part of onnxruntime-web's module this loader configures. */
interface OnnxWebEnv {
  env: { wasm: { numThreads?: number; proxy?: boolean; wasmPaths?: unknown } };
}

/**
 * How the calling package imports each onnxruntime build, so the module is resolved from that
 * package (which depends on it), not from core. `node` is called with the specifier
 * `'onnxruntime-node'` and should import it as a variable (`(s) => import(/* @vite-ignore *\/ s)`)
 * so browser bundlers do not follow it into the native `.node` binaries; `web` is
 * `() => import('onnxruntime-web')`, which bundlers do include.
 */
export interface OnnxImporters {
  node: (specifier: string) => Promise<unknown>;
  web: () => Promise<unknown>;
}

/**
 * Import an onnxruntime build through the caller's importers; for `web`, set its WebAssembly
 * threads (`options.threads`, default 1), no proxy worker, and `wasmPaths` when given.
 * @typeParam T the caller's view of the onnxruntime API (both builds share it)
 */
export async function importOnnxRuntime<T>(
  backend: OnnxBackend,
  options: OnnxRuntimeOptions,
  importers: OnnxImporters,
): Promise<T> {
  if (backend === 'node') {
    const mod = (await importers.node('onnxruntime-node')) as { InferenceSession?: unknown; default?: unknown };
    return (mod.InferenceSession ? mod : mod.default) as T;
  }
  const mod = (await importers.web()) as OnnxWebEnv;
  mod.env.wasm.numThreads = Math.max(1, options.threads ?? 1);
  mod.env.wasm.proxy = false;
  if (options.wasmPaths !== undefined) mod.env.wasm.wasmPaths = options.wasmPaths;
  return mod as T;
}

/** Session options accepted by both onnxruntime builds' `InferenceSession.create`. */
export interface OnnxSessionOptions {
  executionMode: 'sequential';
  graphOptimizationLevel: 'all';
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  executionProviders?: string[];
  extra?: { session: { intra_op: { allow_spinning: '0' | '1' }; inter_op: { allow_spinning: '0' | '1' } } };
}

/**
 * Sequential execution, full graph optimisation, `threads` intra-op threads (default 1) and, in
 * Node, no spinning unless `allowSpinning`: on 2 cores a spinning idle thread takes a core from
 * the other session.
 */
export function onnxSessionOptions(backend: OnnxBackend, options: OnnxRuntimeOptions = {}): OnnxSessionOptions {
  if (backend === 'web') {
    return { executionProviders: ['wasm'], graphOptimizationLevel: 'all', executionMode: 'sequential' };
  }
  const spin = options.allowSpinning ? '1' : '0';
  return {
    intraOpNumThreads: Math.max(1, options.threads ?? 1),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
  };
}
