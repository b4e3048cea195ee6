import { describe, expect, it } from 'vitest';
import { equalsVietnamese, parseDate, parseSex, toNameCase, validateIdNumber } from '../index.js';

// The example of the README's "Identity and rules" section, kept compiling and true.
describe('README example', () => {
  it('works as documented', () => {
    const dob = parseDate('04/03/1999');
    expect(dob).toEqual({ year: 1999, month: 3, day: 4 });
    const { parts, issues } = validateIdNumber('001 199 012345', { dateOfBirth: dob, sex: parseSex('Nữ') });
    expect(parts?.provinceName).toBe('Hà Nội');
    expect(parts?.birthYearFromNumber).toBe(1999);
    expect(issues).toEqual([]);
    expect(toNameCase('ĐẶNG THỊ THUÝ')).toBe('Đặng Thị Thúy');
    expect(equalsVietnamese('NGUYEN VAN AN', 'Nguyễn Văn Ân', { ignoreDiacritics: true })).toBe(true);
  });
});
