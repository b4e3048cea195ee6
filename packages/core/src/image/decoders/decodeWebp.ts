import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';

/** What `@jsquash/webp` returns: an ImageData-like RGBA buffer. */
interface RgbaImageData {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

interface WebpCodec {
  decode(buffer: ArrayBuffer): RgbaImageData | null;
}

/** Where the WebP decoder's WebAssembly comes from. */
export type WasmSource = WebAssembly.Module | ArrayBuffer | Uint8Array;

let codec: Promise<WebpCodec> | undefined;

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

async function nodeWasmBytes(): Promise<Uint8Array<ArrayBuffer>> {
  // Node-only path, imported lazily so browser bundles never see node:* modules.
  const { readFile } = await import('node:fs/promises');
  const { createRequire } = await import('node:module');
  const req = typeof require === 'function' ? require : createRequire(import.meta.url);
  return new Uint8Array(await readFile(req.resolve('@jsquash/webp/codec/dec/webp_dec.wasm')));
}

async function createCodec(source: WasmSource | undefined): Promise<WebpCodec> {
  // The Emscripten factory of libwebp's decoder (Squoosh build, repackaged by jSquash).
  const factoryModule = (await import('@jsquash/webp/codec/dec/webp_dec.js')) as unknown as {
    default: (opts: Record<string, unknown>) => Promise<WebpCodec>;
  };
  let wasm: WebAssembly.Module | undefined;
  if (source instanceof WebAssembly.Module) wasm = source;
  else if (source !== undefined)
    wasm = await WebAssembly.compile(source instanceof Uint8Array ? source.slice() : source);
  else if (isNode()) wasm = await WebAssembly.compile(await nodeWasmBytes());
  const options: Record<string, unknown> = { noInitialRun: true };
  if (wasm) {
    const compiled = wasm;
    options.instantiateWasm = (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance) => void,
    ): WebAssembly.Exports => {
      const instance = new WebAssembly.Instance(compiled, imports);
      done(instance);
      return instance.exports;
    };
  }
  // Without a module in a browser, Emscripten fetches webp_dec.wasm beside its script.
  return factoryModule.default(options);
}

/**
 * Provide the WebP decoder's WebAssembly yourself (e.g. a bundler's URL import fetched by the
 * app, or bytes from a local file). Optional: in Node the SDK reads it from the installed
 * `@jsquash/webp` package; in a browser it is otherwise loaded from beside the decoder's script.
 * Nothing is ever fetched from a CDN. Calling it again replaces the decoder.
 *
 * @param wasm - The compiled module or the bytes of `@jsquash/webp/codec/dec/webp_dec.wasm`.
 * @returns Resolves once the decoder is ready.
 */
export async function initWebpDecoder(wasm?: WasmSource): Promise<void> {
  codec = createCodec(wasm);
  try {
    await codec;
  } catch (err) {
    codec = undefined;
    throw imageError('image/decoder-unavailable', 'could not load the WebP decoder', { format: 'webp' }, err);
  }
}

/** @internal Decode a still WebP (lossy or lossless) to RGB, or RGBA when `withAlpha`. */
export async function decodeWebp(bytes: Uint8Array, withAlpha: boolean): Promise<RasterImage> {
  if (!codec) await initWebpDecoder();
  const c = await (codec as Promise<WebpCodec>);
  let result: RgbaImageData | null;
  try {
    // The codec copies the bytes into WebAssembly memory; hand it an exact ArrayBuffer.
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    result = c.decode(buffer);
  } catch (err) {
    throw imageError('image/corrupt', 'WebP data is corrupt', { format: 'webp' }, err);
  }
  if (!result || result.data.length !== result.width * result.height * 4) {
    throw imageError('image/corrupt', 'WebP data is corrupt or truncated', { format: 'webp' });
  }
  const { width, height } = result;
  const rgba = result.data;
  if (withAlpha) {
    const data = new Uint8Array(rgba.length);
    data.set(rgba);
    return { width, height, channels: 4, data };
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
    data[j] = rgba[i] as number;
    data[j + 1] = rgba[i + 1] as number;
    data[j + 2] = rgba[i + 2] as number;
  }
  return { width, height, channels: 3, data };
}
