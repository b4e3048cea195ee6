// Public API of @smart-citizen/chip.
// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './ChipReader.js';
export * from './CardTransport.js';
export { parseChipFiles, verifyChipFiles } from './chipFiles.js';
export type { ChipFiles, ParsedChipFiles, VerifyChipFilesOptions } from './chipFiles.js';
export * from './evidence.js';
export * from './errors.js';
export { encodeApdu, decodeApdu, parseResponse, describeStatus, statusWords } from './apdu.js';
export type { CommandApdu, ResponseApdu } from './apdu.js';
export { readTlv, parseTlvs, parseTlvTree, findTlv, tlv, encodeLength } from './tlv.js';
export type { Tlv, TlvNode } from './tlv.js';
export { canFromIdNumber, mrzInformation, mrzKeyFromParsed } from './accessKey.js';
export type { AccessKey, MrzKey } from './accessKey.js';
export { chipFiles, parseDg1, parseDg2, parseDg14, parseDg15, parseEfCom, mrzLines } from './dataGroups.js';
export type { ChipFileName, EfCom, Portrait, PortraitFormat } from './dataGroups.js';
export * from './dg13.js';
export { dg13Fields } from './data/dg13Fields.js';
export * from './securityInfos.js';
export * from './sod.js';
export * from './certificate.js';
export * from './passiveAuthentication.js';
export type { ChipAuthenticationResult } from './chipAuthentication.js';
export type { ActiveAuthenticationResult } from './activeAuthentication.js';
export { namedCurves } from './crypto/curves.js';
export type { NamedCurve } from './crypto/curves.js';
