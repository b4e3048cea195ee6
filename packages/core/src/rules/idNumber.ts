import { centuryDigits } from '../data/centuryDigits.js';
import { issue, type Issue } from '../errors/Issue.js';
import { SmartCitizenError } from '../errors/SmartCitizenError.js';
import type { PartialDate, Sex } from '../identity/CitizenIdentity.js';
import { isValidPartialDate, toPartialDate } from './dates.js';
import { provinceByCode } from './provinceByCode.js';

/**
 * The parts of a 12-digit personal identification number (số định danh cá nhân), also the
 * number of CCCD and Căn cước cards: `PPP S YY NNNNNN` = province code, century+sex digit,
 * last two digits of the birth year, six random digits (Nghị định 137/2015/NĐ-CP art. 7,
 * Thông tư 07/2016/TT-BCA art. 7).
 */
export interface IdNumberParts {
  /** The 12 digits, whitespace removed. */
  idNumber: string;
  /** Digits 1–3: the province where the birth was registered. */
  provinceCode: string;
  /** Short name of that province, when the code is in the table. */
  provinceName?: string;
  /** Digit 4 (0–9). */
  centuryDigit: number;
  /** First year of the birth century: 1900, 2000, 2100, 2200 or 2300. */
  century: number;
  /** Sex from digit 4: even male (`M`), odd female (`F`). */
  sex: Sex;
  /** Digits 5–6: the last two digits of the birth year. */
  birthYearDigits: string;
  /** Birth year the number implies: `century` + `birthYearDigits`. */
  birthYearFromNumber: number;
  /** Digits 7–12: random serial. */
  serial: string;
}

/** Options of {@link validateIdNumber}: facts to check the number against. */
export interface ValidateIdNumberOptions {
  /** Date of birth from another source (card print, QR, chip). */
  dateOfBirth?: PartialDate | undefined;
  /** Sex from another source. */
  sex?: Sex | undefined;
  /**
   * Today's date, to flag a birth year in the future.
   * @default new Date()
   */
  today?: Date | undefined;
}

/** Outcome of {@link validateIdNumber}: parts when the number has the right shape, and issues. */
export interface IdNumberValidation {
  parts?: IdNumberParts;
  issues: Issue[];
}

/** Outcome of {@link safeParseIdNumber}. */
export type SafeParseIdNumberResult =
  | { ok: true; value: IdNumberParts; issues: Issue[] }
  | { ok: false; error: SmartCitizenError };

const WHITESPACE = /\s+/g;
const TWELVE = /^\d{12}$/;

/**
 * Split a 12-digit personal identification number into its parts. Only the shape is checked
 * (use {@link validateIdNumber} for consistency issues).
 *
 * @param text - The number; whitespace anywhere is ignored (`001 099 012345`).
 * @returns The parts.
 * @throws SmartCitizenError `id/malformed` when not exactly 12 ASCII digits.
 * @example parseIdNumber('001099012345').birthYearFromNumber // 1999
 */
export function parseIdNumber(text: string): IdNumberParts {
  if (typeof text !== 'string') throw new TypeError('[@smart-citizen/core] parseIdNumber expects a string');
  const idNumber = text.length > 256 ? text : text.replace(WHITESPACE, '');
  if (!TWELVE.test(idNumber)) {
    throw new SmartCitizenError('id/malformed', 'an identification number has exactly 12 digits', {
      details: { length: idNumber.length },
    });
  }
  const provinceCode = idNumber.slice(0, 3);
  const centuryDigit = idNumber.charCodeAt(3) - 48;
  const cd = centuryDigits[centuryDigit];
  if (cd === undefined) throw new SmartCitizenError('id/malformed', 'bad century digit');
  const birthYearDigits = idNumber.slice(4, 6);
  const province = provinceByCode(provinceCode);
  return {
    idNumber,
    provinceCode,
    ...(province ? { provinceName: province.name } : {}),
    centuryDigit,
    century: cd.century,
    sex: cd.sex,
    birthYearDigits,
    birthYearFromNumber: cd.century + Number(birthYearDigits),
    serial: idNumber.slice(6),
  };
}

