import { describe, expect, it } from 'vitest';
import type { PartialDate } from '../identity/CitizenIdentity.js';
import { isSmartCitizenError } from '../errors/SmartCitizenError.js';
import {
  ageOn,
  comparePartialDates,
  daysInMonth,
  formatDate,
  isValidPartialDate,
  parseDate,
  parseYYMMDD,
  safeParseDate,
  toPartialDate,
} from './dates.js';

const today = new Date('2026-11-29T05:00:00Z');

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isSmartCitizenError(err) ? err.code : `untyped:${String(err)}`;
  }
}

describe('daysInMonth / leap years', () => {
  it.each([
    [2000, 29],
    [2024, 29],
    [1996, 29],
    [1900, 28],
    [2100, 28],
    [2023, 28],
    [2400, 29],
  ])('February %i has %i days', (y, d) => {
    expect(daysInMonth(y, 2)).toBe(d);
  });
  it('knows the 30- and 31-day months', () => {
    expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([
      31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
  });
});

describe('parseDate dd/mm/yyyy', () => {
  it.each<[string, PartialDate]>([
    ['01/01/1999', { year: 1999, month: 1, day: 1 }],
    ['1/2/1999', { year: 1999, month: 2, day: 1 }],
    ['31.12.1999', { year: 1999, month: 12, day: 31 }],
    ['31-12-1999', { year: 1999, month: 12, day: 31 }],
    [' 31 / 12 / 1999 ', { year: 1999, month: 12, day: 31 }],
    ['29/02/2000', { year: 2000, month: 2, day: 29 }],
    ['29/02/2024', { year: 2024, month: 2, day: 29 }],
    ['00/00/1999', { year: 1999 }],
    ['00/03/1999', { year: 1999, month: 3 }],
    ['03/1999', { year: 1999, month: 3 }],
    ['00/1999', { year: 1999 }],
    ['1999', { year: 1999 }],
  ])('%j -> %j', (text, expected) => {
    expect(parseDate(text, 'dd/mm/yyyy')).toEqual(expected);
    expect(parseDate(text)).toEqual(expected);
  });

  it.each([
    ['31/02/2000', 'date/invalid'],
    ['29/02/1900', 'date/invalid'],
    ['29/02/2023', 'date/invalid'],
    ['31/04/2020', 'date/invalid'],
    ['01/13/2020', 'date/invalid'],
    ['32/01/2020', 'date/invalid'],
    ['15/00/1999', 'date/invalid'],
    ['00/00/0000', 'date/invalid'],
    ['1/1/99', 'date/malformed'],
    ['01011999', 'date/malformed'],
    ['abc', 'date/malformed'],
    ['', 'date/malformed'],
    ['01//01/1999', 'date/malformed'],
  ])('%j -> %s', (text, code) => {
    expect(errorCode(() => parseDate(text, 'dd/mm/yyyy'))).toBe(code);
  });
});

describe('parseDate ddmmyyyy', () => {
  it.each<[string, PartialDate]>([
    ['01011999', { year: 1999, month: 1, day: 1 }],
    ['29022000', { year: 2000, month: 2, day: 29 }],
    ['00001999', { year: 1999 }],
    ['00121999', { year: 1999, month: 12 }],
    ['121999', { year: 1999, month: 12 }],
    ['1999', { year: 1999 }],
  ])('%j -> %j', (text, expected) => {
    expect(parseDate(text, 'ddmmyyyy')).toEqual(expected);
  });
  it('rejects impossible and malformed dates', () => {
    expect(errorCode(() => parseDate('30022000', 'ddmmyyyy'))).toBe('date/invalid');
    expect(errorCode(() => parseDate('01/01/1999', 'ddmmyyyy'))).toBe('date/malformed');
    expect(errorCode(() => parseDate('0101199', 'ddmmyyyy'))).toBe('date/malformed');
  });
});

describe('parseDate auto', () => {
  it.each<[string, PartialDate]>([
    ['1999-12-31', { year: 1999, month: 12, day: 31 }],
    ['1999-12', { year: 1999, month: 12 }],
    ['19991231', { year: 1999, month: 12, day: 31 }],
    ['31121999', { year: 1999, month: 12, day: 31 }],
    ['011999', { year: 1999, month: 1 }],
    ['ngày 01 tháng 02 năm 2000', { year: 2000, month: 2, day: 1 }],
    ['NGÀY 1 THÁNG 2 NĂM 2000', { year: 2000, month: 2, day: 1 }],
    ['tháng 02 năm 2000', { year: 2000, month: 2 }],
    ['năm 2000', { year: 2000 }],
  ])('%j -> %j', (text, expected) => {
    expect(parseDate(text, 'auto')).toEqual(expected);
  });
  it('reads other six-digit strings as YYMMDD birth dates', () => {
    expect(parseDate('990131', 'auto', { today })).toEqual({ year: 1999, month: 1, day: 31 });
  });
  it('rejects a day without a month in words', () => {
    expect(errorCode(() => parseDate('ngày 01 năm 2000'))).toBe('date/malformed');
  });
});

describe('parseYYMMDD century inference', () => {
  // today = 29 Nov 2026
  it.each<[string, PartialDate]>([
    ['261129', { year: 2026, month: 11, day: 29 }], // born today
    ['261130', { year: 1926, month: 11, day: 30 }], // tomorrow this century is the future
    ['261231', { year: 1926, month: 12, day: 31 }],
    ['260101', { year: 2026, month: 1, day: 1 }],
    ['270101', { year: 1927, month: 1, day: 1 }],
    ['250101', { year: 2025, month: 1, day: 1 }],
    ['000229', { year: 2000, month: 2, day: 29 }],
    ['991231', { year: 1999, month: 12, day: 31 }],
    ['26<<<<', { year: 2026 }],
    ['2612<<', { year: 1926, month: 12 }],
    ['2611<<', { year: 2026, month: 11 }],
    ['990000', { year: 1999 }],
  ])('birth %s -> %j', (text, expected) => {
    expect(parseYYMMDD(text, { kind: 'birth', today })).toEqual(expected);
  });

  it.each<[string, PartialDate]>([
    ['760101', { year: 1976, month: 1, day: 1 }], // 50 years back is the oldest expiry
    ['751231', { year: 2075, month: 12, day: 31 }], // 49 years ahead is the latest
    ['310615', { year: 2031, month: 6, day: 15 }],
    ['200101', { year: 2020, month: 1, day: 1 }], // an expired card
    ['991231', { year: 1999, month: 12, day: 31 }],
  ])('expiry %s -> %j', (text, expected) => {
    expect(parseYYMMDD(text, { kind: 'expiry', today })).toEqual(expected);
  });

  it('rejects leap days in non-leap inferred years', () => {
    // 29 Feb of "01" is 2001: not a leap year
    expect(errorCode(() => parseYYMMDD('010229', { kind: 'birth', today }))).toBe('date/invalid');
    expect(errorCode(() => parseYYMMDD('991301', { kind: 'birth', today }))).toBe('date/invalid');
    expect(errorCode(() => parseYYMMDD('99123', { kind: 'birth', today }))).toBe('date/malformed');
    expect(errorCode(() => parseYYMMDD('9912a1', { kind: 'birth', today }))).toBe('date/malformed');
  });

  it('uses an explicit pivot year in parseDate', () => {
    expect(parseDate('300101', 'yymmdd', { pivotYear: 2030 })).toEqual({ year: 2030, month: 1, day: 1 });
    expect(parseDate('310101', 'yymmdd', { pivotYear: 2030 })).toEqual({ year: 1931, month: 1, day: 1 });
    expect(parseDate('310101', 'yymmdd', { today })).toEqual({ year: 1931, month: 1, day: 1 });
    expect(parseDate('260101', 'yymmdd', { today })).toEqual({ year: 2026, month: 1, day: 1 });
  });
});

describe('safeParseDate', () => {
  it('returns the value or the typed error', () => {
    expect(safeParseDate('01/01/1999')).toEqual({ ok: true, value: { year: 1999, month: 1, day: 1 } });
    const r = safeParseDate('31/02/2000');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('date/invalid');
  });
});

describe('formatDate', () => {
  const full = { year: 1999, month: 1, day: 2 };
  const ym = { year: 1999, month: 1 };
  const y = { year: 1999 };
  it.each<[PartialDate, string, string, string, string]>([
    [full, '02/01/1999', '02011999', '1999-01-02', 'ngày 02 tháng 01 năm 1999'],
    [ym, '01/1999', '00011999', '1999-01', 'tháng 01 năm 1999'],
    [y, '1999', '00001999', '1999', 'năm 1999'],
  ])('%j', (d, dmy, compact, iso, words) => {
    expect(formatDate(d, 'dd/mm/yyyy')).toBe(dmy);
    expect(formatDate(d)).toBe(dmy);
    expect(formatDate(d, 'ddmmyyyy')).toBe(compact);
    expect(formatDate(d, 'yyyy-mm-dd')).toBe(iso);
    expect(formatDate(d, 'words-vi')).toBe(words);
    // every format reads back
    for (const text of [dmy, compact, iso, words]) expect(parseDate(text)).toEqual(d);
  });
  it('refuses an invalid date', () => {
    expect(errorCode(() => formatDate({ year: 1999, month: 2, day: 30 }))).toBe('date/invalid');
  });
});

describe('isValidPartialDate', () => {
  it.each<[PartialDate, boolean]>([
    [{ year: 1999 }, true],
    [{ year: 1999, month: 12 }, true],
    [{ year: 2000, month: 2, day: 29 }, true],
    [{ year: 1900, month: 2, day: 29 }, false],
    [{ year: 1999, day: 1 }, false],
    [{ year: 1999, month: 0 }, false],
    [{ year: 1999, month: 1.5 }, false],
    [{ year: 0 }, false],
    [{ year: Number.NaN }, false],
  ])('%j -> %s', (d, ok) => {
    expect(isValidPartialDate(d)).toBe(ok);
  });
});

describe('comparePartialDates', () => {
  it('orders on the precision both dates have', () => {
    expect(comparePartialDates({ year: 1999 }, { year: 2000 })).toBeLessThan(0);
    expect(comparePartialDates({ year: 2000, month: 1 }, { year: 1999, month: 12 })).toBeGreaterThan(0);
    expect(comparePartialDates({ year: 1999 }, { year: 1999, month: 5, day: 3 })).toBe(0);
    expect(comparePartialDates({ year: 1999, month: 5 }, { year: 1999, month: 5, day: 3 })).toBe(0);
    expect(comparePartialDates({ year: 1999, month: 5, day: 2 }, { year: 1999, month: 5, day: 3 })).toBeLessThan(0);
    expect(comparePartialDates({ year: 1999, month: 6 }, { year: 1999, month: 5, day: 3 })).toBeGreaterThan(0);
  });
});

describe('ageOn', () => {
  it('counts whole years, birthday included', () => {
    const dob = { year: 2000, month: 11, day: 29 };
    expect(ageOn(dob, { year: 2026, month: 11, day: 29 })).toBe(26);
    expect(ageOn(dob, { year: 2026, month: 11, day: 28 })).toBe(25);
    expect(ageOn(dob, today)).toBe(26);
  });
  it('handles 29 February', () => {
    const dob = { year: 2000, month: 2, day: 29 };
    expect(ageOn(dob, { year: 2023, month: 2, day: 28 })).toBe(22);
    expect(ageOn(dob, { year: 2023, month: 3, day: 1 })).toBe(23);
    expect(ageOn(dob, { year: 2024, month: 2, day: 29 })).toBe(24);
  });
  it('returns the smallest certain age for partial dates', () => {
    expect(ageOn({ year: 2000 }, { year: 2026, month: 12, day: 30 })).toBe(25);
    expect(ageOn({ year: 2000 }, { year: 2026, month: 12, day: 31 })).toBe(26);
    expect(ageOn({ year: 2000, month: 6 }, { year: 2026, month: 6, day: 30 })).toBe(26);
    expect(ageOn({ year: 2000, month: 6 }, { year: 2026, month: 6, day: 29 })).toBe(25);
    expect(ageOn({ year: 2000, month: 1, day: 1 }, { year: 2026 })).toBe(26);
  });
  it('is negative before birth and refuses invalid dates', () => {
    expect(ageOn({ year: 2030, month: 1, day: 1 }, today)).toBe(-4);
    expect(errorCode(() => ageOn({ year: 2000, month: 2, day: 30 }, today))).toBe('date/invalid');
  });
});

describe('toPartialDate', () => {
  it('reads the calendar date in Vietnam (UTC+7)', () => {
    expect(toPartialDate(new Date('2026-11-29T16:59:59Z'))).toEqual({ year: 2026, month: 11, day: 29 });
    expect(toPartialDate(new Date('2026-11-29T17:00:00Z'))).toEqual({ year: 2026, month: 11, day: 30 });
    expect(() => toPartialDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});
