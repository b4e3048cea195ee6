import { sha256 } from '@noble/hashes/sha2.js';
import { OID, TAG, derInt, derOid } from '../asn1.js';
import { bytesToBigInt, randomBytes } from '../bytes.js';
import { type NamedCurve, namedCurves } from '../crypto/curves.js';
import { tlv } from '../tlv.js';

/** An EC key pair for the test PKI and the software card. */
export interface TestKeyPair {
  curve: NamedCurve;
  privateKey: Uint8Array;
  /** Uncompressed point. */
  publicKey: Uint8Array;
  /** DER SubjectPublicKeyInfo. */
  publicKeyInfo: Uint8Array;
}

/** A test CSCA and a document signer it issued, generated on the spot. */
export interface TestPki {
  csca: { der: Uint8Array; key: TestKeyPair };
  documentSigner: { der: Uint8Array; key: TestKeyPair; issuerDer: Uint8Array; serial: Uint8Array };
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

/** An EC key pair on `curveName`. */
export function generateKeyPair(curveName = 'secp256r1', random: (n: number) => Uint8Array = randomBytes): TestKeyPair {
  const curve = namedCurves.find((c) => c.name === curveName);
  if (!curve) throw new RangeError(`unknown curve ${curveName}`);
  const n = curve.ecdsa.Point.Fn.ORDER;
  const d = (bytesToBigInt(random(curve.size + 8)) % (n - 1n)) + 1n;
  const privateKey = new Uint8Array(curve.size);
  let x = d;
  for (let i = curve.size - 1; i >= 0; i--) {
    privateKey[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  const publicKey = curve.ecdsa.getPublicKey(privateKey, false);
  const publicKeyInfo = tlv(
    TAG.SEQUENCE,
    tlv(TAG.SEQUENCE, derOid(OID.ecPublicKey), derOid(curve.oid)),
    tlv(TAG.BIT_STRING, Uint8Array.of(0), publicKey),
  );
  return { curve, privateKey, publicKey, publicKeyInfo };
}

/** DER ECDSA-with-SHA-256 signature of `data`. */
export function signEcdsa(key: TestKeyPair, data: Uint8Array, format: 'der' | 'compact' = 'der'): Uint8Array {
  return key.curve.ecdsa.sign(sha256(data), key.privateKey, { prehash: false, format });
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** A DER Name `C=VN, O=…, CN=…`. */
export function testName(cn: string): Uint8Array {
  const rdn = (oid: string, tag: number, value: string) =>
    tlv(TAG.SET, tlv(TAG.SEQUENCE, derOid(oid), tlv(tag, utf8(value))));
  return tlv(
    TAG.SEQUENCE,
    rdn('2.5.4.6', TAG.PRINTABLE_STRING, 'VN'),
    rdn('2.5.4.10', TAG.UTF8_STRING, 'Smart Citizen test PKI'),
    rdn('2.5.4.3', TAG.UTF8_STRING, cn),
  );
}

function utcTime(d: Date): Uint8Array {
  const p = (n: number) => String(n).padStart(2, '0');
  return tlv(
    0x17,
    utf8(
      `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`,
    ),
  );
}

/** Issue an X.509 v3 certificate (ECDSA with SHA-256). */
export function issueCertificate(o: {
  subject: Uint8Array;
  issuer: Uint8Array;
  serial: Uint8Array;
  subjectKey: TestKeyPair;
  issuerKey: TestKeyPair;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
}): Uint8Array {
  const ext = (oid: string, critical: boolean, value: Uint8Array) =>
    tlv(
      TAG.SEQUENCE,
      derOid(oid),
      ...(critical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []),
      tlv(TAG.OCTET_STRING, value),
    );
  const keyUsage = o.ca ? Uint8Array.of(0x01, 0x06) : Uint8Array.of(0x07, 0x80); // keyCertSign+cRLSign / digitalSignature
  const extensions = tlv(
    0xa3,
    tlv(
      TAG.SEQUENCE,
      ...(o.ca ? [ext('2.5.29.19', true, tlv(TAG.SEQUENCE, Uint8Array.of(0x01, 0x01, 0xff)))] : []),
      ext('2.5.29.15', true, tlv(TAG.BIT_STRING, keyUsage)),
      ext('2.5.29.14', false, tlv(TAG.OCTET_STRING, sha256(o.subjectKey.publicKey).slice(0, 20))),
    ),
  );
  const algorithm = tlv(TAG.SEQUENCE, derOid(ECDSA_SHA256));
  const tbs = tlv(
    TAG.SEQUENCE,
    tlv(0xa0, derInt(2)),
    tlv(TAG.INTEGER, o.serial),
    algorithm,
    o.issuer,
    tlv(TAG.SEQUENCE, utcTime(o.notBefore), utcTime(o.notAfter)),
    o.subject,
    o.subjectKey.publicKeyInfo,
    extensions,
  );
  return tlv(TAG.SEQUENCE, tbs, algorithm, tlv(TAG.BIT_STRING, Uint8Array.of(0), signEcdsa(o.issuerKey, tbs)));
}

/**
 * A fresh test CSCA (self-signed, 10 years) and a document signer it issued (valid from a
 * year ago for 5 years), both ECDSA P-256 unless `curve` says otherwise.
 */
export function createTestPki(
  options: { curve?: string; cscaName?: string; random?: (n: number) => Uint8Array; now?: Date } = {},
): TestPki {
  const random = options.random ?? randomBytes;
  const now = options.now ?? new Date();
  const year = 365 * 24 * 3600 * 1000;
  const cscaKey = generateKeyPair(options.curve, random);
  const cscaName = testName(options.cscaName ?? 'Test CSCA Viet Nam');
  const cscaSerial = Uint8Array.of(0x01, ...random(7));
  const csca = issueCertificate({
    subject: cscaName,
    issuer: cscaName,
    serial: cscaSerial,
    subjectKey: cscaKey,
    issuerKey: cscaKey,
    notBefore: new Date(now.getTime() - 2 * year),
    notAfter: new Date(now.getTime() + 8 * year),
    ca: true,
  });
  const dsKey = generateKeyPair(options.curve, random);
  const dsSerial = Uint8Array.of(0x02, ...random(7));
  const ds = issueCertificate({
    subject: testName('Test Document Signer'),
    issuer: cscaName,
    serial: dsSerial,
    subjectKey: dsKey,
    issuerKey: cscaKey,
    notBefore: new Date(now.getTime() - year),
    notAfter: new Date(now.getTime() + 4 * year),
    ca: false,
  });
  return {
    csca: { der: csca, key: cscaKey },
    documentSigner: { der: ds, key: dsKey, issuerDer: cscaName, serial: dsSerial },
  };
}
