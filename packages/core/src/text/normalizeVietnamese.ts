/**
 * Where the tone mark sits in the open syllables `oa`, `oe`, `uy` (the only place the two
 * Vietnamese spelling conventions disagree):
 * - `'old'` (kiểu cũ, default): on the first vowel — `hòa`, `khỏe`, `thúy`. This is what the
 *   cards, the population database and most government documents print (`Thanh Hóa`,
 *   `Khánh Hòa`), so it is the canonical form of the SDK.
 * - `'new'` (kiểu mới): on the second vowel — `hoà`, `khoẻ`, `thuý`.
 */
export type ToneStyle = 'old' | 'new';

/** Options of {@link normalizeVietnamese}. */
export interface NormalizeVietnameseOptions {
  /**
   * Tone-mark placement to produce for `oa`, `oe`, `uy` open syllables.
   * @default 'old'
   */
  toneStyle?: ToneStyle;
}

// Combining tone marks (huyền, sắc, ngã, hỏi, nặng) as they appear after NFD.
const TONE_MARKS = '\u0300\u0301\u0303\u0309\u0323';
const VOWELS = 'aăâeêioôơuưy';
// Vowels that carry a shape modifier (breve, circumflex, horn): the tone goes on them.
const MODIFIED_VOWELS = 'ăâêôơư';
const NEW_STYLE_SECOND = new Set(['oa', 'oe', 'uy']);

// Characters that are never meaningful in a name or address: zero-width space/joiners,
// word joiner, soft hyphen, BOM.
const INVISIBLE = /[\u200B-\u200D\u2060\u00AD\uFEFF]/g;
const WHITESPACE = /\s+/g;
// Letter runs (letters plus combining marks), the unit on which tone marks are placed.
const WORD = /[\p{L}\p{M}]+/gu;
const NON_ASCII = /[^\x00-\x7F]/;

function isVowel(c: string | undefined): boolean {
  return c !== undefined && c.length === 1 && VOWELS.includes(c);
}

/**
 * Index (in `lower`, an array of lower-case NFC characters without tone mark) of the vowel
 * that carries the tone mark, or -1 when the word is not one Vietnamese syllable.
 */
function toneIndex(lower: readonly string[], style: ToneStyle): number {
  const n = lower.length;
  let start = 0;
  // `qu` and `gi` followed by a vowel are onsets: their u / i never carry the tone (quý, giá).
  if ((lower[0] === 'q' && lower[1] === 'u') || (lower[0] === 'g' && lower[1] === 'i')) {
    if (isVowel(lower[2])) start = 2;
  }
  let s = start;
  while (s < n && !isVowel(lower[s])) s++;
  if (s === n) return -1;
  let e = s;
  while (e < n && isVowel(lower[e])) e++;
  for (let k = e; k < n; k++) if (isVowel(lower[k])) return -1; // two vowel groups: not one syllable
  const len = e - s;
  if (len > 3) return -1;
  for (let k = e - 1; k >= s; k--) if (MODIFIED_VOWELS.includes(lower[k] ?? '')) return k;
  const hasCoda = e < n;
  if (hasCoda) return e - 1;
  if (len === 1) return s;
  if (len === 3) return s + 1;
  if (style === 'new' && NEW_STYLE_SECOND.has(`${lower[s]}${lower[s + 1]}`)) return s + 1;
  return s;
}

function placeTone(word: string, style: ToneStyle): string {
  const nfd = word.normalize('NFD');
  let tone = '';
  let count = 0;
  let base = '';
  for (const ch of nfd) {
    if (TONE_MARKS.includes(ch)) {
      tone = ch;
      count++;
    } else {
      base += ch;
    }
  }
  if (count !== 1) return word;
  const chars = [...base.normalize('NFC')];
  const idx = toneIndex(
    chars.map((c) => c.toLowerCase()),
    style,
  );
  const target = chars[idx];
  if (target === undefined) return word;
  chars[idx] = `${target}${tone}`.normalize('NFC');
  return chars.join('');
}

/**
 * Canonical form of Vietnamese text, so that the same words read from two sources compare
 * equal: Unicode NFC, invisible characters removed, whitespace trimmed and collapsed to one
 * space, the look-alike `Ð` (U+00D0) mapped to `Đ` (U+0110), and the tone mark of each
 * syllable moved to its standard vowel (by default the traditional placement: `hoà` → `hòa`,
 * `thuý` → `thúy`, `khoẻ` → `khỏe`; misplaced marks from OCR such as `hòang` → `hoàng` are
 * fixed too). Case is kept.
 *
 * @param s - Any text.
 * @param options - {@link NormalizeVietnameseOptions}.
 * @returns The normalised text.
 * @example normalizeVietnamese('  NGUYỄN   THỊ  THUÝ ') // 'NGUYỄN THỊ THÚY'
 */
export function normalizeVietnamese(s: string, options: NormalizeVietnameseOptions = {}): string {
  const style = options.toneStyle ?? 'old';
  const collapsed = s.replace(INVISIBLE, '').replace(WHITESPACE, ' ').trim();
  if (!NON_ASCII.test(collapsed)) return collapsed;
  const nfc = collapsed.normalize('NFC').replace(/\u00D0/g, '\u0110');
  return nfc.replace(WORD, (w) => (NON_ASCII.test(w) ? placeTone(w, style) : w));
}
