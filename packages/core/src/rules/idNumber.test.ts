import { describe, expect, it } from 'vitest';
import { provinceCodes } from '../data/provinceCodes.js';
import { isSmartCitizenError } from '../errors/SmartCitizenError.js';
import { parseIdNumber, safeParseIdNumber, validateIdNumber } from './idNumber.js';

const today = new Date('2026-11-29T03:00:00Z');
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe('parseIdNumber', () => {
  it('splits the number into its parts', () => {
    expect(parseIdNumber('001099012345')).toEqual({
      idNumber: '001099012345',
      provinceCode: '001',
      provinceName: 'Hà Nội',
      centuryDigit: 0,
      century: 1900,
      sex: 'M',
      birthYearDigits: '99',
      birthYearFromNumber: 1999,
      serial: '012345',
    });
  });

  it.each([
    [0, 1900, 'M'],
    [1, 1900, 'F'],
    [2, 2000, 'M'],
    [3, 2000, 'F'],
    [4, 2100, 'M'],
    [5, 2100, 'F'],
    [6, 2200, 'M'],
    [7, 2200, 'F'],
    [8, 2300, 'M'],
    [9, 2300, 'F'],
  ])('century+sex digit %i -> %i %s', (digit, century, sex) => {
    const p = parseIdNumber(`079${digit}05123456`);
    expect(p.centuryDigit).toBe(digit);
    expect(p.century).toBe(century);
    expect(p.sex).toBe(sex);
    expect(p.birthYearFromNumber).toBe(century + 5);
    expect(p.birthYearDigits).toBe('05');
  });

  it('names the province of each of the 63 codes', () => {
    for (const p of provinceCodes) {
      const parts = parseIdNumber(`${p.code}200654321`);
      expect(parts.provinceCode).toBe(p.code);
      expect(parts.provinceName).toBe(p.name);
    }
  });

  it('ignores whitespace anywhere', () => {
    expect(parseIdNumber(' 001 099\t012 345\n').idNumber).toBe('001099012345');
    expect(parseIdNumber('001\u00a0099\u00a0012345').idNumber).toBe('001099012345');
  });

  it('leaves provinceName out for a code outside the table', () => {
    const p = parseIdNumber('003099012345');
    expect(p.provinceName).toBeUndefined();
    expect('provinceName' in p).toBe(false);
  });

  it.each([
    '',
    '00109901234',
    '0010990123456',
    '00109901234a',
    '001-099-012345',
    '００１０９９０１２３４５',
    '٠٠١٠٩٩٠١٢٣٤٥',
    '1e11',
    '001099012345.',
  ])('throws id/malformed for %j', (text) => {
    try {
      parseIdNumber(text);
      expect.unreachable();
    } catch (err) {
      expect(isSmartCitizenError(err, 'id/malformed')).toBe(true);
      // the number itself never appears in the message
      expect((err as Error).message).not.toContain('0010990');
    }
  });

  it('throws TypeError for a non-string argument', () => {
    expect(() => parseIdNumber(1234 as unknown as string)).toThrow(TypeError);
  });
});

describe('validateIdNumber', () => {
  it('finds no issue in a consistent number', () => {
    const r = validateIdNumber('001199012345', { dateOfBirth: { year: 1999, month: 3, day: 4 }, sex: 'F', today });
    expect(r.issues).toEqual([]);
    expect(r.parts?.sex).toBe('F');
  });

  it('warns about a province code outside the table, keeps the parts', () => {
    const r = validateIdNumber('099099012345', { today });
    expect(r.parts?.provinceCode).toBe('099');
    expect(r.issues).toEqual([expect.objectContaining({ code: 'id/province-unknown', severity: 'warning' })]);
  });

  it('flags a birth-year mismatch against the date of birth (full or partial)', () => {
    for (const dob of [{ year: 1998 }, { year: 1998, month: 1 }, { year: 1998, month: 1, day: 2 }, { year: 2099 }]) {
      const r = validateIdNumber('001099012345', { dateOfBirth: dob, today });
      expect(codes(r.issues)).toEqual(['id/birth-year-mismatch']);
      expect(r.issues[0]?.severity).toBe('error');
      expect(r.issues[0]?.path).toBe('dateOfBirth');
    }
  });

  it('distinguishes the century: 1999 vs 2099 vs 2000', () => {
    expect(validateIdNumber('001299012345', { dateOfBirth: { year: 1999 }, today }).issues.map((i) => i.code)).toEqual([
      'id/birth-year-in-future',
      'id/birth-year-mismatch',
    ]);
    expect(validateIdNumber('001200012345', { dateOfBirth: { year: 2000 }, today }).issues).toEqual([]);
    expect(validateIdNumber('001000012345', { dateOfBirth: { year: 1900 }, today }).issues).toEqual([]);
  });

  it('flags a sex mismatch', () => {
    expect(codes(validateIdNumber('001099012345', { sex: 'F', today }).issues)).toEqual(['id/sex-mismatch']);
    expect(codes(validateIdNumber('001199012345', { sex: 'M', today }).issues)).toEqual(['id/sex-mismatch']);
    expect(validateIdNumber('001199012345', { sex: 'F', today }).issues).toEqual([]);
  });

  it('flags a future century and a future birth year', () => {
    for (const d of [4, 5, 6, 7, 8, 9]) {
      expect(codes(validateIdNumber(`001${d}00012345`, { today }).issues)).toEqual(['id/century-in-future']);
    }
    expect(codes(validateIdNumber('001227012345', { today }).issues)).toEqual(['id/birth-year-in-future']);
    expect(validateIdNumber('001226012345', { today }).issues).toEqual([]);
    // a century digit 4 is fine once the 22nd century has come
    expect(validateIdNumber('001400012345', { today: new Date('2100-06-01') }).issues).toEqual([]);
  });

  it('flags a repeated digit and an all-zero serial', () => {
    expect(codes(validateIdNumber('000000000000', { today }).issues)).toEqual([
      'id/repeated-digits',
      'id/province-unknown',
      'id/serial-zero',
    ]);
    expect(codes(validateIdNumber('111111111111', { today }).issues)).toContain('id/repeated-digits');
    expect(codes(validateIdNumber('001099000000', { today }).issues)).toEqual(['id/serial-zero']);
  });

  it('reports an invalid date of birth to compare with as an issue', () => {
    const r = validateIdNumber('001099012345', { dateOfBirth: { year: 1999, month: 2, day: 30 }, today });
    expect(codes(r.issues)).toEqual(['date/invalid']);
  });

  it('returns a malformed issue and no parts for bad input', () => {
    const r = validateIdNumber('12345');
    expect(r.parts).toBeUndefined();
    expect(r.issues).toEqual([expect.objectContaining({ code: 'id/malformed', severity: 'error', path: 'idNumber' })]);
    expect(validateIdNumber(undefined as unknown as string).issues[0]?.code).toBe('id/malformed');
  });
});

describe('safeParseIdNumber', () => {
  it('returns the parts with issues, or the error', () => {
    const ok = safeParseIdNumber('003099012345', { today });
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.value.provinceCode).toBe('003');
      expect(codes(ok.issues)).toEqual(['id/province-unknown']);
    }
    const bad = safeParseIdNumber('abc');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('id/malformed');
  });
});
