import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '../errors/SmartCitizenError.js';
import { mrzCheckDigit } from './checkDigit.js';
import { formatTd1Mrz, formatVietnamTd1Mrz } from './formatMrz.js';
import { parseMrz, safeParseMrz } from './parseMrz.js';

const today = new Date('2026-06-01T00:00:00Z');
const EXAMPLE = ['IDVNM0930470641001093047064<<2', '9301054M3301052VNM<<<<<<<<<<<8', 'UNG<<HOANG<HIEP<<<<<<<<<<<<<<<'];

function setChar(lines: readonly string[], line: number, col: number, ch: string): string[] {
  return lines.map((l, i) => (i === line ? l.slice(0, col) + ch + l.slice(col + 1) : l));
}

describe('mrzCheckDigit', () => {
  it('weights 7-3-1 with letters 10-35 and the filler 0 (ICAO 9303 examples)', () => {
    expect(mrzCheckDigit('520727')).toBe(3);
    expect(mrzCheckDigit('L898902C<')).toBe(3);
    expect(mrzCheckDigit('930105')).toBe(4);
    expect(mrzCheckDigit('001093047064')).toBe(2);
    expect(mrzCheckDigit('ab')).toBeUndefined();
  });
});

describe('parseMrz', () => {
  it('reads the Vietnamese example of issue 14 with every check', () => {
    const r = parseMrz(EXAMPLE.join('\n'), { today });
    expect(r.valid).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.repairs).toEqual([]);
    expect(r).toMatchObject({
      documentCode: 'ID',
      issuingState: 'VNM',
      documentNumber: '093047064',
      personalNumber: '001093047064',
      dateOfBirth: { year: 1993, month: 1, day: 5 },
      sex: 'M',
      expiryDate: { year: 2033, month: 1, day: 5 },
      nationality: 'VNM',
      surname: 'UNG',
      givenNames: 'HOANG HIEP',
      fullName: 'UNG HOANG HIEP',
    });
    expect(r.checks.map((c) => [c.name, c.valid])).toEqual([
      ['documentNumber', true],
      ['dateOfBirth', true],
      ['expiryDate', true],
      ['personalNumber', true],
      ['composite', true],
    ]);
    expect(r.fields.find((f) => f.name === 'documentNumber')).toMatchObject({
      line: 0,
      start: 5,
      length: 9,
      raw: '093047064',
      valid: true,
    });
  });

  it('accepts an array, 90 characters in a row, lower case and spaces', () => {
    expect(parseMrz(EXAMPLE, { today }).valid).toBe(true);
    expect(parseMrz(EXAMPLE.join(''), { today }).valid).toBe(true);
    expect(
      parseMrz(EXAMPLE.map((l) => ` ${l.toLowerCase().replace(/(.{5})/, '$1 ')} `).join('\r\n'), { today }).valid,
    ).toBe(true);
  });

  it('reports each broken check digit as data and does not repair a digit that is a digit', () => {
    const r = parseMrz(setChar(EXAMPLE, 1, 6, '5'), { today });
    expect(r.valid).toBe(false);
    expect(r.checks.find((c) => c.name === 'dateOfBirth')).toEqual({
      name: 'dateOfBirth',
      valid: false,
      expected: 4,
      found: '5',
    });
    expect(r.issues.map((i) => [i.code, i.path])).toContainEqual(['mrz/check-digit', 'dateOfBirth']);
    expect(r.fields.find((f) => f.name === 'dateOfBirth')?.valid).toBe(false);
    expect(r.repairs).toEqual([]);
  });

  it('repairs several confusions at once, each confirmed by its own check digit', () => {
    let bad = setChar(EXAMPLE, 0, 5, 'O'); // document number 0… → O…
    bad = setChar(bad, 1, 2, 'O'); // date of birth 930105 → 93O105
    bad = setChar(bad, 1, 13, 'S'); // expiry 330105 → 33010S
    bad = setChar(bad, 0, 17, 'I'); // personal number 001… → 0I1…
    const r = parseMrz(bad, { today });
    expect(r.lines).toEqual(EXAMPLE);
    expect(r.valid).toBe(true);
    expect(r.repairs.map((x) => x.confirmedBy).sort()).toEqual([
      'dateOfBirth',
      'documentNumber',
      'expiryDate',
      'personalNumber',
    ]);
  });

  it('leaves a look-alike alone when the check digit does not confirm the repair', () => {
    // 9 → G is not a known confusion pair (G ↔ 6): mapping gives 6, the check fails, nothing changes.
    const r = parseMrz(setChar(EXAMPLE, 1, 0, 'G'), { today });
    expect(r.lines[1]?.[0]).toBe('G');
    expect(r.valid).toBe(false);
    expect(r.repairs).toEqual([]);
  });

  it('repairs letter look-alikes and filler look-alikes back to the exact original', () => {
    const cases: [number, number, string][] = [
      [0, 5, 'O'],
      [0, 16, 'O'],
      [0, 17, 'I'],
      [1, 0, 'G'], // 9 is not confusable: expect failure handled below
      [1, 3, 'I'],
      [1, 5, 'S'],
      [1, 29, 'B'],
      [0, 27, 'K'],
    ];
    for (const [line, col, ch] of cases) {
      const original = EXAMPLE[line]?.[col] as string;
      const r = parseMrz(setChar(EXAMPLE, line, col, ch), { today });
      const mapsBack = ({ O: '0', I: '1', S: '5', B: '8', G: '6', K: '<' } as Record<string, string>)[ch] === original;
      if (mapsBack) {
        expect(r.valid, `${line}:${col} ${ch}`).toBe(true);
        expect(r.lines).toEqual(EXAMPLE);
        expect(r.repairs).toEqual([expect.objectContaining({ line, column: col, from: ch, to: original })]);
      } else {
        expect(r.valid, `${line}:${col} ${ch}`).toBe(false);
      }
    }
  });

  it('maps a filler look-alike « and sets a country one letter off to VNM only when the personal number confirms it', () => {
    const r = parseMrz(['IDVNM0930470641001093047064«2', '9301054M3301052VNN<<<<<<<<<<<8', EXAMPLE[2] as string], {
      today,
    });
    expect(r.valid).toBe(true);
    expect(r.lines).toEqual(EXAMPLE);
    expect(r.repairs).toEqual([
      expect.objectContaining({ line: 1, column: 17, from: 'N', to: 'M', confirmedBy: 'personalNumber' }),
    ]);
    const broken = setChar(setChar(EXAMPLE, 1, 17, 'N'), 0, 29, '3'); // personal-number check no longer holds
    const v = parseMrz(broken, { today });
    expect(v.nationality).toBe('VNN');
    expect(v.valid).toBe(false);
  });

  it('inserts or removes a filler when a line is one short or long and the checks confirm where', () => {
    const short = [EXAMPLE[0]?.replace('<<2', '<2'), EXAMPLE[1], EXAMPLE[2]] as string[];
    const r = parseMrz(short, { today });
    expect(r.lines).toEqual(EXAMPLE);
    expect(r.valid).toBe(true);
    expect(r.repairs).toEqual([expect.objectContaining({ confirmedBy: 'line-length', line: 0 })]);
    const long = [EXAMPLE[0], `${EXAMPLE[1]?.slice(0, 20)}<${EXAMPLE[1]?.slice(20)}`, `${EXAMPLE[2]}<<`] as string[];
    expect(parseMrz(long, { today }).lines).toEqual(EXAMPLE);
    const noRepair = parseMrz(short, { today, repair: false });
    expect(noRepair.valid).toBe(false);
    expect(noRepair.issues.map((i) => i.code)).toContain('mrz/line-length');
  });

  it('flags a document number that is not the tail of the personal number, even with valid check digits', () => {
    const lines = formatTd1Mrz({
      documentNumber: '093047065',
      optionalData1: `001093047064<<${mrzCheckDigit('001093047064')}`,
      dateOfBirth: { year: 1993, month: 1, day: 5 },
      sex: 'M',
      expiryDate: { year: 2033, month: 1, day: 5 },
      surname: 'UNG',
      givenNames: 'HOANG HIEP',
    });
    const r = parseMrz(lines, { today });
    expect(r.checks.every((c) => c.valid)).toBe(true);
    expect(r.valid).toBe(false);
    expect(r.issues.map((i) => i.code)).toContain('mrz/vn-document-number');
  });

  it('cross-checks the personal number against sex and birth year', () => {
    const lines = formatVietnamTd1Mrz({
      personalNumber: '001193047064', // century digit 1: female, born 19xx
      fullName: 'Ưng Hoàng Hiệp',
      dateOfBirth: { year: 1993, month: 1, day: 5 },
      sex: 'M',
      expiryDate: { year: 2033, month: 1, day: 5 },
    });
    const r = parseMrz(lines, { today });
    expect(r.checks.every((c) => c.valid)).toBe(true);
    expect(r.issues.some((i) => i.path === 'personalNumber')).toBe(true);
  });

  it('says a passport zone is not an ID card and rejects garbage with a typed error', () => {
    const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    expect(() => parseMrz(td3)).toThrow(expect.objectContaining({ code: 'mrz/not-td1' }));
    for (const bad of ['', 'hello', 'A\nB\nC', 'x'.repeat(5000), `${EXAMPLE[0]}\n${EXAMPLE[1]}`]) {
      const s = safeParseMrz(bad);
      expect(s.ok).toBe(false);
      if (!s.ok) expect(isSmartCitizenError(s.error)).toBe(true);
    }
    expect(safeParseMrz(42 as unknown as string).ok).toBe(false);
  });

  it('marks an impossible date and a wrong sex as issues', () => {
    const lines = formatTd1Mrz({
      documentNumber: 'AB1234567',
      dateOfBirth: { year: 1993, month: 13, day: 5 } as never,
      expiryDate: { year: 2033, month: 1, day: 5 },
      issuingState: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
    });
    const r = parseMrz(setChar(lines, 1, 7, 'Q'), { today });
    expect(r.checks.filter((c) => !c.valid).map((c) => c.name)).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['mrz/date-invalid', 'mrz/sex-invalid']));
    expect(r.personalNumber).toBeUndefined();
  });
});

