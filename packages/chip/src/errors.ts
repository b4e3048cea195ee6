import { errorClass } from '@smart-citizen/core';

/** Codes of the errors `@smart-citizen/chip` throws on purpose. */
export type ChipErrorCode =
  /** The reader or transport failed (reader vanished, I/O error, card removed). */
  | 'chip/transport'
  /** The card did not answer within the reader timeout. */
  | 'chip/timeout'
  /** A response APDU that cannot be a response: shorter than a status word, or cut off. */
  | 'chip/bad-response'
  /** The card answered a status word other than the one the step needs (`details.sw`). */
  | 'chip/status'
  /** The access key (CAN or MRZ) was refused, or the card's authentication answer did not check out. */
  | 'chip/access-denied'
  /** A secure-messaging response failed its MAC, lacked its data objects or could not be decrypted. */
  | 'chip/secure-messaging'
  /** Malformed BER-TLV / ASN.1: a length past the end, an indefinite length, a tag too long. */
  | 'chip/bad-tlv'
  /** A data group or EF.CardAccess / SOD that is well-formed TLV but not the structure ICAO 9303 describes. */
  | 'chip/bad-data'
  /** An algorithm, curve or parameter set this package does not implement. */
  | 'chip/unsupported'
  /** A file longer than the reader accepts (`maxFileBytes`). */
  | 'chip/file-too-large'
  /** The reader was used after `close()`. */
  | 'chip/closed';

/**
 * Error thrown by `@smart-citizen/chip` for unusable input: a reader that vanished or timed out,
 * a garbage or truncated response, a refused key, malformed TLV. Authentication outcomes
 * (a hash mismatch, an untrusted signer, a cloned chip) are results, not errors.
 */
export class ChipError extends errorClass<ChipErrorCode>('chip', 'ChipError') {}

/** True when `err` is a {@link ChipError}, optionally with the given code. */
export function isChipError(err: unknown, code?: ChipErrorCode): err is ChipError {
  return err instanceof ChipError && (code === undefined || err.code === code);
}
