import type { RecognizedChar } from '../ocr/ctcDecode.js';

/** The five tone marks in NFD: grave, hook above, tilde, acute, dot below. */
const TONE_MARK = /[\u0300\u0309\u0303\u0301\u0323]/gu;
const withoutTone = (c: string): string => c.normalize('NFD').replace(TONE_MARK, '').normalize('NFC').toLowerCase();
const hasTone = (c: string): boolean => c.normalize('NFD').search(TONE_MARK) >= 0;

/**
 * One vowel the CTC decoder emitted twice: two letters side by side that are the same vowel once
 * their tones are set aside (hats, breves and horns count: `Ê` and `Ệ`, `ạ` and `a`, `ỹ` and `ỷ`),
 * at least one of them toned. Vietnamese writes one tone per syllable and never doubles these
 * vowels — except `o`, which minority names and loanwords double (`Ia Boòng`, `Noọng Hẹt`), so
 * `oo` is left alone. The untoned letter of the pair is dropped, or, both toned, the less sure.
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
    const base = withoutTone(a.char);
    if (base !== withoutTone(b.char) || !/^[aăâeêiôơuưy]$/u.test(base)) continue;
    const ta = hasTone(a.char);
    const tb = hasTone(b.char);
    if (!ta && !tb) continue;
    const drop = ta && tb ? (a.confidence >= b.confidence ? i + 1 : i) : ta ? i + 1 : i;
    return { chars: chars.filter((_, k) => k !== drop), dropped: chars[drop] as RecognizedChar };
  }
  return undefined;
}
