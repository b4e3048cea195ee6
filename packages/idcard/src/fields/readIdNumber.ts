import {
  type Issue,
  type PartialDate,
  type Sex,
  issue,
  validateCmndNumber,
  validateIdNumber,
} from '@smart-citizen/core';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { type FieldReading, LOW_CONFIDENCE } from './FieldReading.js';

/** Options of {@link readIdNumber}. */
export interface ReadIdNumberOptions {
  /** Date of birth and sex printed on the same card, checked against the number's digits. */
  dateOfBirth?: PartialDate | undefined;
  sex?: Sex | undefined;
  /** The MRZ's 12-digit personal number (optional data) or its 9-digit document number. */
  mrzNumber?: string | undefined;
  /** @default new Date() */
  today?: Date;
  /**
   * How many digits the card type prints (9 on a CMND 9, 12 on every later card): a reading of the
   * other length is malformed, not a number of the other kind (a 12-digit card whose crop lost its
   * first digits can read as 9 digits that pass the CMND rules). @default either
   */
  digits?: 9 | 12 | undefined;
}

const PATH = 'idNumber';

/**
 * The card number from its OCR line: digits only (spaces dropped), 12 digits checked with the
 * core ID-number rules (province, century digit against the date of birth, sex), 9 digits
 * with the CMND rules. Agreement with the MRZ raises confidence; a disagreement is an error.
 * Issues from the rules that are errors set the value aside (`undefined`): never a confident
 * wrong number.
 */
export function readIdNumber(line: RecognizedLine, options: ReadIdNumberOptions = {}): FieldReading {
  const text = line.text.replace(/\s+/g, '');
  const issues: Issue[] = [];
  let confidence = line.confidence;
  let value: string | undefined = text;
  if (!/^\d+$/.test(text)) {
    issues.push(issue('id/malformed', 'error', 'the number holds characters other than digits', PATH));
    value = undefined;
  } else if (options.digits !== undefined && text.length !== options.digits) {
    issues.push(
      issue('id/malformed', 'error', `this card type prints ${options.digits} digits, read ${text.length}`, PATH),
    );
    value = undefined;
  } else if (text.length === 12) {
    const v = validateIdNumber(text, {
      dateOfBirth: options.dateOfBirth,
      sex: options.sex,
      ...(options.today ? { today: options.today } : {}),
    });
    issues.push(...v.issues.map((i) => ({ ...i, path: PATH })));
    if (v.issues.some((i) => i.severity === 'error')) value = undefined;
    else if (v.issues.length > 0) confidence *= 0.8;
  } else if (text.length === 9) {
    const v = validateCmndNumber(text);
    issues.push(...v.issues.map((i) => ({ ...i, path: PATH })));
    if (v.issues.some((i) => i.severity === 'error')) value = undefined;
  } else {
    issues.push(issue('id/malformed', 'error', `expected 12 or 9 digits, read ${text.length}`, PATH));
    value = undefined;
  }
  if (value && options.mrzNumber) {
    const m = options.mrzNumber.replace(/\D/g, '');
    const agrees = m.length === value.length ? m === value : value.endsWith(m) && m.length === 9;
    if (agrees) confidence = 1 - (1 - confidence) * 0.1;
    else {
      issues.push(issue('idcard/id-mrz-mismatch', 'error', 'the printed number differs from the MRZ', PATH));
      confidence = Math.min(confidence, 0.3);
    }
  }
  if (!value) confidence = 0;
  else if (confidence < LOW_CONFIDENCE)
    issues.push(issue('idcard/low-confidence', 'warning', 'the number was read with low confidence', PATH));
  return { value, text, confidence, issues };
}
