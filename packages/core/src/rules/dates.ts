import { SmartCitizenError } from '../errors/SmartCitizenError.js';
import type { PartialDate } from '../identity/CitizenIdentity.js';
import { foldForCompare } from '../text/foldDiacritics.js';

/** Date layouts {@link parseDate} reads. `auto` guesses from the shape of the text. */
export type DateInputFormat = 'ddmmyyyy' | 'dd/mm/yyyy' | 'yymmdd' | 'auto';

/** Date layouts {@link formatDate} writes. */
export type DateOutputFormat = 'dd/mm/yyyy' | 'ddmmyyyy' | 'yyyy-mm-dd' | 'words-vi';

/** Options of {@link parseDate}. */
export interface ParseDateOptions {
  /**
   * For two-digit years (`yymmdd`): the year is the latest year not after `pivotYear` that
   * ends in those two digits (pivot 2030: `30` → 2030, `31` → 1931).
   * @default birth-date inference against `today` (see {@link parseYYMMDD})
   */
  pivotYear?: number | undefined;
  /**
   * Today's date, for century inference.
   * @default new Date()
   */
  today?: Date | undefined;
}

/** Options of {@link parseYYMMDD}. */
export interface ParseYYMMDDOptions {
  /**
   * `birth`: the date is never in the future (the latest candidate not after `today`).
   * `expiry`: the candidate year lies in [today − 50, today + 49] years (a card expires at
   * most decades ahead, and one expired more than 50 years ago is not being read).
   */
  kind: 'birth' | 'expiry';
  /** @default new Date() */
  today?: Date | undefined;
}

/** Outcome of {@link safeParseDate}. */
export type SafeParseDateResult = { ok: true; value: PartialDate } | { ok: false; error: SmartCitizenError };

const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

function malformed(what: string): SmartCitizenError {
  return new SmartCitizenError('date/malformed', `not a date in the expected format (${what})`, {
    details: { format: what },
  });
}

function invalid(reason: string): SmartCitizenError {
  return new SmartCitizenError('date/invalid', `not a calendar date: ${reason}`, { details: { reason } });
}

/** Days in a month (1–12) of a (proleptic Gregorian) year. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether `d` is a possible calendar date: integer year 1–9999, month 1–12 when present,
 * day within the month when present, and no day without a month.
 *
 * @param d - A partial date.
 * @returns True when valid.
 */
export function isValidPartialDate(d: PartialDate): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const { year, month, day } = d;
  if (!Number.isInteger(year) || year < 1 || year > 9999) return false;
  if (month === undefined) return day === undefined;
  if (!Number.isInteger(month) || month < 1 || month > 12) return false;
  if (day === undefined) return true;
  return Number.isInteger(day) && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * The calendar date of an instant in Vietnam (UTC+7, no daylight saving), where the cards
 * are issued and the kiosks stand.
 *
 * @param date - An instant.
 * @returns Its full calendar date in Vietnam.
 */
export function toPartialDate(date: Date): PartialDate {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new RangeError('[@smart-citizen/core] invalid Date');
  const v = new Date(t + VIETNAM_OFFSET_MS);
  return { year: v.getUTCFullYear(), month: v.getUTCMonth() + 1, day: v.getUTCDate() };
}

/** A parse failure, built without throwing so the safe variants stay cheap. */
interface Fail {
  fail: 'date/malformed' | 'date/invalid';
  what: string;
}
type Res = PartialDate | Fail;

const isFail = (r: Res): r is Fail => 'fail' in r;
const bad = (what: string): Fail => ({ fail: 'date/malformed', what });
const impossible = (what: string): Fail => ({ fail: 'date/invalid', what });

function toError(f: Fail): SmartCitizenError {
  return f.fail === 'date/malformed' ? malformed(f.what) : invalid(f.what);
}

