import { foldDiacritics, type Issue, type PartialDate, issue, safeParseDate } from '@smart-citizen/core';
import { editDistance } from '../ocr/evaluateLines.js';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { type FieldReading, LOW_CONFIDENCE } from './FieldReading.js';

/** What a date on the card is: it sets which years are plausible. */
export type CardDateKind = 'birth' | 'expiry' | 'issue';

/** Options of {@link readDate}. */
export interface ReadDateOptions {
  kind: CardDateKind;
  /** Field name used in issue paths. @default 'dateOfBirth' / 'expiryDate' / 'issueDate' */
  path?: string;
  /** The same date from the MRZ (`YYMMDD` decoded), when there is one. */
  mrz?: PartialDate | undefined;
  /** @default new Date() */
  today?: Date;
}

const NO_EXPIRY = /kh[oô]ng\s*th[oờ]i\s*h[aạ]n/i;
const NO_EXPIRY_FOLDED = 'khong thoi han';
/** A third of its letters may be misread: no other text is printed in an expiry's place. */
const NO_EXPIRY_MAX_EDITS = 4;
const defaultPath: Record<CardDateKind, string> = { birth: 'dateOfBirth', expiry: 'expiryDate', issue: 'issueDate' };

const sameDate = (a: PartialDate, b: PartialDate): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * A printed date (dd/mm/yyyy) from its OCR line: separators misread as '-', '.', or lost are
 * restored when the 8 digits are there; the date must exist in the calendar (core date rules)
 * and be plausible for its kind (a birth not in the future, an expiry after 2000…). An expiry
 * printed "Không thời hạn" reads as the value `'none'`. When the MRZ carries the same date, they
 * must agree: agreement raises confidence, disagreement is an error and low confidence.
 */
export function readDate(line: RecognizedLine, options: ReadDateOptions): FieldReading<PartialDate | 'none'> {
  const path = options.path ?? defaultPath[options.kind];
  const today = options.today ?? new Date();
  const text = line.text.normalize('NFC').trim().replace(/\s+/g, ' ');
  const issues: Issue[] = [];
  if (options.kind === 'expiry' && NO_EXPIRY.test(text)) {
    return { value: 'none', text, confidence: line.confidence, issues };
  }
  const digits = text.replace(/\D/g, '');
  // "Không thời hạn" with a few letters misread ("Không thùi can"): no date has letters in place of its digits
  if (options.kind === 'expiry' && digits.length === 0) {
    const folded = foldDiacritics(text).toLowerCase().replace(/\s+/g, ' ');
    if (editDistance(folded, NO_EXPIRY_FOLDED) <= NO_EXPIRY_MAX_EDITS) {
      issues.push(issue('idcard/no-expiry-repaired', 'info', '"Không thời hạn" was read with letters misread', path));
      return { value: 'none', text, confidence: line.confidence * 0.9, issues };
    }
  }
  let value: PartialDate | undefined;
  let confidence = line.confidence;
  if (digits.length === 8) {
    const candidate = `${digits.slice(0, 2)}/${digits.slice(2, 4)}/${digits.slice(4)}`;
    const parsed = safeParseDate(candidate, 'dd/mm/yyyy');
    if (parsed.ok) value = parsed.value;
    else issues.push(issue('date/invalid', 'error', 'the printed date is not a calendar date', path));
    if (!/^\d{2}\/\d{2}\/\d{4}$/.test(text.replace(/\s/g, ''))) {
      issues.push(issue('idcard/date-separators-repaired', 'info', 'separators were restored from the 8 digits', path));
      confidence *= 0.9;
    }
  } else {
    issues.push(issue('date/malformed', 'error', `expected 8 digits, read ${digits.length}`, path));
  }
  if (value) {
    const y = today.getUTCFullYear();
    const limits: Record<CardDateKind, [number, number]> = {
      birth: [1900, y],
      issue: [1970, y],
      expiry: [2000, y + 100],
    };
    const [lo, hi] = limits[options.kind];
    if (value.year < lo || value.year > hi) {
      issues.push(issue('idcard/date-implausible', 'error', `year outside ${lo}–${hi} for this date`, path));
      value = undefined;
    } else if (
      options.kind !== 'expiry' &&
      Date.UTC(value.year, (value.month ?? 1) - 1, value.day ?? 1) > today.getTime()
    ) {
      issues.push(issue('idcard/date-in-future', 'error', 'the date lies in the future', path));
      value = undefined;
    }
  }
  if (value && options.mrz) {
    if (sameDate(value, options.mrz)) confidence = 1 - (1 - confidence) * 0.2;
    else {
      issues.push(issue('idcard/date-mrz-mismatch', 'error', 'the printed date differs from the MRZ', path));
      confidence = Math.min(confidence, 0.3);
    }
  }
  if (!value) confidence = 0;
  if (confidence < LOW_CONFIDENCE && value) {
    issues.push(issue('idcard/low-confidence', 'warning', 'the date was read with low confidence', path));
  }
  return { value, text, confidence, issues };
}
