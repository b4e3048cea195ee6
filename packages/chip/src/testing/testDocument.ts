import { sha256 } from '@noble/hashes/sha2.js';
import { OID, TAG, derInt, derOid } from '../asn1.js';
import { formatVietnamTd1Mrz, parseDate } from '@smart-citizen/core';
import type { MrzKey } from '../accessKey.js';
import { concat } from '../bytes.js';
import { dg13Fields } from '../data/dg13Fields.js';
import { type ChipFileName, dataGroupNumber, dataGroupTags } from '../dataGroups.js';
import { tlv } from '../tlv.js';
import { type TestKeyPair, type TestPki, createTestPki, generateKeyPair, signEcdsa } from './testPki.js';

/** The person and card a test document carries (made-up data). */
export interface TestHolder {
  idNumber: string;
  fullName: string;
  /** dd/mm/yyyy */
  dateOfBirth: string;
  sex: 'Nam' | 'Nữ';
  nationality: string;
  ethnicity: string;
  religion: string;
  placeOfOrigin: string;
  placeOfResidence: string;
  identifyingMarks: string;
  /** dd/mm/yyyy */
  issueDate: string;
  /** dd/mm/yyyy */
  expiryDate: string;
  fatherName: string;
  motherName: string;
  spouseName?: string;
  oldIdNumber?: string;
}

/** A made-up holder (no real person). */
export const testHolder: TestHolder = {
  idNumber: '001099012345',
  fullName: 'NGUYỄN VĂN THỬ',
  dateOfBirth: '15/03/1999',
  sex: 'Nam',
  nationality: 'Việt Nam',
  ethnicity: 'Kinh',
  religion: 'Không',
  placeOfOrigin: 'Xã Thử Nghiệm, Huyện Mẫu, Hà Nội',
  placeOfResidence: 'Số 1 Phố Thử, Phường Mẫu, Quận Ba Đình, Hà Nội',
  identifyingMarks: 'Nốt ruồi C:1cm trên trước mép trái',
  issueDate: '10/08/2021',
  expiryDate: '15/03/2039',
  fatherName: 'NGUYỄN VĂN CHA',
  motherName: 'TRẦN THỊ MẸ',
  spouseName: '',
  oldIdNumber: '012345678',
};

/** A tiny 24×32 JPEG (synthetic) used when no portrait is given. */
export const tinyJpeg: Uint8Array = Uint8Array.from(
  atob(
    '/9j/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxOUlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT0//wAARCAAgABgDASIAAhEBAxEB/8QAFwAAAwEAAAAAAAAAAAAAAAAAAAQFBv/EACoQAAICAQIEAwkAAAAAAAAAAAECAAMRBBIFBhRhFUFRISMxU1SToaLR/8QAFQEBAQAAAAAAAAAAAAAAAAAAAgP/xAAaEQACAwEBAAAAAAAAAAAAAAABAgADERIE/9oADAMBAAIRAxEAPwBBVLMFUEknAA8454Tr/kfuv9jfL1aNZdYygugAU+mc5l6K70FG5AjrqDDTMZbW9NjV2KVdTggwlzmGtOmrt2jeH27u2D7IS9T9rsk68nJP4Trl0dzCwe7swGI+K48/zNB1ml+pp+4JkISdnnVzsSWlRkq8Z4gmoI09OGRGyX9T27QkqEqiBBggZix0z//Z',
  ),
  (c) => c.charCodeAt(0),
);

/** Options of {@link createTestDocument}. */
export interface TestDocumentOptions {
  holder?: TestHolder;
  /** Encoded portrait for DG2. @default a tiny synthetic JPEG */
  portrait?: { bytes: Uint8Array; format: 'jpeg' | 'jpeg2000'; width: number; height: number };
  /** Issuer PKI. @default a fresh {@link createTestPki} */
  pki?: TestPki;
  /** PACE protocol OID in EF.CardAccess. @default ECDH-GM-AES-CBC-CMAC-128 */
  paceProtocol?: string;
  /** PACE standardized domain parameters. @default 13 (brainpoolP256r1) */
  paceParameterId?: number;
  /** Chip authentication protocol in DG14. @default ECDH-AES-CBC-CMAC-128 */
  caProtocol?: string;
  /** Curve of the chip and active authentication keys. @default brainpoolP256r1 */
  chipKeyCurve?: string;
  random?: (n: number) => Uint8Array;
}

