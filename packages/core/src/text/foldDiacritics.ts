import { normalizeVietnamese } from './normalizeVietnamese.js';

const COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
const INVISIBLE = /[\u200B-\u200D\u2060\u00AD\uFEFF]/g;
const WHITESPACE = /\s+/g;

/**
 * Remove every diacritic: tone marks and vowel shapes (`ế` → `e`, `ư` → `u`), and `đ`/`Đ`
 * → `d`/`D` (which Unicode does not decompose). Whitespace and case are kept.
 *
 * @param s - Any text.
 * @returns The text without diacritics.
 * @example foldDiacritics('Đặng Thị Ngọc Hân') // 'Dang Thi Ngoc Han'
 */
export function foldDiacritics(s: string): string {
  return s.normalize('NFD').replace(COMBINING, '').replace(/[đð]/g, 'd').replace(/[ĐÐ]/g, 'D');
}

/**
 * The comparison key of Vietnamese text: whitespace normalised, diacritics removed, lower
 * case. Two strings with the same key differ only in diacritics, case or spacing.
 *
 * @param s - Any text.
 * @returns The folded, lower-case key.
 * @example foldForCompare(' NGUYỄN  Văn An') // 'nguyen van an'
 */
export function foldForCompare(s: string): string {
  return foldDiacritics(s.replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim()).toLowerCase();
}

/** Options of {@link equalsVietnamese}. */
export interface EqualsVietnameseOptions {
  /**
   * Compare without diacritics (`Nguyen` equals `Nguyễn`), e.g. against an MRZ.
   * @default false
   */
  ignoreDiacritics?: boolean;
  /**
   * Compare without case (`NGUYỄN` equals `Nguyễn`): cards print names in upper case.
   * @default true
   */
  ignoreCase?: boolean;
}

/**
 * Whether two Vietnamese strings say the same thing, after {@link normalizeVietnamese}
 * (so `Hoà` equals `Hòa` and spacing does not matter).
 *
 * @param a - First text.
 * @param b - Second text.
 * @param options - {@link EqualsVietnameseOptions}.
 * @returns True when equal under the chosen folding.
 */
export function equalsVietnamese(a: string, b: string, options: EqualsVietnameseOptions = {}): boolean {
  if (options.ignoreDiacritics) {
    if (options.ignoreCase === false) {
      return foldDiacritics(normalizeVietnamese(a)) === foldDiacritics(normalizeVietnamese(b));
    }
    return foldForCompare(a) === foldForCompare(b);
  }
  const na = normalizeVietnamese(a);
  const nb = normalizeVietnamese(b);
  return options.ignoreCase === false ? na === nb : na.toLowerCase() === nb.toLowerCase();
}
