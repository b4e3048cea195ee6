import { describe, expect, it } from 'vitest';
import { itMapsEach } from '../testing/textCases.js';
import { equalsVietnamese, foldDiacritics, foldForCompare } from './foldDiacritics.js';

describe('foldDiacritics', () => {
  itMapsEach(foldDiacritics, [
    ['Đặng Thị Ngọc Hân', 'Dang Thi Ngoc Han'],
    ['ĐOÀN ƯỚC ƠN', 'DOAN UOC ON'],
    ['đường Lê Lợi', 'duong Le Loi'],
    ['ăâêôơư ĂÂÊÔƠƯ', 'aaeoou AAEOOU'],
    ['àáảãạ ằắẳẵặ ầấẩẫậ', 'aaaaa aaaaa aaaaa'],
    ['ỳýỷỹỵ', 'yyyyy'],
    ['plain ASCII 123', 'plain ASCII 123'],
  ]);

  it('folds every precomposed Vietnamese letter to ASCII', () => {
    const letters = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ';
    for (const ch of letters) {
      for (const c of [ch, ch.toUpperCase()]) expect(foldDiacritics(c)).toMatch(/^[A-Za-z]$/);
    }
  });
});

describe('foldForCompare', () => {
  it('normalises spacing, removes diacritics, lower-cases', () => {
    expect(foldForCompare('  NGUYỄN   Văn\tAn ')).toBe('nguyen van an');
    expect(foldForCompare('Đ')).toBe('d');
  });
});

describe('equalsVietnamese', () => {
  it('ignores case and tone placement by default but not diacritics', () => {
    expect(equalsVietnamese('NGUYỄN THỊ THUÝ', 'Nguyễn Thị Thúy')).toBe(true);
    expect(equalsVietnamese('Hoà', 'hòa')).toBe(true);
    expect(equalsVietnamese('Nguyen', 'Nguyễn')).toBe(false);
    expect(equalsVietnamese('Lê', 'Lễ')).toBe(false);
  });
  it('ignores diacritics on request', () => {
    expect(equalsVietnamese('NGUYEN VAN AN', 'Nguyễn Văn Ân', { ignoreDiacritics: true })).toBe(true);
    expect(equalsVietnamese('DANG', 'Đặng', { ignoreDiacritics: true })).toBe(true);
    expect(equalsVietnamese('Dang', 'Dung', { ignoreDiacritics: true })).toBe(false);
  });
  it('respects case on request', () => {
    expect(equalsVietnamese('NGUYỄN', 'Nguyễn', { ignoreCase: false })).toBe(false);
    expect(equalsVietnamese('Nguyễn ', ' Nguyễn', { ignoreCase: false })).toBe(true);
    expect(equalsVietnamese('Nguyen', 'Nguyễn', { ignoreCase: false, ignoreDiacritics: true })).toBe(true);
    expect(equalsVietnamese('nguyen', 'Nguyễn', { ignoreCase: false, ignoreDiacritics: true })).toBe(false);
  });
});
