import { OID, TAG, decodeOid, decodeSmallInt } from './asn1.js';
import { type Tlv, parseTlvs } from './tlv.js';
import { ChipError } from './errors.js';

/** A PACEInfo of EF.CardAccess (ICAO 9303-11 §9.2.1). */
export interface PaceInfo {
  protocol: string;
  version: number;
  /** Standardized domain parameter id (12 = secp256r1, 13 = brainpoolP256r1, …). */
  parameterId?: number;
}

/** A ChipAuthenticationInfo of DG14. */
export interface ChipAuthenticationInfo {
  protocol: string;
  version: number;
  keyId?: number;
}

/** A ChipAuthenticationPublicKeyInfo of DG14: the chip's static key. */
export interface ChipAuthenticationPublicKeyInfo {
  protocol: string;
  /** DER SubjectPublicKeyInfo. */
  subjectPublicKeyInfo: Uint8Array;
  keyId?: number;
}

/** An ActiveAuthenticationInfo of DG14: the signature algorithm of an ECDSA AA key. */
export interface ActiveAuthenticationInfo {
  version: number;
  signatureAlgorithm: string;
}

/** The SecurityInfos of EF.CardAccess or DG14, by kind; unknown entries are counted, not dropped silently. */
export interface SecurityInfos {
  pace: PaceInfo[];
  chipAuthentication: ChipAuthenticationInfo[];
  chipAuthenticationPublicKeys: ChipAuthenticationPublicKeyInfo[];
  activeAuthentication: ActiveAuthenticationInfo[];
  /** Protocol OIDs of entries this package does not use (terminal authentication, PACE domain parameters…). */
  other: string[];
}

function optionalInt(t: Tlv | undefined): number | undefined {
  return t && t.tag === TAG.INTEGER ? decodeSmallInt(t.value) : undefined;
}

/**
 * Parse a DER `SET OF SecurityInfo` (the content of EF.CardAccess, or the value of DG14).
 * @throws ChipError `chip/bad-tlv` / `chip/bad-data`
 */
export function parseSecurityInfos(buf: Uint8Array): SecurityInfos {
  const top = parseTlvs(buf)[0];
  if (!top || top.tag !== TAG.SET) throw new ChipError('chip/bad-data', 'SecurityInfos: expected a SET');
  const out: SecurityInfos = {
    pace: [],
    chipAuthentication: [],
    chipAuthenticationPublicKeys: [],
    activeAuthentication: [],
    other: [],
  };
  for (const entry of parseTlvs(top.value)) {
    if (entry.tag !== TAG.SEQUENCE) throw new ChipError('chip/bad-data', 'SecurityInfo: expected a SEQUENCE');
    const [oidT, a, b] = parseTlvs(entry.value);
    if (!oidT || oidT.tag !== TAG.OID) throw new ChipError('chip/bad-data', 'SecurityInfo: no protocol OID');
    const protocol = decodeOid(oidT.value);
    if (protocol.startsWith(`${OID.pacePrefix}.`) && protocol.split('.').length === 11 && a?.tag === TAG.INTEGER) {
      const id = optionalInt(b);
      out.pace.push(
        id === undefined
          ? { protocol, version: decodeSmallInt(a.value) }
          : { protocol, version: decodeSmallInt(a.value), parameterId: id },
      );
    } else if ((protocol === OID.pkEcdh || protocol === OID.pkDh) && a?.tag === TAG.SEQUENCE) {
      const keyId = optionalInt(b);
      const spki = entry.value.subarray(a.start, a.end);
      out.chipAuthenticationPublicKeys.push(
        keyId === undefined
          ? { protocol, subjectPublicKeyInfo: spki }
          : { protocol, subjectPublicKeyInfo: spki, keyId },
      );
    } else if (protocol.startsWith(`${OID.caPrefix}.`) && a?.tag === TAG.INTEGER) {
      const keyId = optionalInt(b);
      const version = decodeSmallInt(a.value);
      out.chipAuthentication.push(keyId === undefined ? { protocol, version } : { protocol, version, keyId });
    } else if (protocol === OID.activeAuthentication && a?.tag === TAG.INTEGER && b?.tag === TAG.OID) {
      out.activeAuthentication.push({ version: decodeSmallInt(a.value), signatureAlgorithm: decodeOid(b.value) });
    } else out.other.push(protocol);
  }
  return out;
}