/** Build a partial date from numeric fields where 0 means unknown, checking the calendar. */
function fromFields(year: number, month: number, day: number): Res {
  if (year < 1 || year > 9999) return impossible('year out of range');
  if (month === 0) return day !== 0 ? impossible('day given without a month') : { year };
  if (month > 12) return impossible('month out of range');
  if (day === 0) return { year, month };
  if (day > daysInMonth(year, month)) return impossible('day out of range for the month');
  return { year, month, day };
}

const SEP = '[/.\\-]';
const RE_DMY = new RegExp(`^(\\d{1,2})${SEP}(\\d{1,2})${SEP}(\\d{4})$`);
const RE_MY = new RegExp(`^(\\d{1,2})${SEP}(\\d{4})$`);
const RE_Y = /^(\d{4})$/;
const RE_ISO = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;
const RE_WORDS = /^(?:ngay (\d{1,2}) )?(?:thang (\d{1,2}) )?nam (\d{4})$/;
const RE_YYMMDD = /^(\d{2})(\d{2}|<<)(\d{2}|<<)$/;
const RE_DIGITS = /^\d+$/;

function tidy(text: string): string {
  return text.trim().replace(/\s*([/.-])\s*/g, '$1');
}

function parseSeparated(t: string): Res | undefined {
  let m = RE_DMY.exec(t);
  if (m) return fromFields(Number(m[3]), Number(m[2]), Number(m[1]));
  m = RE_MY.exec(t);
  if (m) return fromFields(Number(m[2]), Number(m[1]), 0);
  m = RE_Y.exec(t);
  if (m) return fromFields(Number(m[1]), 0, 0);
  return undefined;
}

function parseCompact(t: string): Res | undefined {
  if (!RE_DIGITS.test(t)) return undefined;
  if (t.length === 8) return fromFields(Number(t.slice(4)), Number(t.slice(2, 4)), Number(t.slice(0, 2)));
  if (t.length === 6) return fromFields(Number(t.slice(2)), Number(t.slice(0, 2)), 0);
  if (t.length === 4) return fromFields(Number(t), 0, 0);
  return undefined;
}

/** The latest year not after `lastYear` whose last two digits are `yy`. */
function yearInWindow(yy: number, lastYear: number): number {
  return lastYear - (((lastYear % 100) - yy + 100) % 100);
}

function yymmddResult(text: string, kind: 'birth' | 'expiry', today: Date | undefined): Res {
  const m = RE_YYMMDD.exec(text.trim());
  if (!m) return bad('YYMMDD');
  const yy = Number(m[1]);
  const month = m[2] === '<<' ? 0 : Number(m[2]);
  const day = m[3] === '<<' ? 0 : Number(m[3]);
  const now = toPartialDate(today ?? new Date());
  let year: number;
  if (kind === 'birth') {
    year = yearInWindow(yy, now.year);
    // Same year digits but later in the year than today: born a century earlier.
    const probe: PartialDate =
      month === 0 || month > 12 ? { year } : day === 0 ? { year, month } : { year, month, day };
    if (comparePartialDates(probe, now) > 0) year -= 100;
  } else {
    year = yearInWindow(yy, now.year + 49);
  }
  return fromFields(year, month, day);
}

/**
 * Read a `YYMMDD` date (MRZ, chip) and infer its century. `00` or `<<` for the month or day
 * means unknown (partial dates on cards that print only a year).
 *
 * @param text - Six characters `YYMMDD`.
 * @param options - {@link ParseYYMMDDOptions}: `kind` decides the century window.
 * @returns The date with a four-digit year.
 * @throws SmartCitizenError `date/malformed` when not six digits, `date/invalid` when not a
 *   calendar date.
 * @example parseYYMMDD('991231', { kind: 'birth', today: new Date('2026-01-01') }) // { year: 1999, month: 12, day: 31 }
 */
export function parseYYMMDD(text: string, options: ParseYYMMDDOptions): PartialDate {
  if (typeof text !== 'string') throw new TypeError('[@smart-citizen/core] parseYYMMDD expects a string');
  const r = yymmddResult(text, options.kind, options.today);
  if (isFail(r)) throw toError(r);
  return r;
}

