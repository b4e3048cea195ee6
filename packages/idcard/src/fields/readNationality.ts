import { type Issue, issue, similarityVietnamese } from '@smart-citizen/core';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import type { FieldReading } from './FieldReading.js';

const PATH = 'nationality';
const VIET_NAM = 'Việt Nam';

/**
 * Nationality. Vietnamese cards print "Việt Nam"; a reading close to it (folded similarity
 * ≥ 0.75) is taken as Việt Nam with confidence scaled by the closeness. Anything else is
 * returned as read, flagged: a card with another nationality is not a Vietnamese ID card.
 * The MRZ's `VNM` confirms it.
 */
export function readNationality(line: RecognizedLine, mrzNationality?: string): FieldReading {
  const text = line.text.normalize('NFC').trim().replace(/\s+/g, ' ');
  const issues: Issue[] = [];
  const sim = text ? similarityVietnamese(text, VIET_NAM) : 0;
  let confidence = line.confidence;
  let value: string | undefined;
  if (text === VIET_NAM) value = VIET_NAM;
  else if (sim >= 0.75) {
    value = VIET_NAM;
    confidence *= sim;
    issues.push(issue('idcard/nationality-repaired', 'info', 'the nationality was matched to Việt Nam', PATH));
  } else {
    value = undefined;
    confidence = 0;
    issues.push(issue('idcard/nationality-unexpected', 'error', 'the nationality does not read as Việt Nam', PATH));
  }
  if (value && mrzNationality !== undefined) {
    if (mrzNationality === 'VNM') confidence = 1 - (1 - confidence) * 0.1;
    else {
      issues.push(issue('idcard/nationality-mrz-mismatch', 'error', 'the MRZ nationality is not VNM', PATH));
      confidence = Math.min(confidence, 0.3);
    }
  }
  return { value, text, confidence, issues };
}
