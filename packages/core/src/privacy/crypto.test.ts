import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '../errors/index.js';
import { createBiometricCipher } from './BiometricCipher.js';
import { createStaticKeyProvider } from './KeyProvider.js';
import { findActiveConsent, requireConsent } from './consent.js';

const key = (b: number) => new Uint8Array(32).fill(b);

describe('BiometricCipher (AES-256-GCM through WebCrypto)', () => {
  it('round-trips and never repeats a nonce', async () => {
    const c = createBiometricCipher(createStaticKeyProvider({ keys: [{ id: 'a', key: key(1) }] }));
    const data = new Uint8Array(512).map((_, i) => i % 256);
    const s1 = await c.seal(data, 'row-1');
    const s2 = await c.seal(data, 'row-1');
    expect(s1.keyId).toBe('a');
    expect(s1.iv).toHaveLength(12);
    expect(s1.ciphertext).toHaveLength(512 + 16);
    expect(Buffer.from(s1.iv).equals(Buffer.from(s2.iv))).toBe(false);
    expect(Buffer.from(s1.ciphertext).equals(Buffer.from(s2.ciphertext))).toBe(false);
    expect(await c.open(s1, 'row-1')).toEqual(data);
  });

  it('detects altered ciphertext, a moved row (other AAD) and a wrong key', async () => {
    const keys = createStaticKeyProvider({ keys: [{ id: 'a', key: key(1) }] });
    const c = createBiometricCipher(keys);
    const sealed = await c.seal(new Uint8Array([1, 2, 3, 4]), 'citizen-1|face');
    const flipped = sealed.ciphertext.slice();
    flipped[0] = (flipped[0] as number) ^ 1;
    // Each attempt starts only when it is awaited: two started together leave the second's
    // rejection without a handler while the first is awaited (an unhandled rejection under load).
    for (const attempt of [
      () => c.open({ ...sealed, ciphertext: flipped }, 'citizen-1|face'),
      () => c.open(sealed, 'citizen-2|face'),
    ]) {
      await expect(attempt()).rejects.toSatisfy((e: unknown) => isSmartCitizenError(e, 'privacy/decrypt-failed'));
    }
    const other = createBiometricCipher(createStaticKeyProvider({ keys: [{ id: 'a', key: key(2) }] }));
    await expect(other.open(sealed, 'citizen-1|face')).rejects.toSatisfy((e: unknown) =>
      isSmartCitizenError(e, 'privacy/decrypt-failed'),
    );
    await expect(c.open({ ...sealed, keyId: 'zzz' }, 'citizen-1|face')).rejects.toSatisfy((e: unknown) =>
      isSmartCitizenError(e, 'privacy/unknown-key'),
    );
  });

  it('rotates: new data uses the new key, old data stays readable until the old key is retired', async () => {
    const keys = createStaticKeyProvider({ keys: [{ id: 'old', key: key(1) }] });
    const c = createBiometricCipher(keys);
    const before = await c.seal(new Uint8Array([9]), 'x');
    keys.addKey({ id: 'new', key: key(2) });
    const after = await c.seal(new Uint8Array([9]), 'x');
    expect([before.keyId, after.keyId]).toEqual(['old', 'new']);
    expect(await c.open(before, 'x')).toEqual(new Uint8Array([9]));
    expect(keys.keyIds()).toEqual(['old', 'new']);
    expect(() => keys.retireKey('new')).toThrow(RangeError);
    keys.retireKey('old');
    await expect(c.open(before, 'x')).rejects.toSatisfy((e: unknown) => isSmartCitizenError(e, 'privacy/unknown-key'));
  });

  it('refuses keys of the wrong size', () => {
    expect(() => createStaticKeyProvider({ keys: [{ id: 'a', key: new Uint8Array(16) }] })).toThrow(RangeError);
    expect(() => createStaticKeyProvider({ keys: [{ id: 'a', key: key(1) }], currentKeyId: 'b' })).toThrow(RangeError);
  });
});

describe('consent checks', () => {
  const rec = {
    id: 'c1',
    idNumber: '001099012345',
    purpose: 'identification',
    scope: ['face' as const],
    grantedAt: 1000,
    expiresAt: 5000,
    withdrawnAt: null,
    reference: null,
  };
  it('covers only its scope, purpose and time window', async () => {
    expect(findActiveConsent([rec], 'face', 'identification', 2000)).toBe(rec);
    expect(findActiveConsent([rec], 'face', 'identification', 500)).toBeUndefined();
    expect(findActiveConsent([rec], 'face', 'identification', 5000)).toBeUndefined();
    expect(findActiveConsent([rec], 'fingerprint', 'identification', 2000)).toBeUndefined();
    expect(findActiveConsent([{ ...rec, withdrawnAt: 1500 }], 'face', 'identification', 2000)).toBeUndefined();
    const source = { listConsents: async () => [rec] };
    await expect(requireConsent(source, rec.idNumber, 'face', 'identification', 2000)).resolves.toBe(rec);
    await expect(requireConsent(source, rec.idNumber, 'face', 'marketing', 2000)).rejects.toSatisfy((e: unknown) =>
      isSmartCitizenError(e, 'privacy/consent-missing'),
    );
  });
});
