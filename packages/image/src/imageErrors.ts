import { SmartCitizenError } from '@smart-citizen/core';

/** Error codes the image primitives throw for unusable image data. */
export type ImageErrorCode =
  | 'image/unsupported-format'
  | 'image/corrupt'
  | 'image/too-large'
  | 'image/empty-region'
  | 'image/decoder-unavailable';

/** @internal */
export function imageError(
  code: ImageErrorCode,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): SmartCitizenError<ImageErrorCode> {
  const options: { pkg: string; cause?: unknown; details?: Record<string, unknown> } = { pkg: 'image' };
  if (details !== undefined) options.details = details;
  if (cause !== undefined) options.cause = cause;
  return new SmartCitizenError(code, message, options);
}

/** @internal Throws a TypeError unless `bytes` is a Uint8Array (Node's Buffer is one). */
export function assertBytes(bytes: unknown, name = 'bytes'): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
}
