import { TONE_MARK_CLASS } from './doubledVowels.js';

const TONE_MARKS = new RegExp(TONE_MARK_CLASS, 'gu');

/** Initial consonants (the longest first, so `ngh` is tried before `ng` and `n`). */
const ONSET = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)';
/** Rhymes with no final consonant. */
const OPEN =
  'a|e|ê|i|o|ô|ơ|u|ư|y|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oa|oe|oi|ôi|ơi|ua|uê|ui|uơ|ưa|ưi|ưu|uy|' +
  'iêu|yêu|oai|oao|oay|oeo|uây|uôi|ươi|ươu|uya|uyu';
/** Vowels a final consonant may follow. */
const CLOSED_NUCLEUS = 'a|ă|â|e|ê|i|o|ô|ơ|u|ư|y|iê|yê|uô|ươ|oa|oă|uâ|oe|uê|uy|uyê|oo';
const CODA = '(?:ch|ng|nh|c|m|n|p|t)';
const SYLLABLE = new RegExp(`^${ONSET}?(?:${OPEN}|(?:${CLOSED_NUCLEUS})${CODA})$`, 'u');
/** `gi` before no other vowel (`gì`, `gìn`): the `i` is the vowel. */
const GI = new RegExp(`^gi${CODA}?$`, 'u');

/**
 * Whether a word is spelled as a Vietnamese syllable: an initial consonant (or none), a vowel group
 * Vietnamese writes, a final consonant (or none) and at most one tone mark, which a syllable ending
 * in p, t, c or ch can only be the acute or the dot below. Case and Unicode form do not matter.
 * Lenient (it accepts some rhymes the language does not use) but it refuses what OCR invents:
 * two vowels with marks side by side (`Vĩăn`), digits among letters (`0cng`), stray punctuation.
 *
 * @internal
 */
export function isVietnameseSyllable(word: string): boolean {
  const nfd = word.normalize('NFD').toLowerCase();
  const tones = nfd.match(TONE_MARKS) ?? [];
  if (tones.length > 1) return false;
  const plain = nfd.replace(TONE_MARKS, '').normalize('NFC');
  if (!SYLLABLE.test(plain) && !GI.test(plain)) return false;
  // a stopped syllable takes the rising (acute) or the heavy (dot below) tone only
  if (/(?:p|t|c|ch)$/u.test(plain) && tones.length === 1 && !/[\u0301\u0323]/u.test(tones[0] as string)) return false;
  return true;
}
