import { bytesToBigInt } from './bytes.js';
import { ChipError } from './errors.js';
import { type Tlv, parseTlvs, tlv } from './tlv.js';

/** DER universal tags used by the chip structures. @internal */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

function bad(message: string): ChipError {
  return new ChipError('chip/bad-data', message);
}

/** Dotted form of an OBJECT IDENTIFIER value. */
export function decodeOid(v: Uint8Array): string {
  if (v.length === 0 || v.length > 64) throw bad('OID: empty or too long');
  const arcs: number[] = [];
  let acc = 0;
  for (let i = 0; i < v.length; i++) {
    const b = v[i] as number;
    if (acc > 2 ** 45) throw bad('OID: arc too large');
    acc = acc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(acc);
      acc = 0;
    } else if (i === v.length - 1) throw bad('OID: last arc is cut off');
  }
  const first = arcs[0] as number;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** OBJECT IDENTIFIER value bytes of a dotted OID. */
export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  const out: number[] = [];
  const push = (n: number) => {
    const bytes = [n & 0x7f];
    let x = Math.floor(n / 128);
    while (x > 0) {
      bytes.unshift((x & 0x7f) | 0x80);
      x = Math.floor(x / 128);
    }
    out.push(...bytes);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const a of arcs.slice(2)) push(a);
  return Uint8Array.from(out);
}

/** Full DER OBJECT IDENTIFIER. */
export const derOid = (oid: string): Uint8Array => tlv(TAG.OID, encodeOid(oid));

/** A small non-negative INTEGER value as a number. */
export function decodeSmallInt(v: Uint8Array): number {
  if (v.length === 0 || v.length > 6) throw bad('INTEGER: empty or too large');
  return Number(bytesToBigInt(v));
}

/** A non-negative INTEGER value as a bigint (leading zero stripped). */
export const decodeBigInt = (v: Uint8Array): bigint => {
  if (v.length === 0) throw bad('INTEGER: empty');
  return bytesToBigInt(v);
};

/** DER INTEGER of a non-negative number or bigint. */
export function derInt(n: number | bigint): Uint8Array {
  let h = BigInt(n).toString(16);
  if (h.length % 2) h = `0${h}`;
  const bytes = h.match(/../g)?.map((x) => Number.parseInt(x, 16)) ?? [0];
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(TAG.INTEGER, Uint8Array.from(bytes));
}

/** Children of a constructed object with `tag`, or an error naming `what`. */
export function children(t: Tlv | undefined, tag: number, what: string): Tlv[] {
  if (!t || t.tag !== tag)
    throw bad(`${what}: expected tag ${tag.toString(16)}, found ${t ? t.tag.toString(16) : 'nothing'}`);
  return parseTlvs(t.value);
}

/** The single object of `buf`, required to have `tag`. */
export function single(buf: Uint8Array, tag: number, what: string): Tlv {
  const all = parseTlvs(buf);
  const t = all[0];
  if (!t || t.tag !== tag) throw bad(`${what}: expected tag ${tag.toString(16)}`);
  return t;
}

/** Object identifiers of ICAO 9303 / BSI TR-03110 the chip code uses. */
export const OID = {
  paceEcdhGm3Des: '0.4.0.127.0.7.2.2.4.2.1',
  paceEcdhGmAes128: '0.4.0.127.0.7.2.2.4.2.2',
  paceEcdhGmAes192: '0.4.0.127.0.7.2.2.4.2.3',
  paceEcdhGmAes256: '0.4.0.127.0.7.2.2.4.2.4',
  pacePrefix: '0.4.0.127.0.7.2.2.4',
  pkEcdh: '0.4.0.127.0.7.2.2.1.2',
  pkDh: '0.4.0.127.0.7.2.2.1.1',
  caEcdh3Des: '0.4.0.127.0.7.2.2.3.2.1',
  caEcdhAes128: '0.4.0.127.0.7.2.2.3.2.2',
  caEcdhAes192: '0.4.0.127.0.7.2.2.3.2.3',
  caEcdhAes256: '0.4.0.127.0.7.2.2.3.2.4',
  caPrefix: '0.4.0.127.0.7.2.2.3',
  activeAuthentication: '2.23.136.1.1.5',
  ldsSecurityObject: '2.23.136.1.1.1',
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  contentType: '1.2.840.113549.1.9.3',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  primeField: '1.2.840.10045.1.1',
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;