function parseDateResult(text: string, format: DateInputFormat, options: ParseDateOptions): Res {
  const t = tidy(text);
  if (t.length > 64) return bad(format);
  const yymmdd = (s: string): Res => {
    if (options.pivotYear === undefined) return yymmddResult(s, 'birth', options.today);
    const m = /^(\d{2})(\d{2})(\d{2})$/.exec(s);
    if (!m) return bad('YYMMDD');
    return fromFields(yearInWindow(Number(m[1]), options.pivotYear), Number(m[2]), Number(m[3]));
  };
  switch (format) {
    case 'dd/mm/yyyy':
      return parseSeparated(t) ?? bad(format);
    case 'ddmmyyyy':
      return parseCompact(t) ?? bad(format);
    case 'yymmdd':
      return yymmdd(t);
    case 'auto': {
      const sep = parseSeparated(t);
      if (sep) return sep;
      const iso = RE_ISO.exec(t);
      if (iso) return fromFields(Number(iso[1]), Number(iso[2]), iso[3] === undefined ? 0 : Number(iso[3]));
      if (RE_DIGITS.test(t) && t.length === 8) {
        const dmy = parseCompact(t) ?? bad(format);
        if (!isFail(dmy)) return dmy;
        const y = Number(t.slice(0, 4));
        return y >= 1800 && y < 2200 ? fromFields(y, Number(t.slice(4, 6)), Number(t.slice(6))) : dmy;
      }
      if (RE_DIGITS.test(t) && t.length === 6) {
        const y = Number(t.slice(2));
        if (y >= 1800 && y < 2200 && Number(t.slice(0, 2)) <= 12) return fromFields(y, Number(t.slice(0, 2)), 0);
        return yymmdd(t);
      }
      const words = RE_WORDS.exec(foldForCompare(t));
      if (words) {
        if (words[1] !== undefined && words[2] === undefined) return bad('words-vi');
        return fromFields(
          Number(words[3]),
          words[2] === undefined ? 0 : Number(words[2]),
          words[1] === undefined ? 0 : Number(words[1]),
        );
      }
      return bad(format);
    }
    default:
      throw new RangeError(`[@smart-citizen/core] unknown date format '${String(format)}'`);
  }
}

/**
 * Read a date as printed on cards, QR payloads and forms. Partial dates are accepted: `1999`,
 * `01/1999`, `00/00/1999`, `00001999` (a zero day or month means unknown).
 *
 * Formats: `dd/mm/yyyy` (separators `/`, `.` or `-`; also `mm/yyyy` and `yyyy`), `ddmmyyyy`
 * (eight digits; also `mmyyyy` and `yyyy`), `yymmdd` (century from `pivotYear`, or as a birth
 * date against `today`), and `auto`: any of the separated forms, ISO `yyyy-mm-dd` /
 * `yyyy-mm`, eight digits as `ddmmyyyy` (or `yyyymmdd` when only that reading is a date),
 * six digits as `mmyyyy` when that reads as a month of a year 1800–2199 else `yymmdd`, and
 * the words `ngày 01 tháng 01 năm 1999` written by {@link formatDate}.
 *
 * @param text - The date text.
 * @param format - Expected layout. @default 'auto'
 * @param options - {@link ParseDateOptions}.
 * @returns The (possibly partial) date.
 * @throws SmartCitizenError `date/malformed` when the text has no date shape,
 *   `date/invalid` when it names an impossible date (31/02, month 13).
 */
export function parseDate(text: string, format: DateInputFormat = 'auto', options: ParseDateOptions = {}): PartialDate {
  if (typeof text !== 'string') throw new TypeError('[@smart-citizen/core] parseDate expects a string');
  checkPivot(options);
  const r = parseDateResult(text, format, options);
  if (isFail(r)) throw toError(r);
  return r;
}

function checkPivot(options: ParseDateOptions): void {
  const p = options.pivotYear;
  if (p !== undefined && (!Number.isInteger(p) || p < 100 || p > 9999)) {
    throw new RangeError('[@smart-citizen/core] pivotYear must be an integer year 100–9999');
  }
}

