import { type Issue, issue } from '@smart-citizen/core';
import { OID } from './asn1.js';
import { bigIntToBytes, bytesToBigInt, concat, equalBytes, randomBytes } from './bytes.js';
import type { CardChannel } from './CardChannel.js';
import { digests, parsePublicKeyInfo, verifySignature } from './crypto/signature.js';
import { isChipError } from './errors.js';
import type { SecurityInfos } from './securityInfos.js';

/** Active authentication (ICAO 9303-11 §6.1): the chip signs our random challenge with the DG15 key. */
export interface ActiveAuthenticationResult {
  status: 'passed' | 'failed' | 'not-available';
  /** `rsa-iso9796-2` or the ECDSA signature algorithm OID. */
  algorithm?: string;
  issues: Issue[];
}

/** ISO/IEC 10118 hash identifiers of the ISO 9796-2 explicit trailer. */
const trailerHash: Readonly<Record<number, string>> = {
  51: OID.sha1,
  52: OID.sha256,
  53: OID.sha512,
  54: OID.sha384,
  56: OID.sha224,
};

/** Verify an ISO/IEC 9796-2 scheme 1 (partial message recovery) RSA signature over `challenge`. @internal */
export function verifyIso9796(
  modulus: bigint,
  exponent: bigint,
  signature: Uint8Array,
  challenge: Uint8Array,
): boolean {
  const k = Math.ceil(modulus.toString(16).length / 2);
  const s = bytesToBigInt(signature);
  if (s >= modulus) return false;
  let m = 1n;
  let base = s;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) m = (m * base) % modulus;
    base = (base * base) % modulus;
    e >>= 1n;
  }
  const f = bigIntToBytes(m, k);
  if (((f[0] as number) & 0xc0) !== 0x40) return false;
  let trailer = 1;
  let digestOid: string = OID.sha1;
  if (f[k - 1] === 0xcc) {
    trailer = 2;
    const h = trailerHash[f[k - 2] as number];
    if (!h) return false;
    digestOid = h;
  } else if (f[k - 1] !== 0xbc) return false;
  const digest = digests[digestOid];
  if (!digest) return false;
  const hLen = digest.hash(new Uint8Array(0)).length;
  const m1 = f.subarray(1, k - trailer - hLen);
  const d = f.subarray(k - trailer - hLen, k - trailer);
  return equalBytes(d, digest.hash(concat(m1, challenge)));
}

/**
 * Send INTERNAL AUTHENTICATE with a fresh 8-byte challenge and check the signature with the
 * DG15 key: RSA with ISO 9796-2, or ECDSA with the algorithm DG14 names (plain or DER).
 */
export async function performActiveAuthentication(
  channel: CardChannel,
  dg15PublicKeyInfo: Uint8Array,
  dg14: SecurityInfos | undefined,
  random: (n: number) => Uint8Array = randomBytes,
): Promise<ActiveAuthenticationResult> {
  const issues: Issue[] = [];
  let key: ReturnType<typeof parsePublicKeyInfo>;
  try {
    key = parsePublicKeyInfo(dg15PublicKeyInfo);
  } catch {
    issues.push(issue('chip/aa-bad-key', 'error', 'DG15 public key cannot be parsed'));
    return { status: 'failed', issues };
  }
  if (key.type === 'unsupported') {
    issues.push(issue('chip/aa-unsupported-key', 'warning', 'DG15 key type is not supported'));
    return { status: 'not-available', issues };
  }
  const challenge = random(8);
  let signature: Uint8Array;
  try {
    signature = await channel.sendOk(
      { cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 },
      'active authentication',
    );
  } catch (err) {
    if (isChipError(err, 'chip/status')) {
      issues.push(
        issue('chip/aa-refused', 'error', `the chip refused active authentication (${String(err.details?.sw)})`),
      );
      return { status: 'failed', issues };
    }
    throw err;
  }
  if (key.type === 'rsa') {
    const ok = verifyIso9796(key.modulus, key.exponent, signature, challenge);
    if (!ok)
      issues.push(
        issue(
          'chip/aa-bad-signature',
          'error',
          'the active authentication signature does not verify with the DG15 key',
        ),
      );
    return { status: ok ? 'passed' : 'failed', algorithm: 'rsa-iso9796-2', issues };
  }
  const algorithm = dg14?.activeAuthentication[0]?.signatureAlgorithm;
  if (!algorithm) {
    issues.push(
      issue('chip/aa-no-algorithm', 'error', 'DG15 holds an EC key but DG14 names no active authentication algorithm'),
    );
    return { status: 'failed', issues };
  }
  // ECDSA active authentication signatures are plain r‖s (BSI TR-03111); some chips send DER.
  const plainAlg =
    signature.length === 2 * key.curve.size
      ? algorithm.replace(
          /^1\.2\.840\.10045\.4\.(1|3\.(\d))$/,
          (_, a, b) => `0.4.0.127.0.7.1.1.4.1.${a === '1' ? 1 : Number(b) + 1}`,
        )
      : algorithm;
  const check = await verifySignature(key, { oid: plainAlg }, challenge, signature);
  if (check !== 'valid')
    issues.push(issue('chip/aa-bad-signature', 'error', `the active authentication signature is ${check}`));
  return { status: check === 'valid' ? 'passed' : 'failed', algorithm, issues };
}
