import { TAG } from './asn1.js';
import { ChipError } from './errors.js';
import { type SecurityInfos, parseSecurityInfos } from './securityInfos.js';
import { type Tlv, parseTlvs, readTlv, requireTlv } from './tlv.js';

/** The files of the eMRTD application this package reads, with their short file identifiers and tags. */
export const chipFiles = {
  COM: { fid: 0x011e, tag: 0x60 },
  DG1: { fid: 0x0101, tag: 0x61 },
  DG2: { fid: 0x0102, tag: 0x75 },
  DG13: { fid: 0x010d, tag: 0x6d },
  DG14: { fid: 0x010e, tag: 0x6e },
  DG15: { fid: 0x010f, tag: 0x6f },
  SOD: { fid: 0x011d, tag: 0x77 },
} as const;

/** Name of a file this package knows. */
export type ChipFileName = keyof typeof chipFiles;

/** Data-group number of each DG file. */
export const dataGroupNumber: Readonly<Partial<Record<ChipFileName, number>>> = {
  DG1: 1,
  DG2: 2,
  DG13: 13,
  DG14: 14,
  DG15: 15,
};

/** Data-group tag of a DG number (EF.COM's tag list uses these). */
export const dataGroupTags: Readonly<Record<number, number>> = {
  1: 0x61,
  2: 0x75,
  3: 0x63,
  4: 0x76,
  5: 0x65,
  6: 0x66,
  7: 0x67,
  8: 0x68,
  9: 0x69,
  10: 0x6a,
  11: 0x6b,
  12: 0x6c,
  13: 0x6d,
  14: 0x6e,
  15: 0x6f,
  16: 0x70,
};

/** EF.CardAccess file identifier (in the master file; read before access control). */
export const CARD_ACCESS_FID = 0x011c;

/** eMRTD LDS1 application identifier. */
export const EMRTD_AID: Uint8Array = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

/** The outer data object of a file, required to carry `tag`. */
export function fileContent(bytes: Uint8Array, tag: number, name: string): Tlv {
  const t = readTlv(bytes);
  if (t.tag !== tag) {
    throw new ChipError(
      'chip/bad-data',
      `${name}: expected tag ${tag.toString(16).toUpperCase()}, found ${t.tag.toString(16).toUpperCase()}`,
    );
  }
  return t;
}

/** EF.COM: LDS version and the data groups the chip says it holds. */
export interface EfCom {
  ldsVersion: string;
  unicodeVersion: string;
  /** Data-group numbers listed in the tag list (5C). */
  dataGroups: number[];
}

/** Parse EF.COM (tag 60). */
export function parseEfCom(bytes: Uint8Array): EfCom {
  const v = fileContent(bytes, 0x60, 'EF.COM').value;
  const text = (t: number) => {
    const x = parseTlvs(v).find((o) => o.tag === t);
    return x ? String.fromCharCode(...x.value) : '';
  };
  const list = requireTlv(v, 0x5c, 'EF.COM').value;
  const byTag = new Map(Object.entries(dataGroupTags).map(([n, t]) => [t, Number(n)]));
  const dataGroups = [...list].map((t) => byTag.get(t)).filter((n): n is number => n !== undefined);
  return { ldsVersion: text(0x5f01), unicodeVersion: text(0x5f36), dataGroups };
}

