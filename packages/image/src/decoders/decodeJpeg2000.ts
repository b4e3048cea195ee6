import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { readJpeg2000Layout } from '../readImageInfo.js';
import { RELEASE_AFTER_PIXELS, WasmCodec, isNode, nodeRequire } from './wasmCodec.js';

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

/** The embind decoder class of `@cornerstonejs/codec-openjpeg` (OpenJPEG 2.5 built with Emscripten). */
interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): FrameInfo;
  delete(): void;
}

interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

let registeredFactory: unknown;

/**
 * @internal OpenJPEG's decoder, WebAssembly build of `@cornerstonejs/codec-openjpeg` (decode-only
 * module). In Node it is required at run time; bundlers never see it, because its Emscripten glue
 * requires `fs` and `path` in its Node branch and would break every browser bundle of this
 * package. In a browser the integrator hands it over through `initImageDecoders({ jpeg2000 })`.
 */
export const jpeg2000Codec = new WasmCodec<OpenJpegModule>(
  'JPEG 2000',
  async () => {
    if (registeredFactory !== undefined) return registeredFactory as never;
    if (!isNode())
      throw new Error(
        "JPEG 2000 in a browser needs initImageDecoders({ jpeg2000: { factory, wasm } }) with @cornerstonejs/codec-openjpeg's decoder",
      );
    return (await nodeRequire())('@cornerstonejs/codec-openjpeg/decodewasmjs') as never;
  },
  '@cornerstonejs/codec-openjpeg/decodewasm',
);

/** @internal Use this Emscripten factory (the default export of `@cornerstonejs/codec-openjpeg/decodewasmjs`). */
export function setJpeg2000Factory(factory: unknown): void {
  if (typeof factory !== 'function') throw new TypeError('jpeg2000.factory must be the Emscripten module factory');
  registeredFactory = factory;
  jpeg2000Codec.reset();
}

const corrupt = (why: string, cause?: unknown) =>
  imageError('image/corrupt', `JPEG 2000 data is corrupt: ${why}`, { format: 'jpeg2000' }, cause);

/** sYCC (JP2 colour space 18) to RGB, in place, as OpenJPEG's own tools do (ITU-R BT.601 full range). */
function syccToRgb(data: Uint8Array): void {
  for (let i = 0; i < data.length; i += 3) {
    const y = data[i] as number;
    const cb = (data[i + 1] as number) - 128;
    const cr = (data[i + 2] as number) - 128;
    data[i] = Math.max(0, Math.min(255, Math.round(y + 1.402 * cr)));
    data[i + 1] = Math.max(0, Math.min(255, Math.round(y - 0.344136 * cb - 0.714136 * cr)));
    data[i + 2] = Math.max(0, Math.min(255, Math.round(y + 1.772 * cb)));
  }
}

/**
 * @internal Decode a JPEG 2000 image (a JP2 file or a bare J2K codestream, as ICAO 9303 DG2 and
 * ISO/IEC 19794-5 store portraits) with OpenJPEG. One component gives a grey image, three RGB
 * (sYCC converted); a fourth (alpha) is dropped. Samples deeper than 8 bits are scaled to 8,
 * signed ones shifted. Subsampled components and other component counts are refused as
 * `image/unsupported-format`; anything OpenJPEG cannot decode is `image/corrupt`.
 */
export async function decodeJpeg2000(bytes: Uint8Array): Promise<RasterImage> {
  const layout = readJpeg2000Layout(bytes);
  const { width, height, components } = layout;
  if (layout.subsampled || !(components === 1 || components === 3 || components === 4)) {
    throw imageError(
      'image/unsupported-format',
      `JPEG 2000 with ${components} component(s)${layout.subsampled ? ', subsampled,' : ''} is not supported`,
      { format: 'jpeg2000' },
    );
  }
  const depth = layout.bitDepths[0] as number;
  if (layout.bitDepths.some((d) => d !== depth) || depth > 16) {
    throw imageError('image/unsupported-format', 'JPEG 2000 components of mixed or above-16-bit depth', {
      format: 'jpeg2000',
    });
  }
  const codec = await jpeg2000Codec.get();
  let decoder: J2KDecoder | undefined;
  let samples: Uint8Array;
  let frame: FrameInfo;
  try {
    decoder = new codec.J2KDecoder();
    const stream = bytes.subarray(layout.codestreamStart, layout.codestreamEnd);
    decoder.getEncodedBuffer(stream.length).set(stream);
    decoder.decode();
    frame = decoder.getFrameInfo();
    const out = decoder.getDecodedBuffer();
    samples = out.slice(); // the view lives in WebAssembly memory, freed with the decoder
  } catch (err) {
    // An Emscripten abort or a C++ exception can leave the instance unusable: start afresh.
    jpeg2000Codec.reset();
    throw corrupt(jpeg2000Codec.lastMessage || 'the decoder failed', err);
  } finally {
    try {
      decoder?.delete();
    } catch {
      jpeg2000Codec.reset();
    }
  }
  if (width * height > RELEASE_AFTER_PIXELS) jpeg2000Codec.reset();
  // OpenJPEG reports a stream it could not decode as a zero-sized frame rather than an error.
  if (frame.width !== width || frame.height !== height || frame.componentCount !== components)
    throw corrupt(jpeg2000Codec.lastMessage || 'no image decoded');
  const bytesPerSample = frame.bitsPerSample > 8 ? 2 : 1;
  const count = width * height * components;
  if (samples.length !== count * bytesPerSample) throw corrupt('decoded size differs from the header');
  const keep = components === 4 ? 3 : components;
  const data = new Uint8Array(width * height * keep);
  const view = new DataView(samples.buffer, samples.byteOffset, samples.byteLength);
  const shift = Math.max(0, frame.bitsPerSample - 8);
  const offset = frame.isSigned ? 1 << (frame.bitsPerSample - 1) : 0;
  for (let p = 0, j = 0; p < width * height; p++) {
    for (let c = 0; c < keep; c++) {
      const i = p * components + c;
      let v = bytesPerSample === 2 ? view.getUint16(i * 2, true) : (samples[i] as number);
      if (frame.isSigned) v = (bytesPerSample === 2 ? view.getInt16(i * 2, true) : (v << 24) >> 24) + offset;
      v = frame.bitsPerSample < 8 ? (v * 255) / ((1 << frame.bitsPerSample) - 1) : v >> shift;
      data[j++] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  if (keep === 3 && layout.colourSpace === 18) syccToRgb(data);
  return { width, height, channels: keep, data };
}
