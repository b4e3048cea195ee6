import { imageError } from './imageErrors.js';
import type { RasterImage } from './RasterImage.js';

/** @internal Check that `img` is a well-formed RasterImage; TypeError for wrong types, SmartCitizenError for inconsistent data. */
export function assertImage(img: unknown, name = 'img'): asserts img is RasterImage {
  if (typeof img !== 'object' || img === null) throw new TypeError(`${name} must be a RasterImage`);
  const { width, height, channels, data } = img as Partial<RasterImage>;
  if (!(data instanceof Uint8Array)) throw new TypeError(`${name}.data must be a Uint8Array`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || (width as number) <= 0 || (height as number) <= 0) {
    throw new TypeError(`${name}.width and ${name}.height must be positive integers`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new TypeError(`${name}.channels must be 1, 3 or 4`);
  if (data.length !== (width as number) * (height as number) * channels) {
    throw imageError('image/corrupt', `${name}.data length does not match width × height × channels`, {
      width,
      height,
      channels,
      length: data.length,
    });
  }
}

/** @internal Positive integer argument check. */
export function assertPositiveInt(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}`);
  }
}
