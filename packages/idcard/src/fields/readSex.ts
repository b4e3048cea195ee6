import { type Issue, type Sex, formatSex, issue, parseSex } from '@smart-citizen/core';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import type { FieldReading } from './FieldReading.js';

const PATH = 'sex';

/**
 * Sex printed as "Nam" / "Nữ" (core `parseSex`, diacritics optional: a lost hook on "Nữ" still
 * reads as female, with lower confidence). A disagreement with the MRZ is an error.
 */
export function readSex(line: RecognizedLine, mrz?: Sex): FieldReading<Sex> {
  const text = line.text.normalize('NFC').trim();
  const issues: Issue[] = [];
  const value = parseSex(text);
  let confidence = line.confidence;
  if (value === undefined) {
    issues.push(issue('idcard/sex-unreadable', 'error', 'the sex field reads as neither Nam nor Nữ', PATH));
    return { value, text, confidence: 0, issues };
  }
  if (text !== formatSex(value, 'vi')) {
    issues.push(issue('idcard/sex-repaired', 'info', 'the sex was read from a damaged word', PATH));
    confidence *= 0.8;
  }
  if (mrz !== undefined) {
    if (mrz === value) confidence = 1 - (1 - confidence) * 0.1;
    else {
      issues.push(issue('idcard/sex-mrz-mismatch', 'error', 'the printed sex differs from the MRZ', PATH));
      confidence = Math.min(confidence, 0.3);
    }
  }
  return { value, text, confidence, issues };
}