/** Consistency issues of well-shaped parts. */
function partsIssues(parts: IdNumberParts, options: ValidateIdNumberOptions): Issue[] {
  const issues: Issue[] = [];
  const path = 'idNumber';
  if (/^(\d)\1{11}$/.test(parts.idNumber)) {
    issues.push(issue('id/repeated-digits', 'error', 'the number repeats one digit', path));
  }
  if (parts.provinceName === undefined) {
    issues.push(
      issue('id/province-unknown', 'warning', `province code ${parts.provinceCode} is not in the code table`, path),
    );
  }
  const todayYear = toPartialDate(options.today ?? new Date()).year;
  if (parts.century > todayYear) {
    issues.push(
      issue('id/century-in-future', 'error', `century digit ${parts.centuryDigit} is a future century`, path),
    );
  } else if (parts.birthYearFromNumber > todayYear) {
    issues.push(issue('id/birth-year-in-future', 'error', 'the birth year the number implies is in the future', path));
  }
  if (parts.serial === '000000') {
    issues.push(issue('id/serial-zero', 'warning', 'the six serial digits are all zero', path));
  }
  const dob = options.dateOfBirth;
  if (dob !== undefined) {
    if (!isValidPartialDate(dob)) {
      issues.push(
        issue('date/invalid', 'error', 'the date of birth to compare with is not a valid date', 'dateOfBirth'),
      );
    } else if (dob.year !== parts.birthYearFromNumber) {
      issues.push(
        issue(
          'id/birth-year-mismatch',
          'error',
          'the birth year in the number differs from the date of birth',
          'dateOfBirth',
        ),
      );
    }
  }
  if (options.sex !== undefined && options.sex !== parts.sex) {
    issues.push(issue('id/sex-mismatch', 'error', 'the sex digit of the number differs from the sex given', 'sex'));
  }
  return issues;
}

/**
 * Check a 12-digit personal identification number: its shape, its province code (unknown
 * codes are a warning: numbers outside the table exist), a century or birth year in the
 * future, a repeated digit, and, when given, agreement with the date of birth and sex.
 * Never throws on bad input: problems come back as issues.
 *
 * Issue codes: `id/malformed` (error; no parts), `id/province-unknown` (warning),
 * `id/century-in-future`, `id/birth-year-in-future`, `id/repeated-digits` (errors),
 * `id/serial-zero` (warning), `id/birth-year-mismatch`, `id/sex-mismatch`, `date/invalid`
 * (errors).
 *
 * @param text - The number (whitespace ignored).
 * @param options - {@link ValidateIdNumberOptions}.
 * @returns `{ parts?, issues }`.
 */
export function validateIdNumber(text: string, options: ValidateIdNumberOptions = {}): IdNumberValidation {
  const r = safeParseIdNumber(text, options);
  if (!r.ok)
    return { issues: [issue(r.error.code, 'error', 'an identification number has exactly 12 digits', 'idNumber')] };
  return { parts: r.value, issues: r.issues };
}

/**
 * {@link parseIdNumber} that returns a result instead of throwing, with the issues of
 * {@link validateIdNumber}.
 *
 * @param text - The number (whitespace ignored).
 * @param options - {@link ValidateIdNumberOptions}.
 * @returns `{ ok: true, value, issues }` or `{ ok: false, error }` (`id/malformed`).
 */
export function safeParseIdNumber(text: string, options: ValidateIdNumberOptions = {}): SafeParseIdNumberResult {
  let parts: IdNumberParts;
  try {
    parts = parseIdNumber(text);
  } catch (err) {
    if (err instanceof SmartCitizenError) return { ok: false, error: err };
    if (err instanceof TypeError) {
      return { ok: false, error: new SmartCitizenError('id/malformed', 'not a string', { cause: err }) };
    }
    throw err;
  }
  return { ok: true, value: parts, issues: partsIssues(parts, options) };
}

/**
 * True for a 12-digit personal identification number (format only; the province, century and
 * sex rules are checked by {@link validateIdNumber}).
 */
export function isIdNumberFormat(value: unknown): value is string {
  return typeof value === 'string' && /^\d{12}$/.test(value);
}
