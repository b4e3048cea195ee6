import { imageError } from '../imageErrors.js';
import type { RasterImage } from '../RasterImage.js';
import { exactBuffer, RELEASE_AFTER_PIXELS, type RgbaImageData, WasmCodec } from './wasmCodec.js';

interface WebpModule {
  decode(buffer: ArrayBuffer): RgbaImageData | null;
}

/** @internal libwebp's decoder (Squoosh build, `@jsquash/webp`). */
export const webpCodec = new WasmCodec<WebpModule>(
  'WebP',
  async () => (await import('@jsquash/webp/codec/dec/webp_dec.js')).default as never,
  '@jsquash/webp/codec/dec/webp_dec.wasm',
);

/** @internal Decode a still WebP (lossy or lossless) to RGB, or RGBA when `withAlpha`. */
export async function decodeWebp(bytes: Uint8Array, withAlpha: boolean): Promise<RasterImage> {
  const codec = await webpCodec.get();
  let result: RgbaImageData | null;
  webpCodec.lastMessage = '';
  try {
    result = codec.decode(exactBuffer(bytes));
  } catch (err) {
    webpCodec.reset();
    throw imageError('image/corrupt', 'WebP data is corrupt', { format: 'webp', decoder: webpCodec.lastMessage }, err);
  }
  if (!result || result.data.length !== result.width * result.height * 4) {
    throw imageError('image/corrupt', 'WebP data is corrupt or truncated', {
      format: 'webp',
      decoder: webpCodec.lastMessage,
    });
  }
  if (result.width * result.height > RELEASE_AFTER_PIXELS) webpCodec.reset();
  return fromRgba(result, withAlpha ? 4 : 3);
}

/** @internal RGBA codec output to a RasterImage of 1, 3 or 4 channels (1 takes the red channel). */
export function fromRgba(result: RgbaImageData, channels: 1 | 3 | 4): RasterImage {
  const { width, height } = result;
  const rgba = result.data;
  const data = new Uint8Array(width * height * channels);
  if (channels === 4) data.set(rgba);
  else if (channels === 3) {
    for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
      data[j] = rgba[i] as number;
      data[j + 1] = rgba[i + 1] as number;
      data[j + 2] = rgba[i + 2] as number;
    }
  } else {
    for (let i = 0, j = 0; j < data.length; i += 4, j++) data[j] = rgba[i] as number;
  }
  return { width, height, channels, data };
}
