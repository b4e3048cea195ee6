import type { Issue } from '@smart-citizen/core';
import type { RecognizedChar, RecognizedLine } from '../ocr/ctcDecode.js';

/** One card field after post-processing. */
export interface FieldReading<T = string> {
  /** The field's value; `undefined` when it could not be read with any confidence. */
  value: T | undefined;
  /** The text as read, cleaned (spaces, case), before any repair. */
  text: string;
  /** How sure the reader is, 0–1. Below {@link LOW_CONFIDENCE} the field also carries an issue saying so. */
  confidence: number;
  /** What was repaired, doubted or contradicted (`idcard/…`, `id/…`, `date/…` codes). */
  issues: Issue[];
}

/** Under this confidence a field is reported as unsure (issue `idcard/low-confidence`). */
export const LOW_CONFIDENCE = 0.6;

/** Confidence of the characters at [start, end) of a line, or of the whole line. */
export function spanConfidence(chars: readonly RecognizedChar[], start = 0, end = chars.length): number {
  let min = 1;
  for (let i = start; i < end && i < chars.length; i++) min = Math.min(min, (chars[i] as RecognizedChar).confidence);
  return min;
}

/** Join the lines of a multi-line field (a wrapped address) with a space, keeping per-character confidences. */
export function joinLines(lines: readonly RecognizedLine[]): RecognizedLine {
  const chars: RecognizedChar[] = [];
  for (const l of lines) {
    if (l.text.trim() === '') continue;
    if (chars.length > 0) chars.push({ char: ' ', confidence: 1 });
    chars.push(...l.chars);
  }
  return {
    text: chars.map((c) => c.char).join(''),
    confidence: lines.length ? Math.min(...lines.map((l) => l.confidence)) : 0,
    chars,
  };
}
