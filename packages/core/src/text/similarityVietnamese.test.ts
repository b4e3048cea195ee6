import { describe, expect, it } from 'vitest';
import { isSmartCitizenError } from '../errors/SmartCitizenError.js';
import { levenshtein, similarityVietnamese } from './similarityVietnamese.js';

const cp = (s: string) => [...s].map((c) => c.codePointAt(0) ?? 0);

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['nguyen', 'nguyen', 0],
  ])('%s / %s = %i', (a, b, d) => {
    expect(levenshtein(cp(a), cp(b))).toBe(d);
    expect(levenshtein(cp(b), cp(a))).toBe(d);
  });
});

describe('similarityVietnamese', () => {
  it('is 1 for the same name in different case, spacing and diacritics', () => {
    expect(similarityVietnamese('NGUYEN VAN AN', 'Nguyễn  Văn Ân')).toBe(1);
    expect(similarityVietnamese('', '')).toBe(1);
  });
  it('drops with each OCR error', () => {
    const one = similarityVietnamese('NGUYEN VAN AN', 'NGUYEN VAN AM');
    const two = similarityVietnamese('NGUYEN VAN AN', 'NGUVEN VAN AM');
    expect(one).toBeCloseTo(1 - 1 / 13, 10);
    expect(two).toBeCloseTo(1 - 2 / 13, 10);
    expect(similarityVietnamese('abc', 'xyz')).toBe(0);
    expect(similarityVietnamese('abc', '')).toBe(0);
  });
  it('refuses texts too long to compare in reasonable time', () => {
    const long = 'a'.repeat(5000);
    try {
      similarityVietnamese(long, 'a');
      expect.unreachable();
    } catch (err) {
      expect(isSmartCitizenError(err, 'text/too-long')).toBe(true);
    }
  });
});
