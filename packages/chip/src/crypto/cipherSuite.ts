import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, pad } from '../bytes.js';
import { TripleDes, retailMac } from './des.js';

/** The secure-messaging cipher of a session (ICAO 9303-11 §9.8): 3DES with the retail MAC, or AES with CMAC. */
export interface CipherSuite {
  readonly name: '3DES' | 'AES-128' | 'AES-192' | 'AES-256';
  /** Block size: 8 (3DES) or 16 (AES); also the size of the send sequence counter. */
  readonly blockSize: 8 | 16;
  /** Session key length in bytes. */
  readonly keyLength: 16 | 24 | 32;
  /** Encrypt whole blocks under `key` for secure messaging with the current SSC. */
  encrypt(key: Uint8Array, ssc: Uint8Array, data: Uint8Array): Uint8Array;
  decrypt(key: Uint8Array, ssc: Uint8Array, data: Uint8Array): Uint8Array;
  /** Encrypt / decrypt with a zero IV (PACE nonce, BAC cryptograms). */
  encryptZeroIv(key: Uint8Array, data: Uint8Array): Uint8Array;
  decryptZeroIv(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** 8-byte MAC of `data`; the suite pads (ISO 9797-1 method 2) for 3DES, CMAC needs none. */
  mac(key: Uint8Array, data: Uint8Array): Uint8Array;
}

export const tripleDes: CipherSuite = {
  name: '3DES',
  blockSize: 8,
  keyLength: 16,
  encrypt: (key, _ssc, data) => new TripleDes(key).cbc(data, false),
  decrypt: (key, _ssc, data) => new TripleDes(key).cbc(data, true),
  encryptZeroIv: (key, data) => new TripleDes(key).cbc(data, false),
  decryptZeroIv: (key, data) => new TripleDes(key).cbc(data, true),
  mac: (key, data) => retailMac(key, pad(data, 8)),
};

function aes(keyLength: 16 | 24 | 32): CipherSuite {
  const zero = new Uint8Array(16);
  const iv = (key: Uint8Array, ssc: Uint8Array) => ecb(key, { disablePadding: true }).encrypt(ssc);
  return {
    name: `AES-${keyLength * 8}` as CipherSuite['name'],
    blockSize: 16,
    keyLength,
    encrypt: (key, ssc, data) => cbc(key, iv(key, ssc), { disablePadding: true }).encrypt(data),
    decrypt: (key, ssc, data) => cbc(key, iv(key, ssc), { disablePadding: true }).decrypt(data),
    encryptZeroIv: (key, data) => cbc(key, zero, { disablePadding: true }).encrypt(data),
    decryptZeroIv: (key, data) => cbc(key, zero, { disablePadding: true }).decrypt(data),
    mac: (key, data) => cmac(data, key).subarray(0, 8),
  };
}

export const aes128: CipherSuite = aes(16);
export const aes192: CipherSuite = aes(24);
export const aes256: CipherSuite = aes(32);

/**
 * A protocol-to-suite table for a family of ECDH protocols (PACE generic mapping, chip
 * authentication) whose four OIDs differ in the cipher alone: 3DES, AES-128, AES-192, AES-256.
 */
export function suitesByProtocol(
  oids: readonly [string, string, string, string],
): Readonly<Record<string, CipherSuite>> {
  return { [oids[0]]: tripleDes, [oids[1]]: aes128, [oids[2]]: aes192, [oids[3]]: aes256 };
}

/** Key purposes of the ICAO 9303-11 §9.7.1 key derivation function. */
export const KDF_ENC = 1;
export const KDF_MAC = 2;
export const KDF_PI = 3;

/**
 * ICAO 9303-11 §9.7.1 KDF: hash(K ‖ counter) truncated to the suite's key length; SHA-1 for
 * 3DES and AES-128, SHA-256 for AES-192/256. 3DES keys are two-key (K1 ‖ K2); parity bits are
 * left as they come, as DES ignores them.
 */
export function deriveKey(suite: CipherSuite, secret: Uint8Array, counter: number): Uint8Array {
  const input = concat(
    secret,
    Uint8Array.of(counter >>> 24, (counter >>> 16) & 255, (counter >>> 8) & 255, counter & 255),
  );
  const h = suite.keyLength <= 16 ? sha1(input) : sha256(input);
  return h.slice(0, suite.keyLength);
}

/** The secure-messaging session keys K.Enc and K.MAC derived from a shared secret. */
export function deriveSessionKeys(suite: CipherSuite, secret: Uint8Array): { kEnc: Uint8Array; kMac: Uint8Array } {
  return { kEnc: deriveKey(suite, secret, KDF_ENC), kMac: deriveKey(suite, secret, KDF_MAC) };
}
