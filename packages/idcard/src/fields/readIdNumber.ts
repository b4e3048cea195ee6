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

/** Below this a digit is doubtful (as `DOUBTFUL_CHAR` in the fusion). */
const DOUBTFUL_DIGIT = 0.9;

/**
 * A reading one digit longer than the card type prints, whose every digit but one was read sure:
 * that doubtful one is the digit the recogniser added (a glare speck read as `0` after the
 * number). `undefined` unless exactly one digit is doubtful.
 */
function withoutDoubtfulDigit(
  line: RecognizedLine,
  text: string,
  digits: 9 | 12 | undefined,
): { text: string; chars: RecognizedLine['chars']; dropped: number } | undefined {
  if (digits === undefined || text.length !== digits + 1 || !/^\d+$/.test(text)) return undefined;
  const chars = line.chars.filter((c) => !/\s/.test(c.char));
  if (chars.map((c) => c.char).join('') !== text) return undefined;
  const doubtful = chars.flatMap((c, i) => (c.confidence < DOUBTFUL_DIGIT ? [i] : []));
  if (doubtful.length !== 1) return undefined;
  const at = doubtful[0] as number;
  return {
    text: text.slice(0, at) + text.slice(at + 1),
    chars: chars.filter((_, i) => i !== at),
    dropped: chars[at]?.confidence ?? 0,
  };
}

/**
 * The card number from its OCR line: digits only (spaces dropped), 12 digits checked with the
 * core ID-number rules (province, century digit against the date of birth, sex), 9 digits
 * with the CMND rules. Agreement with the MRZ raises confidence; a disagreement is an error.
 * Issues from the rules that are errors set the value aside (`undefined`): never a confident
 * wrong number. A reading one digit longer than `digits` with exactly one doubtful digit is
 * read without it (`idcard/id-digit-dropped`, confidence at most 1 − that digit's).
 */
export function readIdNumber(line: RecognizedLine, options: ReadIdNumberOptions = {}): FieldReading {
  const text = line.text.replace(/\s+/g, '');
  // a digit too many, and only one doubtful: the number without it when the rules accept it, as sure
  // as that digit was unsure
  const shorter = withoutDoubtfulDigit(line, text, options.digits);
  if (shorter) {
    const r = readIdNumber(
      { text: shorter.text, confidence: Math.min(line.confidence, 1 - shorter.dropped), chars: shorter.chars },
      options,
    );
    if (r.value !== undefined)
      return {
        ...r,
        text,
        issues: [
          issue(
            'idcard/id-digit-dropped',
            'warning',
            'one digit too many was read: the only doubtful one was dropped',
            PATH,
          ),
          ...r.issues,
        ],
      };
  }
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