/** A personalised test document: the files as a chip holds them, the keys behind them, and the PKI. */
export interface TestDocument {
  files: Record<ChipFileName | 'CardAccess', Uint8Array>;
  can: string;
  mrzKey: MrzKey;
  mrz: string;
  chipAuthenticationKey: TestKeyPair;
  activeAuthenticationKey: TestKeyPair;
  pki: TestPki;
  holder: TestHolder;
}

const ascii = (s: string) => new TextEncoder().encode(s);

/** The holder's TD1 MRZ in the CCCD layout, through core's `formatVietnamTd1Mrz`, and the BAC key it gives. */
export function testMrz(h: TestHolder): { mrz: string; key: MrzKey } {
  const date = (d: string) => parseDate(d, 'dd/mm/yyyy');
  const lines = formatVietnamTd1Mrz({
    personalNumber: h.idNumber,
    fullName: h.fullName,
    dateOfBirth: date(h.dateOfBirth),
    sex: h.sex === 'Nam' ? 'M' : 'F',
    expiryDate: date(h.expiryDate),
  });
  return {
    mrz: lines.join(''),
    key: {
      documentNumber: lines[0].slice(5, 14),
      dateOfBirth: lines[1].slice(0, 6),
      dateOfExpiry: lines[1].slice(8, 14),
    },
  };
}

/** DG13 in the Vietnamese layout: SEQUENCE of SEQUENCE { INTEGER id, UTF8String }, 13 nesting the parents. */
export function buildDg13(h: TestHolder): Uint8Array {
  const entry = (id: number, value: string) => tlv(TAG.SEQUENCE, derInt(id), tlv(TAG.UTF8_STRING, ascii(value)));
  // Entries 1–12 hold one text each, the holder field the reader's table (dg13Fields) maps the id to.
  const values = Array.from({ length: 12 }, (_, i): [number, string] => {
    const field = dg13Fields[i + 1]?.field as keyof TestHolder;
    return [i + 1, h[field] ?? ''];
  });
  const parents = tlv(
    TAG.SEQUENCE,
    derInt(13),
    tlv(TAG.SEQUENCE, tlv(TAG.UTF8_STRING, ascii(h.fatherName))),
    tlv(TAG.SEQUENCE, tlv(TAG.UTF8_STRING, ascii(h.motherName))),
  );
  const rest = [entry(14, h.spouseName ?? ''), ...(h.oldIdNumber ? [entry(15, h.oldIdNumber)] : []), entry(16, '')];
  return tlv(0x6d, tlv(TAG.SEQUENCE, derInt(0), ...values.map(([id, v]) => entry(id, v)), parents, ...rest));
}

/** DG2: one biometric information template with an ISO/IEC 19794-5 facial record. */
export function buildDg2(p: {
  bytes: Uint8Array;
  format: 'jpeg' | 'jpeg2000';
  width: number;
  height: number;
}): Uint8Array {
  const imageInfo = Uint8Array.of(
    1,
    p.format === 'jpeg' ? 0 : 1,
    p.width >> 8,
    p.width & 255,
    p.height >> 8,
    p.height & 255,
    1,
    2,
    0,
    0,
    0,
    0,
  );
  const facial = new Uint8Array(20);
  const blockLength = 20 + imageInfo.length + p.bytes.length;
  new DataView(facial.buffer).setUint32(0, blockLength);
  const record = concat(facial, imageInfo, p.bytes);
  const header = new Uint8Array(14);
  header.set(ascii('FAC\u0000010\u0000'));
  new DataView(header.buffer).setUint32(8, 14 + record.length);
  new DataView(header.buffer).setUint16(12, 1);
  const bht = tlv(0xa1, tlv(0x80, Uint8Array.of(1, 1)), tlv(0x87, Uint8Array.of(1, 1)), tlv(0x88, Uint8Array.of(0, 8)));
  return tlv(0x75, tlv(0x7f61, derInt(1), tlv(0x7f60, bht, tlv(0x5f2e, header, record))));
}

