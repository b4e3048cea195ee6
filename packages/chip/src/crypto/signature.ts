import { sha1 } from '@noble/hashes/legacy.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { OID, TAG, decodeBigInt, decodeOid } from '../asn1.js';
import { ChipError } from '../errors.js';
import { type Tlv, parseTlvs, readTlv, tlv } from '../tlv.js';
import { type NamedCurve, curveByOid, curveByPrimeAndOrder } from './curves.js';

/** Digest algorithms by OID, with their WebCrypto names. */
export const digests: Readonly<Record<string, { name: string; webName: string; hash: (d: Uint8Array) => Uint8Array }>> =
  {
    [OID.sha1]: { name: 'SHA-1', webName: 'SHA-1', hash: sha1 },
    [OID.sha224]: { name: 'SHA-224', webName: 'SHA-224', hash: sha224 },
    [OID.sha256]: { name: 'SHA-256', webName: 'SHA-256', hash: sha256 },
    [OID.sha384]: { name: 'SHA-384', webName: 'SHA-384', hash: sha384 },
    [OID.sha512]: { name: 'SHA-512', webName: 'SHA-512', hash: sha512 },
  };

/** Signature algorithm OIDs → key type, digest, and (ECDSA) encoding. */
const signatureAlgorithms: Readonly<
  Record<string, { key: 'ec' | 'rsa' | 'rsa-pss'; digest?: string; plain?: boolean }>
> = {
  '1.2.840.10045.4.1': { key: 'ec', digest: OID.sha1 },
  '1.2.840.10045.4.3.1': { key: 'ec', digest: OID.sha224 },
  '1.2.840.10045.4.3.2': { key: 'ec', digest: OID.sha256 },
  '1.2.840.10045.4.3.3': { key: 'ec', digest: OID.sha384 },
  '1.2.840.10045.4.3.4': { key: 'ec', digest: OID.sha512 },
  '0.4.0.127.0.7.1.1.4.1.1': { key: 'ec', digest: OID.sha1, plain: true },
  '0.4.0.127.0.7.1.1.4.1.2': { key: 'ec', digest: OID.sha224, plain: true },
  '0.4.0.127.0.7.1.1.4.1.3': { key: 'ec', digest: OID.sha256, plain: true },
  '0.4.0.127.0.7.1.1.4.1.4': { key: 'ec', digest: OID.sha384, plain: true },
  '0.4.0.127.0.7.1.1.4.1.5': { key: 'ec', digest: OID.sha512, plain: true },
  '1.2.840.113549.1.1.5': { key: 'rsa', digest: OID.sha1 },
  '1.2.840.113549.1.1.14': { key: 'rsa', digest: OID.sha224 },
  '1.2.840.113549.1.1.11': { key: 'rsa', digest: OID.sha256 },
  '1.2.840.113549.1.1.12': { key: 'rsa', digest: OID.sha384 },
  '1.2.840.113549.1.1.13': { key: 'rsa', digest: OID.sha512 },
  [OID.rsaPss]: { key: 'rsa-pss' },
  // CMS allows the bare key algorithm, with the hash from the signer's digest algorithm.
  [OID.rsaEncryption]: { key: 'rsa' },
  [OID.ecPublicKey]: { key: 'ec' },
};

/** A parsed SubjectPublicKeyInfo. */
export type PublicKeyInfo =
  | { type: 'ec'; curve: NamedCurve; point: Uint8Array; der: Uint8Array }
  | { type: 'rsa'; modulus: bigint; exponent: bigint; der: Uint8Array }
  | { type: 'unsupported'; algorithm: string; der: Uint8Array };

/** An AlgorithmIdentifier: OID and raw parameters. */
export interface AlgorithmId {
  oid: string;
  params?: Tlv;
}

/** Parse an AlgorithmIdentifier SEQUENCE. */
export function parseAlgorithmId(t: Tlv | undefined, what: string): AlgorithmId {
  if (!t || t.tag !== TAG.SEQUENCE) throw new ChipError('chip/bad-data', `${what}: expected an AlgorithmIdentifier`);
  const [o, p] = parseTlvs(t.value);
  if (!o || o.tag !== TAG.OID) throw new ChipError('chip/bad-data', `${what}: AlgorithmIdentifier has no OID`);
  return p ? { oid: decodeOid(o.value), params: p } : { oid: decodeOid(o.value) };
}

/** Named curve of EC parameters: a named-curve OID, or explicit parameters matched by prime and order. */
function ecCurve(params: Tlv | undefined): NamedCurve | undefined {
  if (!params) return undefined;
  if (params.tag === TAG.OID) return curveByOid(decodeOid(params.value));
  if (params.tag !== TAG.SEQUENCE) return undefined;
  const [, fieldId, , , order] = parseTlvs(params.value);
  if (!fieldId || !order || order.tag !== TAG.INTEGER) return undefined;
  const [ft, prime] = parseTlvs(fieldId.value);
  if (!ft || ft.tag !== TAG.OID || decodeOid(ft.value) !== OID.primeField || !prime) return undefined;
  return curveByPrimeAndOrder(decodeBigInt(prime.value), decodeBigInt(order.value));
}

