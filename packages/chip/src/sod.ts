import { OID, TAG, children, decodeOid, decodeSmallInt } from './asn1.js';
import { type AlgorithmId, parseAlgorithmId } from './crypto/signature.js';
import { ChipError } from './errors.js';
import { fileContent } from './dataGroups.js';
import { type Tlv, parseTlvs, readTlv } from './tlv.js';

/** The parts of EF.SOD passive authentication needs (ICAO 9303-10 §4.6.2, RFC 5652 SignedData). */
export interface SecurityObject {
  /** Hash algorithm of the data-group hashes (OID). */
  hashAlgorithm: string;
  /** Data-group number → hash stored in the LDS security object. */
  dataGroupHashes: Map<number, Uint8Array>;
  /** The signed content (DER LDSSecurityObject). */
  content: Uint8Array;
  /** Certificates carried in the SignedData (the document signer), DER. */
  certificates: Uint8Array[];
  signer: {
    digestAlgorithm: string;
    /** DER of the signed attributes as a SET (what the signature covers), when present. */
    signedAttributes?: Uint8Array;
    /** The messageDigest attribute. */
    messageDigest?: Uint8Array;
    /** The contentType attribute. */
    contentType?: string;
    signatureAlgorithm: AlgorithmId;
    signature: Uint8Array;
    /** issuerAndSerialNumber (DER of the issuer Name, serial bytes) or the subjectKeyIdentifier. */
    sid: { issuer: Uint8Array; serial: Uint8Array } | { subjectKeyIdentifier: Uint8Array };
  };
}

function bad(m: string): ChipError {
  return new ChipError('chip/bad-data', `SOD: ${m}`);
}

/**
 * Parse EF.SOD (tag 77): ContentInfo → SignedData → LDSSecurityObject, the document signer
 * certificates and the one SignerInfo.
 * @throws ChipError `chip/bad-tlv` / `chip/bad-data`
 */
export function parseSod(bytes: Uint8Array): SecurityObject {
  const outer = fileContent(bytes, 0x77, 'SOD');
  const [ctype, explicit] = children(readTlv(outer.value), TAG.SEQUENCE, 'SOD ContentInfo');
  if (!ctype || ctype.tag !== TAG.OID || decodeOid(ctype.value) !== OID.signedData)
    throw bad('content is not SignedData');
  if (!explicit || explicit.tag !== 0xa0) throw bad('ContentInfo has no content');
  const sd = children(readTlv(explicit.value), TAG.SEQUENCE, 'SOD SignedData');
  const encap = sd.find((t, i) => i > 1 && t.tag === TAG.SEQUENCE);
  if (!encap) throw bad('no encapsulated content');
  const [eType, eWrap] = parseTlvs(encap.value);
  if (!eType || decodeOid(eType.value) !== OID.ldsSecurityObject)
    throw bad('encapsulated content is not an LDS security object');
  if (!eWrap || eWrap.tag !== 0xa0) throw bad('encapsulated content is absent');
  const eOctets = readTlv(eWrap.value);
  if (eOctets.tag !== TAG.OCTET_STRING) throw bad('eContent is not an OCTET STRING');
  const content = eOctets.value;
  const certSet = sd.find((t) => t.tag === 0xa0);
  const certificates = certSet
    ? parseTlvs(certSet.value)
        .filter((c) => c.tag === TAG.SEQUENCE)
        .map((c) => certSet.value.slice(c.start, c.end))
    : [];
  const signerInfos = sd[sd.length - 1];
  if (!signerInfos || signerInfos.tag !== TAG.SET) throw bad('no signerInfos');
  const signerInfo = parseTlvs(signerInfos.value)[0];
  if (!signerInfo) throw bad('signerInfos is empty');
  const lds = parseLds(content);
  return { ...lds, content, certificates, signer: parseSignerInfo(signerInfo) };
}

function parseLds(content: Uint8Array): Pick<SecurityObject, 'hashAlgorithm' | 'dataGroupHashes'> {
  const [, alg, list] = children(readTlv(content), TAG.SEQUENCE, 'LDSSecurityObject');
  const hashAlgorithm = parseAlgorithmId(alg, 'LDSSecurityObject hashAlgorithm').oid;
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const entry of children(list, TAG.SEQUENCE, 'LDSSecurityObject dataGroupHashValues')) {
    const [n, h] = children(entry, TAG.SEQUENCE, 'DataGroupHash');
    if (!n || n.tag !== TAG.INTEGER || !h || h.tag !== TAG.OCTET_STRING)
      throw bad('DataGroupHash is not (INTEGER, OCTET STRING)');
    const dg = decodeSmallInt(n.value);
    if (dg < 1 || dg > 16) throw bad(`data group number ${dg} is outside 1..16`);
    dataGroupHashes.set(dg, h.value);
  }
  return { hashAlgorithm, dataGroupHashes };
}

function parseSignerInfo(t: Tlv): SecurityObject['signer'] {
  const parts = children(t, TAG.SEQUENCE, 'SignerInfo');
  const [, sidT, digestT, ...rest] = parts;
  if (!sidT) throw bad('SignerInfo has no signer identifier');
  let sid: SecurityObject['signer']['sid'];
  if (sidT.tag === TAG.SEQUENCE) {
    const [issuer, serial] = parseTlvs(sidT.value);
    if (!issuer || !serial) throw bad('issuerAndSerialNumber is incomplete');
    sid = { issuer: sidT.value.slice(issuer.start, issuer.end), serial: serial.value.slice() };
  } else if (sidT.tag === 0x80) sid = { subjectKeyIdentifier: sidT.value.slice() };
  else throw bad('unknown signer identifier');
  const digestAlgorithm = parseAlgorithmId(digestT, 'SignerInfo digestAlgorithm').oid;
  let i = 0;
  let signedAttributes: Uint8Array | undefined;
  let messageDigest: Uint8Array | undefined;
  let contentType: string | undefined;
  const attrs = rest[0];
  if (attrs && attrs.tag === 0xa0) {
    i = 1;
    // The signature covers the attributes DER-encoded as a SET OF (tag 31), not as [0].
    signedAttributes = t.value.slice(attrs.start, attrs.end);
    signedAttributes[0] = TAG.SET;
    for (const a of parseTlvs(attrs.value)) {
      const [oid, values] = children(a, TAG.SEQUENCE, 'Attribute');
      if (!oid || oid.tag !== TAG.OID || !values || values.tag !== TAG.SET) throw bad('malformed signed attribute');
      const id = decodeOid(oid.value);
      const first = parseTlvs(values.value)[0];
      if (id === OID.messageDigest && first?.tag === TAG.OCTET_STRING) messageDigest = first.value;
      if (id === OID.contentType && first?.tag === TAG.OID) contentType = decodeOid(first.value);
    }
  }
  const signatureAlgorithm = parseAlgorithmId(rest[i], 'SignerInfo signatureAlgorithm');
  const sig = rest[i + 1];
  if (!sig || sig.tag !== TAG.OCTET_STRING) throw bad('SignerInfo has no signature');
  const signer: SecurityObject['signer'] = { digestAlgorithm, signatureAlgorithm, signature: sig.value, sid };
  if (signedAttributes) signer.signedAttributes = signedAttributes;
  if (messageDigest) signer.messageDigest = messageDigest;
  if (contentType) signer.contentType = contentType;
  return signer;
}
