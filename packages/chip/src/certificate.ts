import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { TAG, children } from './asn1.js';
import { hex } from './bytes.js';
import { type AlgorithmId, parseAlgorithmId } from './crypto/signature.js';
import { ChipError } from './errors.js';
import { parseTlvs, readTlv } from './tlv.js';

/** What passive authentication needs from an X.509 certificate (CSCA or document signer). */
export interface CertificateInfo {
  der: Uint8Array;
  /** DER of tbsCertificate: what the issuer signed. */
  tbs: Uint8Array;
  signatureAlgorithm: AlgorithmId;
  signature: Uint8Array;
  /** DER of the subject and issuer Names (compared byte for byte). */
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  /** `C=VN, O=…, CN=…` for reports (certificates of state authorities, not personal data). */
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** DER SubjectPublicKeyInfo. */
  publicKeyInfo: Uint8Array;
}

const attributeNames: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
};

function nameText(name: Certificate['tbsCertificate']['subject']): string {
  return name
    .flatMap((rdn) => rdn.map((atv) => `${attributeNames[atv.type] ?? atv.type}=${atv.value.toString()}`))
    .join(', ');
}

/**
 * Parse a DER X.509 certificate (structure through `@peculiar/asn1-x509`, the signed bytes
 * located with the package's own TLV reader so they are exactly as issued).
 * @throws ChipError `chip/bad-data`
 */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  let cert: Certificate;
  try {
    cert = AsnConvert.parse(der, Certificate);
  } catch (cause) {
    throw new ChipError('chip/bad-data', 'not a DER X.509 certificate', { cause });
  }
  const outer = readTlv(der);
  const [tbsT, algT, sigT] = children(outer, TAG.SEQUENCE, 'Certificate');
  if (!tbsT || !sigT || sigT.tag !== TAG.BIT_STRING) throw new ChipError('chip/bad-data', 'Certificate: missing parts');
  const tbsParts = parseTlvs(tbsT.value);
  const offset = tbsParts[0]?.tag === 0xa0 ? 1 : 0;
  const issuerT = tbsParts[offset + 2];
  const subjectT = tbsParts[offset + 4];
  const spkiT = tbsParts[offset + 5];
  if (!issuerT || !subjectT || !spkiT)
    throw new ChipError('chip/bad-data', 'Certificate: tbsCertificate is incomplete');
  const tbs = cert.tbsCertificate;
  return {
    der,
    tbs: outer.value.slice(tbsT.start, tbsT.end),
    signatureAlgorithm: parseAlgorithmId(algT, 'Certificate signatureAlgorithm'),
    signature: sigT.value.slice(1),
    subjectDer: tbsT.value.slice(subjectT.start, subjectT.end),
    issuerDer: tbsT.value.slice(issuerT.start, issuerT.end),
    subject: nameText(tbs.subject),
    issuer: nameText(tbs.issuer),
    serialNumber: hex(new Uint8Array(tbs.serialNumber)),
    notBefore: tbs.validity.notBefore.getTime(),
    notAfter: tbs.validity.notAfter.getTime(),
    publicKeyInfo: tbsT.value.slice(spkiT.start, spkiT.end),
  };
}

/** Read certificates given as DER bytes or PEM text (one or many `BEGIN CERTIFICATE` blocks). */
export function readCertificates(input: Uint8Array | string): CertificateInfo[] {
  const text = typeof input === 'string' ? input : input[0] === 0x30 ? undefined : new TextDecoder().decode(input);
  if (text === undefined) return [parseCertificate(input as Uint8Array)];
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  if (blocks.length === 0) throw new ChipError('chip/bad-data', 'no DER certificate and no PEM CERTIFICATE block');
  return blocks.map((m) =>
    parseCertificate(Uint8Array.from(atob((m[1] ?? '').replace(/\s+/g, '')), (c) => c.charCodeAt(0))),
  );
}