/** Parse a DER SubjectPublicKeyInfo into a key this package can use. */
export function parsePublicKeyInfo(der: Uint8Array): PublicKeyInfo {
  const top = readTlv(der);
  const [alg, bits] = parseTlvs(top.value);
  const algorithm = parseAlgorithmId(alg, 'SubjectPublicKeyInfo');
  if (!bits || bits.tag !== TAG.BIT_STRING || bits.value.length < 2)
    throw new ChipError('chip/bad-data', 'SubjectPublicKeyInfo: no key bits');
  const key = bits.value.subarray(1);
  if (algorithm.oid === OID.ecPublicKey) {
    const curve = ecCurve(algorithm.params);
    if (!curve) return { type: 'unsupported', algorithm: 'EC with unknown domain parameters', der };
    return { type: 'ec', curve, point: key, der };
  }
  if (algorithm.oid === OID.rsaEncryption || algorithm.oid === OID.rsaPss) {
    const [n, e] = parseTlvs(readTlv(key).value);
    if (!n || !e || n.tag !== TAG.INTEGER || e.tag !== TAG.INTEGER)
      throw new ChipError('chip/bad-data', 'RSA public key: expected modulus and exponent');
    return { type: 'rsa', modulus: decodeBigInt(n.value), exponent: decodeBigInt(e.value), der };
  }
  return { type: 'unsupported', algorithm: algorithm.oid, der };
}

/** Outcome of a signature check. */
export type SignatureCheck = 'valid' | 'invalid' | 'unsupported';

function pssParams(params: Tlv | undefined): { digest: string; saltLength: number } {
  let digest: string = OID.sha1;
  let saltLength = 20;
  if (params && params.tag === TAG.SEQUENCE) {
    for (const p of parseTlvs(params.value)) {
      if (p.tag === 0xa0) digest = parseAlgorithmId(readTlv(p.value), 'RSA-PSS hash').oid;
      if (p.tag === 0xa2) saltLength = Number(decodeBigInt(readTlv(p.value).value));
    }
  }
  return { digest, saltLength };
}

/**
 * Verify `signature` over `data` with a public key. ECDSA goes through `@noble/curves` (so
 * brainpool works, which WebCrypto lacks), RSA PKCS#1 v1.5 and PSS through WebCrypto.
 * @param digestOid - the hash to use when the algorithm names only the key type (CMS)
 */
export async function verifySignature(
  key: PublicKeyInfo,
  algorithm: AlgorithmId,
  data: Uint8Array,
  signature: Uint8Array,
  digestOid?: string,
): Promise<SignatureCheck> {
  const alg = signatureAlgorithms[algorithm.oid];
  if (!alg || key.type === 'unsupported') return 'unsupported';
  if (alg.key === 'ec') {
    if (key.type !== 'ec') return 'invalid';
    const digest = digests[alg.digest ?? digestOid ?? ''];
    if (!digest) return 'unsupported';
    try {
      return key.curve.ecdsa.verify(signature, digest.hash(data), key.point, {
        prehash: false,
        lowS: false,
        format: alg.plain ? 'compact' : 'der',
      })
        ? 'valid'
        : 'invalid';
    } catch {
      return 'invalid';
    }
  }
  if (key.type !== 'rsa') return 'invalid';
  const pss = alg.key === 'rsa-pss' ? pssParams(algorithm.params) : undefined;
  const digest = digests[pss?.digest ?? alg.digest ?? digestOid ?? ''];
  if (!digest) return 'unsupported';
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return 'unsupported';
  try {
    const name = pss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5';
    const spki = rsaSpki(key);
    const k = await subtle.importKey('spki', spki as Uint8Array<ArrayBuffer>, { name, hash: digest.webName }, false, [
      'verify',
    ]);
    const ok = await subtle.verify(
      pss ? { name, saltLength: pss.saltLength } : { name },
      k,
      signature as Uint8Array<ArrayBuffer>,
      data as Uint8Array<ArrayBuffer>,
    );
    return ok ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** WebCrypto imports rsaEncryption SPKIs only; an id-RSASSA-PSS key is re-labelled. */
function rsaSpki(key: Extract<PublicKeyInfo, { type: 'rsa' }>): Uint8Array {
  const top = readTlv(key.der);
  const [alg, bits] = parseTlvs(top.value);
  if (!alg || !bits) return key.der;
  if (parseAlgorithmId(alg, 'SPKI').oid === OID.rsaEncryption) return key.der;
  const rsaAlg = Uint8Array.of(
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    0x86,
    0x48,
    0x86,
    0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00,
  );
  return tlv(TAG.SEQUENCE, rsaAlg, top.value.subarray(bits.start, bits.end));
}
