import { describe, expect, it } from 'vitest';
import { type CensusSide, type CensusTruth, censusRows, sideCause } from './censusRows.js';

// a card 856 px wide in the photo: 0.1 mm per pixel
const quad: CensusTruth['quad'] = [
  { x: 100, y: 100 },
  { x: 956, y: 100 },
  { x: 956, y: 640 },
  { x: 100, y: 640 },
];
const mrz: [string, string, string] = [
  'IDVNM0790310124001079031012<<8',
  '7903104M4412312VNM<<<<<<<<<<<6',
  'NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<',
];
const front: CensusTruth = {
  type: 'cccd-2021',
  side: 'front',
  level: 2,
  quad,
  fields: { idNumber: '079031012400', dateOfBirth: '10/03/1979', fullName: 'ĐỖ VĂN AN', sex: 'Nam' },
  parameters: { cardWidthPx: 856 },
};
const back: CensusTruth = { ...front, side: 'back', fields: { issueDate: '01/02/2022' }, mrz };
const value = (v: string, confidence = 0.95) => ({ value: v, confidence, text: v });

/** The reader's answer for `truth`, read right unless `change` says otherwise. */
function readRight(truth: CensusTruth, change: Partial<CensusSide> = {}): CensusSide {
  return {
    status: 'read',
    issues: [],
    quad: truth.quad,
    documentType: truth.type,
    side: truth.side,
    fields: Object.fromEntries(Object.entries(truth.fields).map(([k, v]) => [k, value(v)])),
    ...(truth.mrz ? { mrz: { valid: true, lines: [...truth.mrz] }, mrzConfidence: 0.98 } : {}),
    ...change,
  };
}

const moved = (dxPx: number): CensusTruth['quad'] => [{ x: 100 + dxPx, y: 100 }, quad[1], quad[2], quad[3]];

describe('censusRows', () => {
  it('lists nothing for a side read right with its outline within 1 mm', () => {
    expect(censusRows('a', front, readRight(front, { quad: moved(9) }))).toEqual([]);
    expect(censusRows('b', back, readRight(back))).toEqual([]);
  });

  it('scores fields as the bench does: NFC, and Ð printed by old sets as Đ', () => {
    const r = readRight(front, {
      fields: { ...readRight(front).fields, fullName: value('\u00d0Ỗ VĂN AN'.normalize('NFD')) },
    });
    expect(censusRows('a', front, r)).toEqual([]);
  });

  it('gives a field missed on a right outline the cause "field" with its truth, reading, confidence and OCR', () => {
    const r = readRight(front, {
      fields: {
        ...readRight(front).fields,
        dateOfBirth: { value: '10/08/1979', confidence: 0.714, text: '1O/08/1979' },
      },
      issues: [
        { code: 'idcard/glare', severity: 'warning', message: 'glare', path: 'dateOfBirth' },
        { code: 'idcard/glare', severity: 'warning', message: 'glare', path: 'fullName' },
        { code: 'idcard/low-confidence', severity: 'warning', message: 'low' },
      ],
    });
    expect(censusRows('p1', front, r)).toEqual([
      {
        photo: 'p1',
        type: 'cccd-2021',
        side: 'front',
        level: 2,
        'corner mm': 0,
        'read as': 'cccd-2021/front',
        field: 'dateOfBirth',
        truth: '10/03/1979',
        read: '10/08/1979',
        conf: 0.71,
        ocr: '1O/08/1979',
        issues: 'idcard/glare idcard/low-confidence',
        cause: 'field',
      },
    ]);
  });

  it('blames the outline for a field missed on an outline more than 1 mm off, and lists an outline off that missed nothing', () => {
    const off = readRight(front, { quad: moved(25) });
    expect(censusRows('a', front, off)).toMatchObject([{ field: '–', cause: 'outline', 'corner mm': 2.5 }]);
    const offAndWrong = { ...off, fields: { ...off.fields, idNumber: value('079031012401') } };
    expect(censusRows('a', front, offAndWrong)).toMatchObject([{ field: 'idNumber', cause: 'outline' }]);
    // sex is no target field
    const sexWrong = readRight(front, { fields: { ...readRight(front).fields, sex: value('Nữ') } });
    expect(censusRows('a', front, sexWrong)).toEqual([]);
  });

  it('misses every target field of a side typed wrong, even a value read right', () => {
    const rows = censusRows('a', front, readRight(front, { documentType: 'cmnd-12' }));
    expect(rows.map((r) => [r.field, r.cause, r['read as']])).toEqual([
      ['idNumber', 'type', 'cmnd-12/front'],
      ['dateOfBirth', 'type', 'cmnd-12/front'],
      ['fullName', 'type', 'cmnd-12/front'],
    ]);
    expect(sideCause(front, readRight(front, { side: 'back' }))).toBe('type');
  });

  it('misses every target field and the MRZ of a side not read, with no outline when none was found', () => {
    const unread: CensusSide = {
      status: 'no-card',
      issues: [{ code: 'idcard/no-card', severity: 'error', message: 'x' }],
    };
    expect(censusRows('a', front, unread).map((r) => [r.field, r.cause, r['read as'], r['corner mm']])).toEqual([
      ['idNumber', 'unread', 'no-card', null],
      ['dateOfBirth', 'unread', 'no-card', null],
      ['fullName', 'unread', 'no-card', null],
    ]);
    expect(censusRows('b', back, { ...unread, status: 'card-cut-off', quad })).toMatchObject([
      { field: 'mrz', cause: 'unread', 'corner mm': 0, read: '' },
    ]);
  });

  it('gives an MRZ that is not valid, or valid and not the printed one, the cause "mrz"', () => {
    const invalid = readRight(back, { mrz: { valid: false, lines: [...mrz] }, mrzConfidence: 0.5 });
    expect(censusRows('b', back, invalid)).toMatchObject([
      { field: 'mrz', cause: 'mrz', conf: 0.5, truth: mrz.join(' / '), read: `${mrz.join(' / ')} (invalid)` },
    ]);
    const other = readRight(back, { mrz: { valid: true, lines: [mrz[0], mrz[1], 'NGUYEN<<VAN<ANH<<<<<<<<<<<<<<<'] } });
    expect(censusRows('b', back, other)).toMatchObject([{ field: 'mrz', cause: 'mrz' }]);
    // a back read as a front: the MRZ row is the type's
    expect(
      censusRows('b', back, { ...readRight(back), side: 'front', mrz: { valid: false, lines: [] } }),
    ).toMatchObject([{ field: 'mrz', cause: 'type' }]);
  });
});
