import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu, parseResponse } from './apdu.js';
import { TAG, derInt } from './asn1.js';
import { fromHex, hex } from './bytes.js';
import { parseDg1, parseDg2, parseEfCom } from './dataGroups.js';
import { parseDg13 } from './dg13.js';
import { isChipError } from './errors.js';
import { createTestDocument, tinyJpeg } from './testing.js';
import { parseTlvTree, readTlv, tlv } from './tlv.js';

const doc = createTestDocument();
const utf8 = (s: string) => new TextEncoder().encode(s);
const entry = (id: number, tag: number, v: string) => tlv(TAG.SEQUENCE, derInt(id), tlv(tag, utf8(v)));

describe('BER-TLV', () => {
  it('reads 1-3 byte tags and 1-4 byte lengths, and refuses indefinite, oversized and cut-off ones', () => {
    expect(readTlv(fromHex('5F1F03414243'))).toMatchObject({ tag: 0x5f1f, end: 6 });
    expect(readTlv(fromHex('7F6181020000')).tag).toBe(0x7f61);
    expect(readTlv(tlv(0x04, new Uint8Array(300))).value.length).toBe(300);
    for (const bad of [
      '',
      '30',
      '3080',
      '3081',
      '30820100',
      '3084FFFFFFFF00',
      '5F',
      '5FFF',
      '5F818181010100',
      '3085010000000000',
    ]) {
      let err: unknown;
      try {
        readTlv(fromHex(bad));
      } catch (e) {
        err = e;
      }
      expect(isChipError(err, 'chip/bad-tlv'), bad).toBe(true);
    }
  });

  it('refuses nesting deeper than 32 levels', () => {
    let v: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 40; i++) v = tlv(0x30, v);
    expect(() => parseTlvTree(v)).toThrow(/nesting/);
  });
});

describe('APDU', () => {
  it('encodes short and extended cases and decodes them back', () => {
    expect(hex(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 }))).toBe('00B0000000');
    expect(hex(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 }))).toBe('00B00000000000');
    expect(hex(encodeApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1000 }))).toBe('00B000000003E8');
    const big = encodeApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300), ne: 256 });
    expect(hex(big.subarray(0, 7))).toBe('00D60000000' + '12C');
    for (const c of [
      { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') },
      { cla: 0x0c, ins: 0xb0, p1: 1, p2: 2, data: new Uint8Array(13), ne: 256 },
      { cla: 0, ins: 0x86, p1: 0, p2: 0, data: new Uint8Array(400), ne: 65536 },
      { cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 },
    ]) {
      expect(decodeApdu(encodeApdu(c))).toEqual(c);
    }
    expect(decodeApdu(fromHex('00A4'))).toBeUndefined();
    expect(decodeApdu(fromHex('00A4020C05011E'))).toBeUndefined();
  });

  it('refuses a response shorter than a status word', () => {
    expect(parseResponse(fromHex('6A82')).sw).toBe(0x6a82);
    expect(() => parseResponse(fromHex('90'))).toThrow(/shorter than a status word/);
  });
});

describe('data groups', () => {
  it('EF.COM, DG1 and DG2 of the software card', () => {
    expect(parseEfCom(doc.files.COM)).toEqual({
      ldsVersion: '0107',
      unicodeVersion: '040000',
      dataGroups: [1, 2, 13, 14, 15],
    });
    expect(parseDg1(doc.files.DG1)).toBe(doc.mrz);
    expect(parseDg1(doc.files.DG1)).toHaveLength(90);
    const [p] = parseDg2(doc.files.DG2);
    expect(p).toMatchObject({ format: 'jpeg', width: 24, height: 32 });
    expect(p?.bytes).toEqual(tinyJpeg);
  });

  it('DG13: reads by id, tolerates absent, unknown and reordered ids, PrintableString and a flat layout', () => {
    const dg13 = tlv(
      0x6d,
      entry(4, TAG.UTF8_STRING, 'Nữ'),
      entry(1, TAG.PRINTABLE_STRING, '079301000123'),
      entry(99, TAG.UTF8_STRING, 'future field'),
      entry(3, TAG.PRINTABLE_STRING, '01/02/1993'),
      entry(12, TAG.UTF8_STRING, 'Không thời hạn'),
      tlv(TAG.SEQUENCE, derInt(13), tlv(TAG.UTF8_STRING, utf8('Cha')), tlv(TAG.UTF8_STRING, utf8('Mẹ'))),
    );
    const r = parseDg13(dg13);
    expect(r.identity).toEqual({
      sex: 'F',
      idNumber: '079301000123',
      dateOfBirth: { year: 1993, month: 2, day: 1 },
      noExpiry: true,
      fatherName: 'Cha',
      motherName: 'Mẹ',
    });
    expect(r.issues.map((i) => i.code)).toEqual(['chip/dg13-unknown-id']);
    const noId = parseDg13(tlv(0x6d, entry(2, TAG.UTF8_STRING, 'A B')));
    expect(noId.identity.fullName).toBe('A B');
    expect(noId.issues.map((i) => i.code)).toContain('chip/dg13-no-id-number');
    const badDate = parseDg13(
      tlv(0x6d, entry(1, TAG.UTF8_STRING, '001099012345'), entry(3, TAG.UTF8_STRING, '31/02/1990')),
    );
    expect(badDate.issues.map((i) => i.code)).toContain('chip/dg13-bad-date');
    expect(badDate.identity.dateOfBirth).toBeUndefined();
  });

  it('DG13 of the software card (outer SEQUENCE with a version) gives every field', () => {
    const r = parseDg13(doc.files.DG13);
    expect(r.issues).toEqual([]);
    expect(Object.keys(r.identity).sort()).toEqual(
      [
        'dateOfBirth',
        'ethnicity',
        'expiryDate',
        'fatherName',
        'fullName',
        'idNumber',
        'identifyingMarks',
        'issueDate',
        'motherName',
        'nationality',
        'oldIdNumber',
        'placeOfOrigin',
        'placeOfResidence',
        'religion',
        'sex',
      ].sort(),
    );
  });
});
