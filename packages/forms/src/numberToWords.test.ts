import { describe, expect, it } from 'vitest';
import { numberToVietnameseWords } from './numberToWords.js';

describe('numberToVietnameseWords', () => {
  it('reads amounts the way forms write them', () => {
    expect(numberToVietnameseWords(0)).toBe('không');
    expect(numberToVietnameseWords(15)).toBe('mười lăm');
    expect(numberToVietnameseWords(21)).toBe('hai mươi mốt');
    expect(numberToVietnameseWords(24)).toBe('hai mươi tư');
    expect(numberToVietnameseWords(105)).toBe('một trăm linh năm');
    expect(numberToVietnameseWords(1_005_000)).toBe('một triệu không trăm linh năm nghìn');
    expect(numberToVietnameseWords(100_000_000)).toBe('một trăm triệu');
    expect(numberToVietnameseWords(2_500_000_000)).toBe('hai tỷ năm trăm triệu');
  });

  it('refuses negative, fractional and unsafe numbers', () => {
    expect(() => numberToVietnameseWords(-1)).toThrow(RangeError);
    expect(() => numberToVietnameseWords(1.5)).toThrow(RangeError);
    expect(() => numberToVietnameseWords(2 ** 60)).toThrow(RangeError);
  });
});
