import { SmartCitizenError } from '../errors/index.js';
import type { KeyProvider } from './KeyProvider.js';

/** Data sealed with AES-256-GCM: the key id, the 12-byte nonce and the ciphertext with its 16-byte tag. */
export interface SealedBlob {
  keyId: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

/** Encrypts and decrypts biometric templates and stored images (AES-256-GCM through WebCrypto). */
export interface BiometricCipher {
  /** Id of the key {@link BiometricCipher.seal} uses now. */
  currentKeyId(): Promise<string>;
  /**
   * Encrypt `plaintext` under the current key.
   * @param plaintext - the bytes to protect
   * @param aad - additional authenticated data binding the ciphertext to its row (not secret)
   * @returns the sealed blob
   */
  seal(plaintext: Uint8Array, aad: string): Promise<SealedBlob>;
  /**
   * Decrypt a blob sealed by {@link BiometricCipher.seal} with the same `aad`.
   * @throws SmartCitizenError `privacy/decrypt-failed` when the data or `aad` was altered,
   *   `privacy/unknown-key` when its key is no longer held
   */
  open(blob: SealedBlob, aad: string): Promise<Uint8Array>;
}

const encoder = new TextEncoder();

function buf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

/**
 * A {@link BiometricCipher} over a {@link KeyProvider}. Uses `globalThis.crypto.subtle`, so it runs
 * in Node ≥ 20 and in browsers.
 * @param keys - where the keys come from
 * @returns the cipher
 */
export function createBiometricCipher(keys: KeyProvider): BiometricCipher {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new SmartCitizenError('privacy/no-webcrypto', 'WebCrypto (globalThis.crypto.subtle) is not available');
  }
  return {
    currentKeyId: () => keys.currentKeyId(),
    async seal(plaintext, aad) {
      const keyId = await keys.currentKeyId();
      const key = await keys.getKey(keyId);
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
      const ct = await subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(aad), tagLength: 128 },
        key,
        buf(plaintext),
      );
      return { keyId, iv, ciphertext: new Uint8Array(ct) };
    },
    async open(blob, aad) {
      const key = await keys.getKey(blob.keyId);
      try {
        const pt = await subtle.decrypt(
          { name: 'AES-GCM', iv: buf(blob.iv), additionalData: encoder.encode(aad), tagLength: 128 },
          key,
          buf(blob.ciphertext),
        );
        return new Uint8Array(pt);
      } catch (cause) {
        throw new SmartCitizenError(
          'privacy/decrypt-failed',
          'sealed data failed authentication (altered or wrong key)',
          {
            cause,
            details: { keyId: blob.keyId },
          },
        );
      }
    },
  };
}
