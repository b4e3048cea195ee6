import {
  type Issue,
  type ParsedMrz,
  type ParseMrzOptions,
  type Td1FieldName,
  issue,
  safeParseMrz,
  td1Checks,
} from '@smart-citizen/core';
import type { RasterImage } from '@smart-citizen/image';
import type { LineRecognizer } from './LineRecognizer.js';
import type { RecognizedChar, RecognizedLine } from './ctcDecode.js';
import { LETTER_FOR_DIGIT } from './mrzLookalikes.js';

/** The MRZ of a card back as read and parsed. */
export interface MrzReading {
  /** The three lines as the OCR read them, spaces removed, with character confidences. */
  ocr: RecognizedLine[];
  /**
   * Every reading of the zone's lines (`ocr` first), when it was read more than once (the layout's
   * line boxes, then the lines found again in the zone): a repair weighs them all.
   */
  readings?: RecognizedLine[][];
  /** The parsed MRZ (after repairs confirmed by check digits); `undefined` when the text is not a TD1 MRZ. */
  mrz: ParsedMrz | undefined;
  /**
   * Confidence per field: the lowest confidence of its characters, raised close to 1 when every
   * check digit covering the field holds, held at 0.3 or below when one fails.
   */
  fieldConfidence: Partial<Record<Td1FieldName, number>>;
  /** Every check digit holds and no field is doubtful: the lowest field confidence. */
  confidence: number;
  issues: Issue[];
}

function stripSpaces(line: RecognizedLine): RecognizedLine {
  const chars = line.chars.filter((c) => c.char !== ' ');
  return { text: chars.map((c) => c.char).join(''), confidence: line.confidence, chars };
}

/**
 * TD1's third line is the name alone: letters and `<`, never a digit. A digit read there is its
 * OCR-B look-alike letter ({@link LETTER_FOR_DIGIT}); no check digit covers the name, the line's
 * alphabet is what confirms the repair (and the printed name is still checked against it).
 */
function nameLineLetters(line: RecognizedLine): { line: RecognizedLine; repaired: boolean } {
  let repaired = false;
  const chars = line.chars.map((c) => {
    const to = LETTER_FOR_DIGIT[c.char];
    if (to === undefined) return c;
    repaired = true;
    return { char: to, confidence: Math.min(c.confidence, 0.7) };
  });
  return repaired
    ? { line: { ...line, text: chars.map((c) => c.char).join(''), chars }, repaired }
    : { line, repaired };
}

/** Check digits whose ranges cover [start, start + length) of a line. */
function coveringChecks(line: number, start: number, length: number) {
  return td1Checks.filter((c) => c.ranges.some(([l, s, e]) => l === line && s < start + length && start < e));
}

/**
 * Parse three OCR'd MRZ lines with the core TD1 parser (repairs only where a check digit
 * confirms them) and give each field a confidence from its characters and its checks.
 */
export function mrzFromLines(lines: readonly RecognizedLine[], options: ParseMrzOptions = {}): MrzReading {
  const ocr = lines.map(stripSpaces);
  const name = ocr[2] ? nameLineLetters(ocr[2]) : undefined;
  if (name?.repaired) ocr[2] = name.line;
  const parsed = safeParseMrz(
    ocr.map((l) => l.text),
    options,
  );
  if (!parsed.ok) {
    return {
      ocr,
      mrz: undefined,
      fieldConfidence: {},
      confidence: 0,
      issues: [issue('idcard/mrz-unreadable', 'error', `the MRZ could not be parsed: ${parsed.error.code}`, 'mrz')],
    };
  }
  const mrz = parsed.value;
  const fieldConfidence: Partial<Record<Td1FieldName, number>> = {};
  const checkValid = new Map(mrz.checks.map((c) => [c.name, c.valid]));
  for (const f of mrz.fields) {
    const line = ocr[f.line];
    // character confidences line up with columns only when the line was read at its full length
    const chars: RecognizedChar[] =
      line && line.chars.length === 30 ? line.chars.slice(f.start, f.start + f.length) : (line?.chars ?? []);
    let c = chars.length ? Math.min(...chars.map((x) => x.confidence)) : 0;
    const checks = coveringChecks(f.line, f.start, f.length).filter((k) => checkValid.has(k.name));
    if (checks.length > 0 && checks.every((k) => checkValid.get(k.name))) c = 1 - (1 - c) * 0.1;
    if (!f.valid) c = Math.min(c, 0.3);
    fieldConfidence[f.name] = c;
  }
  const values = Object.values(fieldConfidence);
  const confidence = mrz.valid && values.length ? Math.min(...values) : Math.min(0.3, ...values);
  const issues = [...mrz.issues];
  if (name?.repaired)
    issues.push(
      issue(
        'idcard/mrz-name-repaired',
        'info',
        'digits read in the MRZ name line were taken as their look-alike letters',
        'mrz',
      ),
    );
  if (!mrz.valid) issues.push(issue('idcard/mrz-invalid', 'error', 'a check digit of the MRZ does not hold', 'mrz'));
  return { ocr, mrz, fieldConfidence, confidence, issues };
}

/** How many of a reading's MRZ check digits hold (−1: not parsed as TD1). */
const validChecks = (r: MrzReading): number => (r.mrz ? r.mrz.checks.filter((c) => c.valid).length : -1);

/**
 * Of two readings of one zone (the layout's line boxes first, then the lines found again in the
 * zone), the second is kept when it is fully valid and the first is not — every check digit can
 * hold in a zone a line-length error still spoils (a stray mark read after a line's 30 characters)
 * — or when more of its check digits hold; otherwise the first.
 *
 * @internal
 */
export function betterMrzReading(first: MrzReading, again: MrzReading): MrzReading {
  const valid = (r: MrzReading) => r.mrz?.valid === true;
  if (valid(again) !== valid(first)) return valid(again) ? again : first;
  return validChecks(again) > validChecks(first) ? again : first;
}

/** OCR the three MRZ line crops (top to bottom) with the OCR-B alphabet, then {@link mrzFromLines}. */
export async function readMrz(
  recognizer: LineRecognizer,
  lineImages: readonly RasterImage[],
  options: ParseMrzOptions = {},
): Promise<MrzReading> {
  const lines: RecognizedLine[] = [];
  for (const img of lineImages) lines.push(await recognizer.recognize(img, { field: 'mrz' }));
  return mrzFromLines(lines, options);
}
