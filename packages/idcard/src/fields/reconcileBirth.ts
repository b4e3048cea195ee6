import { centuryDigits, type Issue, issue, type Sex, safeParseDate } from '@smart-citizen/core';
import type { RecognizedChar, RecognizedLine } from '../ocr/ctcDecode.js';

/** The three printed fields that carry the birth date, each as read. */
export interface BirthLines {
  idNumber?: RecognizedLine | undefined;
  dateOfBirth?: RecognizedLine | undefined;
  expiryDate?: RecognizedLine | undefined;
}

/** Options of {@link reconcileBirth}. */
export interface ReconcileBirthOptions {
  /**
   * The card's expiry is the holder's birthday at 25, 40 or 60 (CCCD 2016 and 2021, Căn cước
   * 2024: Law 19/2014 art. 21, Law 26/2023 art. 21), so its day and month are the birth date's.
   * Not on CMND cards (their expiry counts from the issue date).
   */
  expiryIsBirthday: boolean;
  /** The printed sex, which the ID number's century digit also encodes (even male, odd female). */
  sex?: Sex | undefined;
}

/** A repaired character is trusted a little less than the one it was copied from. */
const COPY_TRUST = 0.9;
const RENEWAL_AGES = [25, 40, 60];

interface Digits {
  line: RecognizedLine;
  /** Index in `line.chars` of each digit. */
  at: number[];
}

function digitsOf(line: RecognizedLine | undefined, count: number): Digits | undefined {
  if (!line) return undefined;
  const at: number[] = [];
  line.chars.forEach((c, i) => {
    if (/^\d$/.test(c.char)) at.push(i);
  });
  return at.length === count ? { line, at } : undefined;
}

const digit = (d: Digits, k: number): string => (d.line.chars[d.at[k] as number] as RecognizedChar).char;
const conf = (d: Digits, k: number): number => (d.line.chars[d.at[k] as number] as RecognizedChar).confidence;
const digitString = (d: Digits): string => d.at.map((_, k) => digit(d, k)).join('');

/** A copy of the line with digit `k` replaced, at the confidence of the character it was copied from. */
function withDigit(d: Digits, k: number, char: string, from: number): Digits {
  const chars = d.line.chars.map((c) => ({ ...c }));
  chars[d.at[k] as number] = { char, confidence: from * COPY_TRUST };
  return {
    at: d.at,
    line: {
      text: chars.map((c) => c.char).join(''),
      confidence: Math.min(d.line.confidence, from * COPY_TRUST),
      chars,
    },
  };
}

const isDate = (ddmmyyyy: string): boolean =>
  safeParseDate(`${ddmmyyyy.slice(0, 2)}/${ddmmyyyy.slice(2, 4)}/${ddmmyyyy.slice(4)}`, 'dd/mm/yyyy').ok;

/**
 * Settle the printed birth date against the two other printed fields that carry part of it,
 * before each field is parsed: the 12-digit ID number (its 4th digit encodes the century and
 * sex, its 5th and 6th the last two digits of the birth year) and, on CCCD and Căn cước cards,
 * the expiry (the birthday at 25, 40 or 60: same day and month, and a year 25, 40 or 60 after
 * the birth). Where they disagree, each disputed digit is taken from the field whose reading of
 * it is surer (an expiry year that fits one birth year and not the other decides the year; the
 * printed sex decides the century digit's parity), and only when every repaired value is still
 * a calendar date. A repair is said (`idcard/birth-date-repaired`, `idcard/id-number-repaired`,
 * `idcard/expiry-repaired`) and copies the deciding character's confidence, lowered.
 */
