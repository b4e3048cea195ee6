import type { MrzReading } from '../ocr/readMrz.js';
import type { FieldLines, ReadCardFieldsOptions } from './readCardFields.js';
import { readPrintedFields } from './readPrintedFields.js';

/** Formats whose reading is checked by rules (ID-number rules, dates, names against the list, sex). */
const CHECKED_FORMATS = new Set(['id-number', 'date', 'name', 'sex']);

/** How plausible a side's reading under one layout is ({@link readingPlausibility}). */
export interface ReadingPlausibility {
  /** 0–1: the mean of the evidence terms. */
  score: number;
  /**
   * The sum of the terms: how much of the card's print the reading explains. Two layouts print
   * different numbers of fields; a reading of the fewer that merely looks clean does not outweigh
   * one that finds more of the card's fields.
   */
  evidence: number;
}

/**
 * How plausible a side's reading under one layout is: the mean (and the sum) over the layout's fields of
 * the post-processed confidence for the fields the rules check (an ID number of the type's
 * length passing core's rules, a parseable date consistent with the ID's birth-year digits, a
 * name whose words are in the name list, a sex), of the recogniser's mean line confidence for the
 * free-text fields, and — counted twice, as it is the strongest evidence — of the share of the
 * MRZ's check digits that hold. Lines cut from a layout the card does not have land between the
 * printed lines or on labels: they read as noise that no rule accepts.
 *
 * @param lines - The side's field lines as read under the layout.
 * @param mrz - The MRZ read from the layout's MRZ zone, when it has one.
 * @param options - The card type and the name lexicon of the reading.
 */
export function readingPlausibility(
  lines: readonly FieldLines[],
  mrz: MrzReading | undefined,
  options: Pick<ReadCardFieldsOptions, 'cardType' | 'lexicon' | 'today'>,
): ReadingPlausibility {
  const { fields } = readPrintedFields(lines, options);
  const terms: number[] = [];
  for (const f of lines) {
    if (CHECKED_FORMATS.has(f.format)) {
      const v = fields[f.field];
      terms.push(v?.value === undefined ? 0 : v.confidence);
    } else {
      const c = f.lines.map((l) => (l.text.trim() === '' ? 0 : l.confidence));
      terms.push(c.length ? c.reduce((a, b) => a + b, 0) / c.length : 0);
    }
  }
  if (mrz) {
    const checks = mrz.mrz?.checks ?? [];
    const held = checks.length ? checks.filter((c) => c.valid).length / checks.length : 0;
    terms.push(held, held);
  }
  const evidence = terms.reduce((a, b) => a + b, 0);
  return { score: terms.length ? evidence / terms.length : 0, evidence };
}
