// Public API of @smart-citizen/chip.
export { ChipReader } from './ChipReader.js';
export type {
  AccessControlResult,
  ChipProgress,
  ChipReadOptions,
  ChipReadResult,
  ChipReaderOptions,
  ChipStep,
} from './ChipReader.js';
export type { CardTransport } from './CardTransport.js';
export { parseChipFiles, verifyChipFiles } from './chipFiles.js';
export type { ChipFiles, ParsedChipFiles, VerifyChipFilesOptions } from './chipFiles.js';
export { chipEvidenceVerifiers, chipReadingEvidence } from './evidence.js';
export type { ChipEvidenceInput, ChipEvidenceOptions } from './evidence.js';
export { ChipError, isChipError } from './errors.js';
export type { ChipErrorCode } from './errors.js';
export { encodeApdu, decodeApdu, parseResponse, describeStatus, statusWords } from './apdu.js';
export type { CommandApdu, ResponseApdu } from './apdu.js';
export { readTlv, parseTlvs, parseTlvTree, findTlv, tlv, encodeLength } from './tlv.js';
export type { Tlv, TlvNode } from './tlv.js';
export { canFromIdNumber, mrzInformation, mrzKeyFromParsed } from './accessKey.js';
export type { AccessKey, MrzKey } from './accessKey.js';
export { chipFiles, parseDg1, parseDg2, parseDg14, parseDg15, parseEfCom, mrzLines } from './dataGroups.js';
export type { ChipFileName, EfCom, Portrait, PortraitFormat } from './dataGroups.js';
export { parseDg13 } from './dg13.js';
export type { Dg13Entry, Dg13Result } from './dg13.js';
export { dg13Fields } from './data/dg13Fields.js';
export { parseSecurityInfos } from './securityInfos.js';
export type {
  ActiveAuthenticationInfo,
  ChipAuthenticationInfo,
  ChipAuthenticationPublicKeyInfo,
  PaceInfo,
  SecurityInfos,
} from './securityInfos.js';
export { parseSod } from './sod.js';
export type { SecurityObject } from './sod.js';
export { parseCertificate, readCertificates } from './certificate.js';
export type { CertificateInfo } from './certificate.js';
export { verifyPassiveAuthentication } from './passiveAuthentication.js';
export type {
  DataGroupHashCheck,
  PassiveAuthenticationOptions,
  PassiveAuthenticationResult,
} from './passiveAuthentication.js';
export type { ChipAuthenticationResult } from './chipAuthentication.js';
export type { ActiveAuthenticationResult } from './activeAuthentication.js';
export { namedCurves } from './crypto/curves.js';
export type { NamedCurve } from './crypto/curves.js';