/** The LDS security object and its CMS SignedData, signed by the document signer. */
export function buildSod(files: Partial<Record<ChipFileName, Uint8Array>>, pki: TestPki): Uint8Array {
  const hashes = Object.entries(dataGroupNumber)
    .filter(([name]) => files[name as ChipFileName])
    .map(([name, n]) =>
      tlv(TAG.SEQUENCE, derInt(n as number), tlv(TAG.OCTET_STRING, sha256(files[name as ChipFileName] as Uint8Array))),
    );
  const sha256Alg = tlv(TAG.SEQUENCE, derOid(OID.sha256));
  const lds = tlv(TAG.SEQUENCE, derInt(0), sha256Alg, tlv(TAG.SEQUENCE, ...hashes));
  const attrs = [
    tlv(TAG.SEQUENCE, derOid(OID.contentType), tlv(TAG.SET, derOid(OID.ldsSecurityObject))),
    tlv(TAG.SEQUENCE, derOid(OID.messageDigest), tlv(TAG.SET, tlv(TAG.OCTET_STRING, sha256(lds)))),
  ].sort(compareBytes);
  const signedAttrs = tlv(TAG.SET, ...attrs);
  const signature = signEcdsa(pki.documentSigner.key, signedAttrs);
  const signerInfo = tlv(
    TAG.SEQUENCE,
    derInt(1),
    tlv(TAG.SEQUENCE, pki.documentSigner.issuerDer, tlv(TAG.INTEGER, pki.documentSigner.serial)),
    sha256Alg,
    tlv(0xa0, ...attrs),
    tlv(TAG.SEQUENCE, derOid('1.2.840.10045.4.3.2')),
    tlv(TAG.OCTET_STRING, signature),
  );
  const signedData = tlv(
    TAG.SEQUENCE,
    derInt(3),
    tlv(TAG.SET, sha256Alg),
    tlv(TAG.SEQUENCE, derOid(OID.ldsSecurityObject), tlv(0xa0, tlv(TAG.OCTET_STRING, lds))),
    tlv(0xa0, pki.documentSigner.der),
    tlv(TAG.SET, signerInfo),
  );
  return tlv(0x77, tlv(TAG.SEQUENCE, derOid(OID.signedData), tlv(0xa0, signedData)));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/** Re-sign the SOD over the current data groups (after a test changed one on purpose, to model a forger with his own signer). */
export function resignSod(doc: TestDocument, pki: TestPki = doc.pki): void {
  doc.files.SOD = buildSod(doc.files, pki);
}

/**
 * Personalise a test document the way a CCCD / Căn cước chip is: EF.CardAccess (PACE), EF.COM,
 * DG1 (TD1 MRZ), DG2 (portrait), DG13 (Vietnamese layout), DG14 (chip authentication key,
 * active authentication algorithm), DG15 (active authentication key), EF.SOD signed by a test
 * document signer under a test CSCA.
 */
export function createTestDocument(options: TestDocumentOptions = {}): TestDocument {
  const holder = options.holder ?? testHolder;
  const pki = options.pki ?? createTestPki(options.random ? { random: options.random } : {});
  const curve = options.chipKeyCurve ?? 'brainpoolP256r1';
  const caKey = generateKeyPair(curve, options.random);
  const aaKey = generateKeyPair(curve, options.random);
  const { mrz, key } = testMrz(holder);
  const portrait = options.portrait ?? { bytes: tinyJpeg, format: 'jpeg' as const, width: 24, height: 32 };
  const cardAccess = tlv(
    TAG.SET,
    tlv(
      TAG.SEQUENCE,
      derOid(options.paceProtocol ?? OID.paceEcdhGmAes128),
      derInt(2),
      derInt(options.paceParameterId ?? 13),
    ),
  );
  const dg14 = tlv(
    0x6e,
    tlv(
      TAG.SET,
      tlv(TAG.SEQUENCE, derOid(OID.pkEcdh), caKey.publicKeyInfo),
      tlv(TAG.SEQUENCE, derOid(options.caProtocol ?? OID.caEcdhAes128), derInt(1)),
      tlv(TAG.SEQUENCE, derOid(OID.activeAuthentication), derInt(1), derOid('1.2.840.10045.4.3.2')),
    ),
  );
  const files: Record<ChipFileName | 'CardAccess', Uint8Array> = {
    CardAccess: cardAccess,
    COM: tlv(
      0x60,
      tlv(0x5f01, ascii('0107')),
      tlv(0x5f36, ascii('040000')),
      tlv(0x5c, Uint8Array.from([1, 2, 13, 14, 15].map((n) => dataGroupTags[n] as number))),
    ),
    DG1: tlv(0x61, tlv(0x5f1f, ascii(mrz))),
    DG2: buildDg2(portrait),
    DG13: buildDg13(holder),
    DG14: dg14,
    DG15: tlv(0x6f, aaKey.publicKeyInfo),
    SOD: new Uint8Array(0),
  };
  files.SOD = buildSod(files, pki);
  return {
    files,
    can: holder.idNumber.slice(6),
    mrzKey: key,
    mrz,
    chipAuthenticationKey: caKey,
    activeAuthenticationKey: aaKey,
    pki,
    holder,
  };
}
