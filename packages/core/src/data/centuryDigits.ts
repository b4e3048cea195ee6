import type { Sex } from '../identity/CitizenIdentity.js';

/**
 * The fourth digit of the 12-digit personal identification number encodes the century of
 * birth and the sex (mã thế kỷ và mã giới tính): even = male, odd = female, two digits per
 * century from the 20th to the 24th.
 *
 * Source: Thông tư 07/2016/TT-BCA art. 7 (amended by Thông tư 06/2021/TT-BCA), carried on
 * unchanged by Thông tư 59/2021/TT-BCA art. 7; the six-digit split of the number (century+sex
 * digit, two birth-year digits, six random digits) is Nghị định 137/2015/NĐ-CP art. 7.
 */
export interface CenturyDigit {
  digit: number;
  /** First year of the century, e.g. 1900 for 1900–1999. */
  century: number;
  sex: Sex;
}

/** Indexed by the digit itself (0–9). */
export const centuryDigits: readonly CenturyDigit[] = [
  { digit: 0, century: 1900, sex: 'M' },
  { digit: 1, century: 1900, sex: 'F' },
  { digit: 2, century: 2000, sex: 'M' },
  { digit: 3, century: 2000, sex: 'F' },
  { digit: 4, century: 2100, sex: 'M' },
  { digit: 5, century: 2100, sex: 'F' },
  { digit: 6, century: 2200, sex: 'M' },
  { digit: 7, century: 2200, sex: 'F' },
  { digit: 8, century: 2300, sex: 'M' },
  { digit: 9, century: 2300, sex: 'F' },
];
