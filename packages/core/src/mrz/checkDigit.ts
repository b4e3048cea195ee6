/** The ICAO 9303 MRZ alphabet: digits, upper-case Latin letters and the filler `<`. */
export const MRZ_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<';

const WEIGHTS = [7, 3, 1] as const;

/**
 * Value of one MRZ character in a check-digit computation: digits are themselves, `A`–`Z` are
 * 10–35, `<` is 0 (ICAO 9303 part 3, 4.9). Other characters have no value.
 *
 * @param ch - One character.
 * @returns Its value, or `undefined` when it is not in the MRZ alphabet.
 */
export function mrzCharValue(ch: string): number | undefined {
  const c = ch.charCodeAt(0);
  if (ch.length !== 1) return undefined;
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c === 60) return 0;
  return undefined;
}

/**
 * ICAO 9303 check digit: the sum of the character values weighted 7, 3, 1, 7, 3, 1, … modulo 10.
 *
 * @param data - MRZ characters.
 * @returns The check digit 0–9, or `undefined` when `data` holds a character outside the MRZ alphabet.
 * @example mrzCheckDigit('930105') // 4
 */
export function mrzCheckDigit(data: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = mrzCharValue(data.charAt(i));
    if (v === undefined) return undefined;
    sum += v * (WEIGHTS[i % 3] as number);
  }
  return sum % 10;
}