/** DG1: the MRZ text (tag 5F1F), unchanged. */
export function parseDg1(bytes: Uint8Array): string {
  const v = fileContent(bytes, 0x61, 'DG1').value;
  const mrz = requireTlv(v, 0x5f1f, 'DG1').value;
  for (const b of mrz)
    if (!((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || b === 0x3c)) {
      throw new ChipError('chip/bad-data', 'DG1: MRZ holds characters outside 0-9, A-Z, <');
    }
  return String.fromCharCode(...mrz);
}

/** Split DG1's MRZ into its lines (TD1: 3×30, TD2: 2×36, TD3: 2×44). */
export function mrzLines(mrz: string): string[] {
  const width = mrz.length === 90 ? 30 : mrz.length === 72 ? 36 : mrz.length === 88 ? 44 : mrz.length;
  const out: string[] = [];
  for (let i = 0; i < mrz.length; i += width) out.push(mrz.slice(i, i + width));
  return out;
}

/** DG14: the chip's security infos (chip authentication keys, active authentication algorithm). */
export function parseDg14(bytes: Uint8Array): SecurityInfos {
  const v = fileContent(bytes, 0x6e, 'DG14').value;
  return parseSecurityInfos(v);
}

/** DG15: the active authentication public key as DER SubjectPublicKeyInfo. */
export function parseDg15(bytes: Uint8Array): Uint8Array {
  const v = fileContent(bytes, 0x6f, 'DG15').value;
  const spki = readTlv(v);
  if (spki.tag !== TAG.SEQUENCE) throw new ChipError('chip/bad-data', 'DG15: expected a SubjectPublicKeyInfo');
  return v.subarray(spki.start, spki.end);
}

/** The image format a portrait is encoded in. */
export type PortraitFormat = 'jpeg' | 'jpeg2000';

/** A portrait from DG2. */
export interface Portrait {
  format: PortraitFormat;
  /** The encoded image bytes as stored on the chip. */
  bytes: Uint8Array;
  width?: number;
  height?: number;
}

/**
 * DG2: the facial images (ICAO 9303-10 biometric information template, ISO/IEC 19794-5 records).
 * Returns every image found, in order; the first is the portrait.
 */
export function parseDg2(bytes: Uint8Array): Portrait[] {
  const v = fileContent(bytes, 0x75, 'DG2').value;
  const group = requireTlv(v, 0x7f61, 'DG2');
  const out: Portrait[] = [];
  for (const bit of parseTlvs(group.value)) {
    if (bit.tag !== 0x7f60) continue;
    const block = parseTlvs(bit.value).find((o) => o.tag === 0x5f2e || o.tag === 0x7f2e);
    if (!block) throw new ChipError('chip/bad-data', 'DG2: biometric information template has no biometric data block');
    out.push(parseFaceRecord(block.value));
  }
  if (out.length === 0) throw new ChipError('chip/bad-data', 'DG2: no biometric information template');
  return out;
}

function u16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}
function u32(b: Uint8Array, o: number): number {
  return (
    ((b[o] as number) * 0x1000000 +
      ((b[o + 1] as number) << 16) +
      ((b[o + 2] as number) << 8) +
      (b[o + 3] as number)) >>>
    0
  );
}

/** One ISO/IEC 19794-5:2005 facial record block: general header, facial header, feature points, image information, image. */
function parseFaceRecord(b: Uint8Array): Portrait {
  const bad = (m: string) => new ChipError('chip/bad-data', `DG2: ${m}`);
  if (b.length < 14 + 20 + 12 || b[0] !== 0x46 || b[1] !== 0x41 || b[2] !== 0x43 || b[3] !== 0)
    throw bad('no ISO 19794-5 FAC header');
  const recordLength = u32(b, 8);
  if (recordLength > b.length) throw bad('record length runs past the data block');
  let o = 14;
  const blockLength = u32(b, o);
  const featurePoints = u16(b, o + 4);
  o += 20 + featurePoints * 8;
  if (o + 12 > b.length) throw bad('facial record is cut off');
  const imageDataType = b[o + 1] as number;
  const width = u16(b, o + 2);
  const height = u16(b, o + 4);
  o += 12;
  const end = Math.min(b.length, 14 + blockLength);
  if (o >= end) throw bad('facial record holds no image');
  const image = b.slice(o, end);
  const format: PortraitFormat | undefined =
    imageDataType === 0 ? 'jpeg' : imageDataType === 1 ? 'jpeg2000' : undefined;
  if (!format) throw bad(`unknown image data type ${imageDataType}`);
  return { format, bytes: image, width, height };
}
