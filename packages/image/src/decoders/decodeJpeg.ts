import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { readJpegLayout } from '../readImageInfo.js';
import { fromRgba } from './decodeWebp.js';
import { exactBuffer, RELEASE_AFTER_PIXELS, type RgbaImageData, WasmCodec } from './wasmCodec.js';

interface MozjpegModule {
  decode(buffer: ArrayBuffer, preserveOrientation: boolean): RgbaImageData | null;
}

/** @internal mozjpeg's (libjpeg-turbo) decoder, Squoosh build (`@jsquash/jpeg`). */
export const jpegCodec = new WasmCodec<MozjpegModule>(
  'JPEG',
  async () => (await import('@jsquash/jpeg/codec/dec/mozjpeg_dec.js')).default as never,
  '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm',
);

/** True when an EOI marker follows the first scan (entropy-coded data never contains FF D9). */
function hasEndOfImage(b: Uint8Array, from: number): boolean {
  for (let i = b.length - 2; i >= from; i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * @internal Decode a baseline or progressive JPEG with mozjpeg (libjpeg-turbo's decoder, so the
 * pixels match sharp/libvips exactly). Grey JPEGs keep one channel. libjpeg pads a file cut
 * short with grey and only warns; such a file is refused as corrupt instead.
 */
export async function decodeJpeg(bytes: Uint8Array): Promise<RasterImage> {
  const layout = readJpegLayout(bytes);
  if (!hasEndOfImage(bytes, layout.firstScan)) {
    throw imageError('image/corrupt', 'JPEG data is truncated (no end-of-image marker)', { format: 'jpeg' });
  }
  const codec = await jpegCodec.get();
  let result: RgbaImageData | null;
  jpegCodec.lastMessage = '';
  try {
    // Orientation is applied by decodeImage for every format alike.
    result = codec.decode(exactBuffer(bytes), false);
  } catch (err) {
    jpegCodec.reset();
    throw imageError('image/corrupt', 'JPEG data is corrupt', { format: 'jpeg', decoder: jpegCodec.lastMessage }, err);
  }
  if (!result || result.data.length !== result.width * result.height * 4) {
    throw imageError('image/corrupt', 'JPEG data is corrupt', { format: 'jpeg', decoder: jpegCodec.lastMessage });
  }
  if (result.width * result.height > RELEASE_AFTER_PIXELS) jpegCodec.reset();
  return fromRgba(result, layout.components === 1 ? 1 : 3);
}
