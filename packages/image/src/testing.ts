// Test support of @smart-citizen/image (Node only): encoders for fixtures the SDK only decodes.
export { encodeJpeg2000, wrapJp2 } from './testing/encodeJpeg2000.js';
export type { EncodeJpeg2000Options } from './testing/encodeJpeg2000.js';
export { fuzzDecode } from './testing/fuzzDecode.js';
export type { FuzzOutcome } from './testing/fuzzDecode.js';
export { tiffWithOrientation } from './testing/tiffWithOrientation.js';
