import { jpegCodec } from './decodeJpeg.js';
import { webpCodec } from './decodeWebp.js';
import type { WasmSource } from './wasmCodec.js';

/** Options of {@link initImageDecoders}. */
export interface ImageDecodersOptions {
  /** mozjpeg decoder: a module or the bytes of `@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm`. */
  jpeg?: WasmSource;
  /** libwebp decoder: a module or the bytes of `@jsquash/webp/codec/dec/webp_dec.wasm`. */
  webp?: WasmSource;
}

/**
 * Hand the JPEG and WebP decoders their WebAssembly yourself, and load them now rather than on
 * the first decode. Optional: in Node the SDK reads the `.wasm` files from the installed
 * packages; in a browser Emscripten otherwise loads them from beside the decoder scripts, which
 * some bundlers do not copy: pass the bytes (e.g. from a bundler's `?url` import) there.
 * Nothing is ever fetched from a CDN.
 *
 * @param options - WebAssembly per codec; a codec left out keeps its default loading.
 * @returns Resolves when both decoders are ready.
 * @throws SmartCitizenError `image/decoder-unavailable` when a module does not load.
 */
export async function initImageDecoders(options: ImageDecodersOptions = {}): Promise<void> {
  if (options.jpeg !== undefined) jpegCodec.setWasm(options.jpeg);
  if (options.webp !== undefined) webpCodec.setWasm(options.webp);
  await Promise.all([jpegCodec.get(), webpCodec.get()]);
}
