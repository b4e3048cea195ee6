import { describe, expect, it } from 'vitest';
import { PlaceMatcher } from './PlaceMatcher.js';
import { isVietnameseSyllable } from './syllables.js';

describe('isVietnameseSyllable', () => {
  it('accepts syllables with every onset shape, vowel group, final and tone', () => {
    for (const w of [
      'Nghệ',
      'nguyễn',
      'GIANG',
      'gì',
      'Quyết',
      'khuya',
      'Trường',
      'Thủy',
      'Phường',
      'Đồng',
      'uyên',
      'ấp',
      'Văn',
      'Boòng',
      'oanh',
    ])
      expect(isVietnameseSyllable(w), w).toBe(true);
  });

  it('refuses what OCR invents: two toned vowels, a vowel group no word has, digits, punctuation', () => {
    for (const w of ['Vĩăn', 'Sáú', '0cng', 'Q2', '2831<', 'Huyẹen', 'Xn', 'aeiou', ''])
      expect(isVietnameseSyllable(w), w).toBe(false);
  });

  it('takes only the acute or the dot below on a syllable stopped by p, t, c or ch', () => {
    expect(isVietnameseSyllable('Việt')).toBe(true);
    expect(isVietnameseSyllable('Bắc')).toBe(true);
    expect(isVietnameseSyllable('Viềt')).toBe(false);
    expect(isVietnameseSyllable('Bảc')).toBe(false);
  });

  it("accepts at least 98 % of the syllables of the real units' names (the rest: minority words such as Ea, Krông)", async () => {
    const places = await PlaceMatcher.create();
    let all = 0;
    let ok = 0;
    for (const [w, n] of places.syllables) {
      all += n;
      if (isVietnameseSyllable(w)) ok += n;
    }
    expect(ok / all).toBeGreaterThan(0.98);
    expect(isVietnameseSyllable('Krông')).toBe(false);
  });
});
