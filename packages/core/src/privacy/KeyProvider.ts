import { SmartCitizenError } from '../errors/index.js';

/**
 * Where encryption keys come from. A key is named by an id that is stored beside every
 * ciphertext, so data sealed under an old key stays readable until it is re-encrypted.
 * Implement it over a KMS/HSM in production; {@link createStaticKeyProvider} holds keys in memory.
 */
export interface KeyProvider {
  /** Id of the key new data is encrypted with. */
  currentKeyId(): Promise<string>;
  /**
   * The AES-256-GCM key with that id.
   * @throws SmartCitizenError `privacy/unknown-key` when the id is not known (for example a retired key).
   */
  getKey(keyId: string): Promise<CryptoKey>;
}

/** One raw key for {@link createStaticKeyProvider}. */
export interface StaticKey {
  /** Stable id stored beside the ciphertext (not secret), e.g. `2026-01`. */
  id: string;
  /** 32 random bytes (AES-256). */
  key: Uint8Array;
}

/** Options of {@link createStaticKeyProvider}. */
export interface StaticKeyProviderOptions {
  /** Known keys, old and new. */
  keys: readonly StaticKey[];
  /**
   * Id of the key to encrypt with.
   * @default the id of the last key in `keys`
   */
  currentKeyId?: string;
}

/** A {@link KeyProvider} that keeps raw keys in memory and can rotate. */
export interface StaticKeyProvider extends KeyProvider {
  /**
   * Add a key; with `makeCurrent` (the default) new data is encrypted with it. Call the store's
   * `rotateKeys()` afterwards to re-encrypt existing data, then {@link StaticKeyProvider.retireKey} the old one.
   */
  addKey(key: StaticKey, options?: { makeCurrent?: boolean }): void;
  /** Forget a key: data still sealed with it can no longer be read. The current key cannot be retired. */
  retireKey(keyId: string): void;
  /** Ids of the keys held, current one last. */
  keyIds(): string[];
}

function checkKey(k: StaticKey): void {
  if (typeof k.id !== 'string' || k.id.length === 0 || k.id.length > 64) {
    throw new TypeError('[@smart-citizen/core] key id must be a non-empty string of at most 64 characters');
  }
  if (!(k.key instanceof Uint8Array) || k.key.length !== 32) {
    throw new RangeError('[@smart-citizen/core] an AES-256 key must be exactly 32 bytes');
  }
}

/**
 * A key provider over raw 32-byte keys held in memory.
 * @param options - the keys and which one is current
 * @returns a {@link StaticKeyProvider}
 * @example
 * const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: crypto.getRandomValues(new Uint8Array(32)) }] });
 */
export function createStaticKeyProvider(options: StaticKeyProviderOptions): StaticKeyProvider {
  const raw = new Map<string, Uint8Array>();
  const imported = new Map<string, Promise<CryptoKey>>();
  for (const k of options.keys) {
    checkKey(k);
    raw.set(k.id, k.key.slice());
  }
  let current = options.currentKeyId ?? options.keys[options.keys.length - 1]?.id;
  if (current === undefined || !raw.has(current)) {
    throw new RangeError('[@smart-citizen/core] the current key id must name one of the keys');
  }
  return {
    async currentKeyId() {
      return current as string;
    },
    getKey(keyId: string) {
      const bytes = raw.get(keyId);
      if (!bytes) {
        return Promise.reject(
          new SmartCitizenError('privacy/unknown-key', 'no key with that id is held by the key provider', {
            details: { keyId },
          }),
        );
      }
      let key = imported.get(keyId);
      if (!key) {
        key = globalThis.crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'AES-GCM' }, false, [
          'encrypt',
          'decrypt',
        ]);
        imported.set(keyId, key);
      }
      return key;
    },
    addKey(key, opts = {}) {
      checkKey(key);
      raw.set(key.id, key.key.slice());
      imported.delete(key.id);
      if (opts.makeCurrent ?? true) current = key.id;
    },
    retireKey(keyId) {
      if (keyId === current) throw new RangeError('[@smart-citizen/core] the current key cannot be retired');
      raw.delete(keyId);
      imported.delete(keyId);
    },
    keyIds() {
      return [...[...raw.keys()].filter((k) => k !== current), current as string];
    },
  };
}
