import { FingerprintError } from './errors.js';
import { readMinutiaeRecord } from './formats/minutiaeRecord.js';
import { decodeTemplate } from './formats/nativeTemplate.js';
import type { FingerprintTemplate } from './types.js';

/**
 * Read a template from bytes in any of the formats this package writes, recognised from the
 * bytes themselves: an ISO 19794-2 / ANSI 378 record (`FMR\0`) or the native format (`SCF1`).
 * @throws FingerprintError `fingerprint/bad-template` for anything else or anything malformed.
 */
export function readTemplateBytes(bytes: Uint8Array): FingerprintTemplate {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
  if (bytes[0] === 0x46 && bytes[1] === 0x4d && bytes[2] === 0x52 && bytes[3] === 0) return readMinutiaeRecord(bytes);
  if (bytes[0] === 0x53 && bytes[1] === 0x43 && bytes[2] === 0x46 && bytes[3] === 0x31) return decodeTemplate(bytes);
  throw new FingerprintError('fingerprint/bad-template', 'not a fingerprint template (expected FMR\\0 or SCF1)');
}
