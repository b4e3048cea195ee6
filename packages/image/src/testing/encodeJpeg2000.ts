import { nodeRequire } from '../decoders/wasmCodec.js';
import type { RasterImage } from '../RasterImage.js';

interface J2KEncoder {
  getDecodedBuffer(frame: {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }): Uint8Array;
  setQuality(lossless: boolean, quality: number): void;
  setDecompositions(levels: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}
type EncoderModule = { J2KEncoder: new () => J2KEncoder };

let encoder: Promise<EncoderModule> | undefined;

/** Options of {@link encodeJpeg2000}. */
export interface EncodeJpeg2000Options {
  /**
   * Lossless (reversible 5/3 wavelet); otherwise the irreversible 9/7 wavelet with OpenJPEG's
   * default quantisation (about 1:4–1:5 on photos: this build ignores a target rate).
   * @default false
   */
  lossless?: boolean;
  /** Wrap the codestream in a JP2 file (signature, ftyp, jp2h with ihdr and colr, jp2c). @default true */
  jp2?: boolean;
}

function box(type: string, ...parts: Uint8Array[]): Uint8Array {
  const header = new Uint8Array(8);
  new DataView(header.buffer).setUint32(0, 8 + parts.reduce((n, p) => n + p.length, 0));
  for (let i = 0; i < 4; i++) header[4 + i] = type.charCodeAt(i);
  return concatAll([header, ...parts]);
}

/** A JP2 file around a J2K codestream (ISO/IEC 15444-1 annex I): what DG2 portraits usually are. */
export function wrapJp2(codestream: Uint8Array, width: number, height: number, components: 1 | 3): Uint8Array {
  const ihdr = new Uint8Array(14);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, height);
  v.setUint32(4, width);
  v.setUint16(8, components);
  ihdr[10] = 7; // 8 bits, unsigned
  ihdr[11] = 7; // compression type: JPEG 2000
  const colr = Uint8Array.of(1, 0, 0, 0, 0, 0, components === 1 ? 17 : 16); // enumerated: greyscale / sRGB
  const ftyp = Uint8Array.of(0x6a, 0x70, 0x32, 0x20, 0, 0, 0, 0, 0x6a, 0x70, 0x32, 0x20); // 'jp2 ', 0, 'jp2 '
  return concatAll([
    box('jP  ', Uint8Array.of(0x0d, 0x0a, 0x87, 0x0a)),
    box('ftyp', ftyp),
    box('jp2h', box('ihdr', ihdr), box('colr', colr)),
    box('jp2c', codestream),
  ]);
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Encode a grey or RGB image as JPEG 2000 with OpenJPEG's encoder (`@cornerstonejs/codec-openjpeg`,
 * the full WebAssembly build): test fixtures such as a DG2 portrait. Node only (it reads the
 * `.wasm` from the installed package).
 */
export async function encodeJpeg2000(image: RasterImage, options: EncodeJpeg2000Options = {}): Promise<Uint8Array> {
  if (image.channels !== 1 && image.channels !== 3) throw new RangeError('encodeJpeg2000 takes grey or RGB images');
  encoder ??= (async () => {
    const { readFile } = await import('node:fs/promises');
    const req = await nodeRequire();
    const factory = req('@cornerstonejs/codec-openjpeg/wasmjs') as (o: object) => Promise<EncoderModule>;
    const wasmBinary = await readFile(req.resolve('@cornerstonejs/codec-openjpeg/wasm'));
    return factory({ wasmBinary, print: () => {}, printErr: () => {} });
  })();
  const m = await encoder;
  const e = new m.J2KEncoder();
  try {
    e.getDecodedBuffer({
      width: image.width,
      height: image.height,
      bitsPerSample: 8,
      componentCount: image.channels,
      isSigned: false,
    }).set(image.data);
    // OpenJPEG refuses more wavelet levels than the smaller side allows.
    e.setDecompositions(Math.min(5, Math.floor(Math.log2(Math.min(image.width, image.height)))));
    if (!options.lossless) e.setQuality(false, 0);
    e.encode();
    const codestream = e.getEncodedBuffer().slice();
    return options.jp2 === false ? codestream : wrapJp2(codestream, image.width, image.height, image.channels);
  } catch (err) {
    encoder = undefined; // an Emscripten exception can leave the instance unusable
    throw err;
  } finally {
    try {
      e.delete();
    } catch {
      encoder = undefined;
    }
  }
}
