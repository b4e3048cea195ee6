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
const TONE_MARKS: ReadonlySet<number> = new Set([0x0300, 0x0301, 0x0303, 0x0309, 0x0323]);
const VOWELS = 'aăâeêioôơuưy';
// Vowels that carry a shape modifier (breve, circumflex, horn): the tone goes on them.
const MODIFIED_VOWELS = 'ăâêôơư';
const NEW_STYLE_SECOND = new Set(['oa', 'oe', 'uy']);

// Characters that are never meaningful in a name or address: zero-width space/joiners,
// word joiner, soft hyphen, BOM.
const INVISIBLE = /[\u200B-\u200D\u2060\u00AD\uFEFF]/g;
const WHITESPACE = /\s+/g;
// Runs of Latin letters (with Vietnamese precomposed letters) and combining marks: the unit
// on which tone marks are placed. Other scripts never carry Vietnamese tones and are skipped.
// biome-ignore lint/suspicious/noMisleadingCharacterClass: combining marks are matched one by one on purpose (NFD input).
const WORD = /[A-Za-z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u036F]+/g;
const NON_ASCII = /[^\x00-\x7F]/;

function isVowel(c: string | undefined): boolean {
  return c !== undefined && c !== '' && VOWELS.includes(c);
}

/**
 * Index (in `lower`, lower-case NFC text without tone mark, indexed by UTF-16 unit: every
 * Vietnamese letter is one unit) of the vowel that carries the tone mark, or -1 when the
 * word is not one Vietnamese syllable.
 */
function toneIndex(lower: string, style: ToneStyle): number {
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
  if (style === 'new' && NEW_STYLE_SECOND.has(lower.slice(s, s + 2))) return s + 1;
  return s;
}

function placeTone(word: string, style: ToneStyle): string {
  const nfd = word.normalize('NFD');
  let tone = -1;
  let count = 0;
  let base = '';
  let from = 0;
  for (let i = 0; i < nfd.length; i++) {
    const c = nfd.charCodeAt(i);
    if (c >= 0x0300 && c <= 0x0323 && TONE_MARKS.has(c)) {
      tone = c;
      count++;
      base += nfd.slice(from, i);
      from = i + 1;
    }
  }
  if (count !== 1) return word;
  base += nfd.slice(from);
  const composed = base.normalize('NFC');
  const lower = composed.toLowerCase();
  if (lower.length !== composed.length) return word;
  const idx = toneIndex(lower, style);
  if (idx < 0) return word;
  const marked = `${composed[idx]}${String.fromCharCode(tone)}`.normalize('NFC');
  return `${composed.slice(0, idx)}${marked}${composed.slice(idx + 1)}`;
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
