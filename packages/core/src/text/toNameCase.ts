import { normalizeVietnamese } from './normalizeVietnamese.js';

// A letter that starts a word: at the start, or after a space, hyphen, apostrophe or bracket.
const WORD_START = /(^|[\s\-'’(./])(\p{L})/gu;

/**
 * Title-case a name printed in upper case, keeping its diacritics:
 * `NGUYỄN VĂN AN` → `Nguyễn Văn An`, `ĐẶNG  THỊ THUÝ` → `Đặng Thị Thúy`. The text is
 * normalised first ({@link normalizeVietnamese}), so spacing and tone placement are canonical.
 *
 * @param s - A name in any case.
 * @returns The name with each word capitalised.
 */
export function toNameCase(s: string): string {
  return normalizeVietnamese(s)
    .toLowerCase()
    .replace(WORD_START, (_m, sep: string, letter: string) => `${sep}${letter.toUpperCase()}`);
}

/**
 * Upper-case Vietnamese text as the cards print it (`Nguyễn Văn An` → `NGUYỄN VĂN AN`),
 * after {@link normalizeVietnamese}.
 *
 * @param s - Any text.
 * @returns The normalised text in upper case.
 */
export function toUpperVietnamese(s: string): string {
  return normalizeVietnamese(s).toUpperCase();
}
