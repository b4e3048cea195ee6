import { describe, expect, it } from 'vitest';
import { formatSex, parseSex } from './sex.js';

describe('parseSex', () => {
  it.each([
    ['Nam', 'M'],
    ['NAM', 'M'],
    ['nam', 'M'],
    ['M', 'M'],
    ['m', 'M'],
    ['Male', 'M'],
    ['MALE', 'M'],
    [' Nam. ', 'M'],
    ['Giới tính: Nam', 'M'],
    ['Nữ', 'F'],
    ['NỮ', 'F'],
    ['nữ', 'F'],
    ['Nu', 'F'],
    ['NU', 'F'],
    ['Nư', 'F'],
    ['Nữ'.normalize('NFD'), 'F'],
    ['F', 'F'],
    ['Female', 'F'],
    ['female', 'F'],
    ['Giới tính: Nữ', 'F'],
    ['GIOI TINH: NU', 'F'],
  ] as const)('%j -> %s', (text, sex) => {
    expect(parseSex(text)).toBe(sex);
  });

  it.each(['', 'X', '<', 'Nam Nữ', 'Khác', 'Không', 'nammm', 'Fe male', 'x'.repeat(100)])(
    'returns undefined for %j',
    (text) => {
      expect(parseSex(text)).toBeUndefined();
    },
  );
});

describe('formatSex', () => {
  it('writes each style', () => {
    expect(formatSex('M')).toBe('Nam');
    expect(formatSex('F', 'vi')).toBe('Nữ');
    expect(formatSex('M', 'en')).toBe('Male');
    expect(formatSex('F', 'en')).toBe('Female');
    expect(formatSex('F', 'mrz')).toBe('F');
    expect(() => formatSex('X' as 'M')).toThrow(RangeError);
  });
  it('round-trips through parseSex', () => {
    for (const s of ['M', 'F'] as const)
      for (const st of ['vi', 'en', 'mrz'] as const) expect(parseSex(formatSex(s, st))).toBe(s);
  });
});
