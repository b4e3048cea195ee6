import { describe, expect, it } from 'vitest';
import { itMapsEach } from '../testing/textCases.js';
import { toNameCase, toUpperVietnamese } from './toNameCase.js';

describe('toNameCase', () => {
  itMapsEach(toNameCase, [
    ['NGUYỄN VĂN AN', 'Nguyễn Văn An'],
    ['ĐẶNG THỊ ĐÀO', 'Đặng Thị Đào'],
    ['TRƯƠNG  ƯỚC   ƠN', 'Trương Ước Ơn'],
    ['  ĐOÀN THỊ THUÝ  ', 'Đoàn Thị Thúy'],
    ['lê hoàng ânh', 'Lê Hoàng Ânh'],
    ['H’HEN NIÊ', 'H’Hen Niê'],
    ['KSOR Y-NGÔN', 'Ksor Y-Ngôn'],
    ['ÔNG ÍCH KHIÊM', 'Ông Ích Khiêm'],
    ['', ''],
  ]);
});

describe('toUpperVietnamese', () => {
  it('upper-cases with diacritics', () => {
    expect(toUpperVietnamese('Nguyễn Văn An')).toBe('NGUYỄN VĂN AN');
    expect(toUpperVietnamese('đặng thị thuý')).toBe('ĐẶNG THỊ THÚY');
    expect(toUpperVietnamese('ước ơn')).toBe('ƯỚC ƠN');
  });
  it('round-trips with toNameCase', () => {
    for (const name of ['Nguyễn Văn An', 'Đặng Thị Thúy', 'Trương Ước Ơn']) {
      expect(toNameCase(toUpperVietnamese(name))).toBe(name);
    }
  });
});
