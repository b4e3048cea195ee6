import { jpegCodec } from './decodeJpeg.js';
import { jpeg2000Codec, setJpeg2000Factory } from './decodeJpeg2000.js';
import { isNode } from './wasmCodec.js';
import { webpCodec } from './decodeWebp.js';
import type { WasmSource } from './wasmCodec.js';

/** Options of {@link initImageDecoders}. */
export interface ImageDecodersOptions {
  /** mozjpeg decoder: a module or the bytes of `@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm`. */
  jpeg?: WasmSource;
  /** libwebp decoder: a module or the bytes of `@jsquash/webp/codec/dec/webp_dec.wasm`. */
  webp?: WasmSource;
  /**
   * OpenJPEG decoder (`@cornerstonejs/codec-openjpeg`): `factory` is the default export of
   * `@cornerstonejs/codec-openjpeg/decodewasmjs`, `wasm` the bytes of `…/decodewasm`. Needed in
   * browsers only (Node loads both itself); the SDK never imports it where a bundler would see
   * it, since its Emscripten glue names `fs` and `path` (mark them empty in your bundler).
   */
  jpeg2000?: { factory: unknown; wasm?: WasmSource };
}

/**
 * Hand the JPEG, WebP and JPEG 2000 decoders their WebAssembly yourself, and load them now rather than on
 * the first decode. Optional: in Node the SDK reads the `.wasm` files from the installed
 * packages; in a browser Emscripten otherwise loads them from beside the decoder scripts, which
 * some bundlers do not copy: pass the bytes (e.g. from a bundler's `?url` import) there.
 * Nothing is ever fetched from a CDN.
 *
 * @param options - WebAssembly per codec; a codec left out keeps its default loading.
 * @returns Resolves when the decoders are ready.
 * @throws SmartCitizenError `image/decoder-unavailable` when a module does not load.
 */
export async function initImageDecoders(options: ImageDecodersOptions = {}): Promise<void> {
  if (options.jpeg !== undefined) jpegCodec.setWasm(options.jpeg);
  if (options.webp !== undefined) webpCodec.setWasm(options.webp);
  if (options.jpeg2000 !== undefined) {
    setJpeg2000Factory(options.jpeg2000.factory);
    if (options.jpeg2000.wasm !== undefined) jpeg2000Codec.setWasm(options.jpeg2000.wasm);
  }
  const jp2 = options.jpeg2000 !== undefined || isNode();
  await Promise.all([jpegCodec.get(), webpCodec.get(), ...(jp2 ? [jpeg2000Codec.get()] : [])]);
}