export function reconcileBirth(
  lines: BirthLines,
  options: ReconcileBirthOptions,
): { lines: BirthLines; issues: Issue[] } {
  let dob = digitsOf(lines.dateOfBirth, 8);
  let exp = options.expiryIsBirthday ? digitsOf(lines.expiryDate, 8) : undefined;
  let id = digitsOf(lines.idNumber, 12);
  const issues: Issue[] = [];
  const repaired = new Set<'dateOfBirth' | 'expiryDate' | 'idNumber'>();
  if (!dob) return { lines, issues };
  // day and month: the expiry is the birthday
  if (exp) {
    let d = dob;
    let e = exp;
    for (let k = 0; k < 4; k++) {
      if (digit(d, k) === digit(e, k)) continue;
      if (conf(d, k) >= conf(e, k)) e = withDigit(e, k, digit(d, k), conf(d, k));
      else d = withDigit(d, k, digit(e, k), conf(e, k));
    }
    if (d !== dob || e !== exp) {
      if (isDate(digitString(d)) && isDate(digitString(e))) {
        if (d !== dob) repaired.add('dateOfBirth');
        if (e !== exp) repaired.add('expiryDate');
        dob = d;
        exp = e;
      }
    }
  }
  // year: the ID number's century digit and two birth-year digits
  if (id) {
    const c = Number(digit(id, 3));
    const idYear = (centuryDigits[c]?.century ?? 1900) + Number(digit(id, 4) + digit(id, 5));
    const dobYear = Number(digitString(dob).slice(4));
    if (idYear !== dobYear) {
      const expYear = exp ? Number(digitString(exp).slice(4)) : undefined;
      const fits = (y: number) => expYear !== undefined && RENEWAL_AGES.includes(expYear - y);
      // the surer side at the disputed positions: ID digits 4–6 against the year's digits
      const yearDigits = String(dobYear).padStart(4, '0');
      const idDigits = String(idYear);
      const disputed = [
        yearDigits.slice(0, 2) !== idDigits.slice(0, 2) ? 3 : -1,
        yearDigits[2] !== idDigits[2] ? 4 : -1,
        yearDigits[3] !== idDigits[3] ? 5 : -1,
      ].filter((k) => k >= 0);
      const idDoubt = Math.min(...disputed.map((k) => conf(id as Digits, k)));
      const dobDoubt = Math.min(
        ...[0, 1, 2, 3].filter((k) => yearDigits[k] !== idDigits[k]).map((k) => conf(dob as Digits, 4 + k)),
      );
      const idWins = fits(idYear) !== fits(dobYear) ? fits(idYear) : idDoubt > dobDoubt;
      if (idWins) {
        let d = dob;
        for (let k = 0; k < 4; k++)
          if (digit(d, 4 + k) !== idDigits[k]) d = withDigit(d, 4 + k, idDigits[k] as string, idDoubt);
        if (isDate(digitString(d))) {
          dob = d;
          repaired.add('dateOfBirth');
        }
      } else {
        const century = Math.floor(dobYear / 100) * 100;
        const parity = options.sex === undefined ? c % 2 : options.sex === 'F' ? 1 : 0;
        const cd = centuryDigits.find((x) => x.century === century && x.digit % 2 === parity)?.digit;
        if (cd !== undefined) {
          let i = id;
          const want = `${cd}${yearDigits.slice(2)}`;
          for (let k = 0; k < 3; k++)
            if (digit(i, 3 + k) !== want[k]) i = withDigit(i, 3 + k, want[k] as string, dobDoubt);
          id = i;
          repaired.add('idNumber');
        }
      }
    }
  }
  const out: BirthLines = { ...lines, dateOfBirth: dob.line };
  if (exp) out.expiryDate = exp.line;
  if (id) out.idNumber = id.line;
  if (repaired.has('dateOfBirth'))
    issues.push(
      issue(
        'idcard/birth-date-repaired',
        'warning',
        'digits of the date of birth were taken from the ID number or the expiry date, which read them more surely',
        'dateOfBirth',
      ),
    );
  if (repaired.has('expiryDate'))
    issues.push(
      issue(
        'idcard/expiry-repaired',
        'warning',
        "the expiry's day and month were taken from the date of birth (the card expires on a birthday)",
        'expiryDate',
      ),
    );
  if (repaired.has('idNumber'))
    issues.push(
      issue(
        'idcard/id-number-repaired',
        'warning',
        "the ID number's century and birth-year digits were taken from the date of birth",
        'idNumber',
      ),
    );
  return { lines: out, issues };
}
