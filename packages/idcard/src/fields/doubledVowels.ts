import { foldDiacritics } from '@smart-citizen/core';
import type { RecognizedChar } from '../ocr/ctcDecode.js';

/**
 * The five tone marks in NFD (grave, hook above, tilde, acute, dot below), as a regular-expression
 * character class for the name reader.
 *
 * @internal
 */
export const TONE_MARK_CLASS = '[\u0300\u0309\u0303\u0301\u0323]';
const TONE_MARK = new RegExp(TONE_MARK_CLASS, 'gu');
const withoutTone = (c: string): string => c.normalize('NFD').replace(TONE_MARK, '').normalize('NFC').toLowerCase();
const hasTone = (c: string): boolean => c.normalize('NFD').search(TONE_MARK) >= 0;
/** The plain Latin letter under every mark (`Ấ` → `a`; `Đ` → `d`). */
const letter = (c: string): string => foldDiacritics(c).toLowerCase();

/**
 * One vowel the CTC decoder emitted twice: two letters side by side that are the same vowel once
 * their marks are set aside, both toned (`CẢẤNH`, `Mỹỷ`: Vietnamese writes one tone per
 * syllable), or the same vowel once their tones alone are set aside, one toned (`LÊỆ`, `Phạam`:
 * no word doubles these vowels) — except `o`, which minority names and loanwords double (`Ia
 * Boòng`, `Noọng Hẹt`). The untoned letter of the pair is dropped, or, both toned, the less sure.
 *
 * @internal
 * @returns The characters without the extra letter and the dropped one, or `undefined` when
 *   there is no such pair.
 */
export function dropDoubledVowel(
  chars: readonly RecognizedChar[],
): { chars: RecognizedChar[]; dropped: RecognizedChar } | undefined {
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i] as RecognizedChar;
    const b = chars[i + 1] as RecognizedChar;
    const ta = hasTone(a.char);
    const tb = hasTone(b.char);
    const bothToned = ta && tb && /^[aeiouy]$/u.test(letter(a.char)) && letter(a.char) === letter(b.char);
    const base = withoutTone(a.char);
    const oneToned = ta !== tb && base === withoutTone(b.char) && /^[aăâeêiôơuưy]$/u.test(base);
    if (!bothToned && !oneToned) continue;
    const drop = bothToned ? (a.confidence >= b.confidence ? i + 1 : i) : ta ? i + 1 : i;
    return { chars: chars.filter((_, k) => k !== drop), dropped: chars[drop] as RecognizedChar };
  }
  return undefined;
}