/**
 * {@link parseDate} that returns a result instead of throwing.
 *
 * @returns `{ ok: true, value }`, or `{ ok: false, error }` with the typed error.
 */
export function safeParseDate(
  text: string,
  format: DateInputFormat = 'auto',
  options: ParseDateOptions = {},
): SafeParseDateResult {
  if (typeof text !== 'string') return { ok: false, error: malformed(format) };
  checkPivot(options);
  const r = parseDateResult(text, format, options);
  return isFail(r) ? { ok: false, error: toError(r) } : { ok: true, value: r };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

/**
 * Write a date. Partial dates keep their precision: `dd/mm/yyyy` gives `01/1999` or `1999`,
 * `ddmmyyyy` gives `00001999` (fixed width, zero = unknown, as in QR payloads),
 * `yyyy-mm-dd` gives `1999-01` or `1999` (ISO 8601 reduced precision), `words-vi` gives
 * `ngày 01 tháng 01 năm 1999`, `tháng 01 năm 1999` or `năm 1999`.
 *
 * @param d - The date.
 * @param format - Output layout. @default 'dd/mm/yyyy'
 * @returns The formatted date.
 * @throws SmartCitizenError `date/invalid` when `d` is not a valid partial date.
 */
export function formatDate(d: PartialDate, format: DateOutputFormat = 'dd/mm/yyyy'): string {
  if (!isValidPartialDate(d)) throw invalid('not a valid partial date');
  const { year, month, day } = d;
  switch (format) {
    case 'dd/mm/yyyy':
      return (
        [day, month]
          .filter((v) => v !== undefined)
          .map((v) => `${pad2(v)}/`)
          .join('') + pad4(year)
      );
    case 'ddmmyyyy':
      return `${pad2(day ?? 0)}${pad2(month ?? 0)}${pad4(year)}`;
    case 'yyyy-mm-dd':
      return [pad4(year), month, day]
        .filter((v) => v !== undefined)
        .map((v) => (typeof v === 'number' ? pad2(v) : v))
        .join('-');
    case 'words-vi':
      return `${day === undefined ? '' : `ngày ${pad2(day)} `}${month === undefined ? '' : `tháng ${pad2(month)} `}năm ${pad4(year)}`;
    default:
      throw new RangeError(`[@smart-citizen/core] unknown date format '${String(format)}'`);
  }
}

/**
 * Order two possibly partial dates on the precision both have: `1999` and `05/1999` compare
 * equal (0), since neither is known to be earlier.
 *
 * @returns Negative when `a` is earlier, positive when later, 0 when equal or not orderable.
 */
export function comparePartialDates(a: PartialDate, b: PartialDate): number {
  if (a.year !== b.year) return a.year < b.year ? -1 : 1;
  if (a.month === undefined || b.month === undefined) return 0;
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  if (a.day === undefined || b.day === undefined) return 0;
  return a.day === b.day ? 0 : a.day < b.day ? -1 : 1;
}

/**
 * Age in whole years on a date. For a partial date of birth the smallest possible age is
 * returned (an unknown month or day is taken as the last one), and an unknown month or day
 * of `on` as the first one, so the result is an age the citizen has certainly reached.
 *
 * @param dob - Date of birth.
 * @param on - The date (an instant is read as its calendar date in Vietnam).
 * @returns Whole years (negative when `dob` is after `on`).
 * @throws SmartCitizenError `date/invalid` when a date is not a valid partial date.
 */
export function ageOn(dob: PartialDate, on: Date | PartialDate): number {
  const at = on instanceof Date ? toPartialDate(on) : on;
  if (!isValidPartialDate(dob) || !isValidPartialDate(at)) throw invalid('not a valid partial date');
  const bm = dob.month ?? 12;
  const bd = dob.day ?? daysInMonth(dob.year, bm);
  const am = at.month ?? 1;
  const ad = at.day ?? 1;
  let age = at.year - dob.year;
  if (am < bm || (am === bm && ad < bd)) age -= 1;
  return age;
}
