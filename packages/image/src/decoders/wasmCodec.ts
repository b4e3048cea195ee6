import { isNode } from '@smart-citizen/core';
import { imageError } from '../imageErrors.js';

/** Where a decoder's WebAssembly comes from: a compiled module or the `.wasm` bytes. */
export type WasmSource = WebAssembly.Module | ArrayBuffer | Uint8Array;

/** An ImageData-like RGBA result of the Squoosh codecs. */
export interface RgbaImageData {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

type EmscriptenFactory<T> = (options: Record<string, unknown>) => Promise<T>;

/**
 * @internal Lazily instantiated Emscripten codec (Squoosh builds repackaged by jSquash).
 *
 * The compiled module is kept; the instance is dropped after a failure (an Emscripten abort can
 * leave it unusable) and after a large image (WebAssembly memory never shrinks), and rebuilt
 * on the next call, which costs a few milliseconds.
 */
export class WasmCodec<T> {
  private compiled: Promise<WebAssembly.Module | undefined> | undefined;
  private instance: Promise<T> | undefined;
  /** Last diagnostic the codec printed (libjpeg/libwebp messages, no image content). */
  lastMessage = '';

  constructor(
    private readonly format: string,
    private readonly loadFactory: () => Promise<EmscriptenFactory<T>>,
    private readonly wasmSpecifier: string,
  ) {}

  /** Use this WebAssembly from now on (see {@link initImageDecoders}). */
  setWasm(source: WasmSource | undefined): void {
    this.instance = undefined;
    this.compiled = source === undefined ? undefined : compile(source);
  }

  async get(): Promise<T> {
    if (!this.instance) {
      const created = this.create();
      this.instance = created;
      created.catch(() => {
        if (this.instance === created) this.instance = undefined;
      });
    }
    try {
      return await this.instance;
    } catch (err) {
      throw imageError(
        'image/decoder-unavailable',
        `could not load the ${this.format} decoder's WebAssembly`,
        { format: this.format },
        err,
      );
    }
  }

  /** Forget the instance (not the compiled module). */
  reset(): void {
    this.instance = undefined;
  }

  private async create(): Promise<T> {
    if (!this.compiled && isNode()) this.compiled = nodeWasm(this.wasmSpecifier).then(compile);
    const [factory, wasm] = await Promise.all([this.loadFactory(), this.compiled]);
    // Library code never writes to the console: libjpeg's and libwebp's warnings are kept as
    // the last message, attached to the error when a decode fails.
    const options: Record<string, unknown> = {
      noInitialRun: true,
      print: () => {},
      printErr: (message: unknown) => {
        this.lastMessage = String(message).slice(0, 200);
      },
    };
    if (wasm) {
      // With locateFile set, Emscripten skips `new URL(file, import.meta.url)`, which throws in
      // bundles without import.meta (IIFE, CJS); the module is instantiated from `wasm` anyway.
      options.locateFile = (file: string) => file;
      options.instantiateWasm = (
        imports: WebAssembly.Imports,
        done: (instance: WebAssembly.Instance) => void,
      ): WebAssembly.Exports => {
        const instance = new WebAssembly.Instance(wasm, imports);
        done(instance);
        return instance.exports;
      };
    }
    // With no module given in a browser, Emscripten fetches the .wasm beside its own script.
    return factory(options);
  }
}

function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return Promise.resolve(source);
  return WebAssembly.compile(source instanceof Uint8Array ? source.slice() : source);
}

export { isNode };

/**
 * @internal Node's `require` for this file, created at run time so bundlers neither follow nor
 * rewrite it (browser bundles keep `node:*` external and never reach it).
 */
export async function nodeRequire(): Promise<{ (id: string): unknown; resolve(id: string): string }> {
  const { createRequire } = await import('node:module');
  // import.meta.url: ESM, and the CJS build through tsup.base.ts's shim; a bundle without
  // import.meta (IIFE) leaves it undefined, so resolve from the working directory then.
  const url: string | undefined = import.meta.url;
  const here = typeof url === 'string' ? url : `${process.cwd()}/`;
  return createRequire(here);
}

async function nodeWasm(specifier: string): Promise<Uint8Array<ArrayBuffer>> {
  // Node-only path, imported lazily so browser bundles never see node:* modules.
  const { readFile } = await import('node:fs/promises');
  const req = await nodeRequire();
  return new Uint8Array(await readFile(req.resolve(specifier)));
}

/** @internal Copy of the bytes as an exact ArrayBuffer (the codecs take one). */
export function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Images above this many pixels release their WebAssembly memory after decoding. */
export const RELEASE_AFTER_PIXELS = 12_000_000;