describe('formatVietnamTd1Mrz', () => {
  it('writes six fillers for a card without expiry, which parses as valid with no expiry date', () => {
    const lines = formatVietnamTd1Mrz({
      personalNumber: '001059012345',
      fullName: 'Huỳnh Hồng Uyên',
      dateOfBirth: { year: 1959, month: 10, day: 19 },
      sex: 'M',
    });
    expect(lines[1].slice(8, 15)).toBe('<<<<<<0');
    const r = parseMrz(lines, { today });
    expect(r.valid).toBe(true);
    expect(r.expiryDate).toBeUndefined();
    expect(r.issues.map((i) => i.code)).toEqual(['mrz/no-expiry']);
  });

  it('writes the example of issue 14 from the printed identity', () => {
    expect(
      formatVietnamTd1Mrz({
        personalNumber: '001093047064',
        fullName: 'Ưng Hoàng Hiệp',
        dateOfBirth: { year: 1993, month: 1, day: 5 },
        sex: 'M',
        expiryDate: { year: 2033, month: 1, day: 5 },
      }),
    ).toEqual(EXAMPLE);
  });

  it('spells đ as D and truncates long names to 30 characters', () => {
    const [, , name] = formatVietnamTd1Mrz({
      personalNumber: '079303000123',
      fullName: 'Đặng Thị Ngọc Hân Tôn Nữ Hoàng Phương Thảo',
      dateOfBirth: { year: 2003, month: 2, day: 28 },
      sex: 'F',
      expiryDate: { year: 2028, month: 2, day: 28 },
    });
    expect(name).toBe('DANG<<THI<NGOC<HAN<TON<NU<HOAN');
    expect(name).toHaveLength(30);
  });
});
