import { describe, expect, it } from 'vitest';
import { itMapsEach } from '../testing/textCases.js';
import { normalizeVietnamese } from './normalizeVietnamese.js';

describe('normalizeVietnamese', () => {
  itMapsEach(normalizeVietnamese, [
    // old/new tone-mark placement variants collapse to the traditional (old) form
    ['hoà', 'hòa'],
    ['Hoà', 'Hòa'],
    ['HOÀ', 'HÒA'],
    ['thuý', 'thúy'],
    ['Thuỷ', 'Thủy'],
    ['khoẻ', 'khỏe'],
    ['Khánh Hoà', 'Khánh Hòa'],
    ['Thanh Hoá', 'Thanh Hóa'],
    ['Hoè', 'Hòe'],
    ['loã', 'lõa'],
    ['Thuỵ', 'Thụy'],
    // already canonical stays as is
    ['hòa', 'hòa'],
    ['thúy', 'thúy'],
    // closed syllables: the mark is on the last vowel in both conventions; misplaced OCR fixed
    ['hoàng', 'hoàng'],
    ['hòang', 'hoàng'],
    ['tóan', 'toán'],
    ['Hùynh', 'Huỳnh'],
    // shaped vowels carry the mark
    ['Nguyễn', 'Nguyễn'],
    ['Nguyêñ', 'Nguyễn'],
    ['người', 'người'],
    ['ngừơi', 'người'],
    ['Trường', 'Trường'],
    ['hoặc', 'hoặc'],
    ['tuần', 'tuần'],
    ['cửa', 'cửa'],
    ['cứu', 'cứu'],
    ['quyết', 'quyết'],
    // qu- and gi- onsets
    ['quý', 'quý'],
    ['Quỳnh', 'Quỳnh'],
    ['quà', 'quà'],
    ['giá', 'giá'],
    ['giữ gìn', 'giữ gìn'],
    ['giường', 'giường'],
    // three-vowel open syllables: middle vowel
    ['ngoài', 'ngoài'],
    ['Thoại', 'Thoại'],
    ['xoáy', 'xoáy'],
    ['khuỷu', 'khuỷu'],
    // two-vowel open syllables other than oa/oe/uy: first vowel
    ['mái', 'mái'],
    ['mùa', 'mùa'],
    ['mía', 'mía'],
    ['Đào', 'Đào'],
    // non-Vietnamese words with one mark are left alone
    ['café', 'café'],
    ['José', 'José'],
  ]);

  it('produces the new style on request', () => {
    expect(normalizeVietnamese('Hòa Thúy Khỏe', { toneStyle: 'new' })).toBe('Hoà Thuý Khoẻ');
    expect(normalizeVietnamese('Hoàng quý', { toneStyle: 'new' })).toBe('Hoàng quý');
  });

  it('composes decomposed (NFD) input to NFC', () => {
    const nfd = 'Nguyễn Văn Ánh'.normalize('NFD');
    expect(nfd).not.toBe('Nguyễn Văn Ánh');
    expect(normalizeVietnamese(nfd)).toBe('Nguyễn Văn Ánh'.normalize('NFC'));
  });

  it('trims, collapses every kind of whitespace and drops invisible characters', () => {
    expect(normalizeVietnamese('  NGUYỄN \t\n VĂN\u00a0\u00a0AN\u200b ')).toBe('NGUYỄN VĂN AN');
    expect(normalizeVietnamese('\ufeffHà\u00adNội')).toBe('HàNội');
    expect(normalizeVietnamese('')).toBe('');
    expect(normalizeVietnamese('   ')).toBe('');
  });

  it('maps the look-alike Ð (U+00D0) to Đ (U+0110)', () => {
    expect(normalizeVietnamese('\u00D0ặng')).toBe('\u0110ặng');
  });

  it('is idempotent and keeps case and punctuation', () => {
    for (const s of ['Số 12, ngõ 3, phường Hoà Bình', 'TP. Hồ Chí Minh', 'abc-DEF 123', 'ĐOÀN THỊ THUÝ']) {
      const once = normalizeVietnamese(s);
      expect(normalizeVietnamese(once)).toBe(once);
    }
    expect(normalizeVietnamese('Số 12, ngõ 3, phường Hoà Bình')).toBe('Số 12, ngõ 3, phường Hòa Bình');
  });
});
