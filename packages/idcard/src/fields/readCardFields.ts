import type { Issue, ParsedMrz, PartialDate, Sex } from '@smart-citizen/core';
import type { CardFieldName, CardType } from '../cardTypes.js';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import type { FieldFormat } from '../layout/CardLayout.js';
import { LOW_CONFIDENCE } from './FieldReading.js';
import { type ConfirmedFields, fuseConfirmed } from './fuseSources.js';
import { readPrintedFields } from './readPrintedFields.js';
import type { NameLexicon } from './nameLexicon.js';
import type { PlaceMatcher } from './PlaceMatcher.js';
import { reconcileBirth } from './reconcileBirth.js';

/** One field of a card after post-processing: the value in its printed form, and how sure the reader is. */
export interface FieldValue {
  /** The value as the card prints it (dates `dd/mm/yyyy`, sex `Nam`/`Nữ`, names upper case); absent when unreadable. */
  value: string | undefined;
  /** 0–1; below {@link LOW_CONFIDENCE} an `idcard/low-confidence` issue says so. */
  confidence: number;
  /** The OCR text before repairs. */
  text: string;
  /** Parsed date (or `'none'`: "Không thời hạn") for date fields, `M`/`F` for sex. */
  parsed?: PartialDate | 'none' | Sex;
  /** The crop lay under glare: the value may be incomplete. */
  underGlare?: boolean;
}

/** What {@link readCardFields} needs beside the OCR lines. */
export interface ReadCardFieldsOptions {
  /** The MRZ of the same card (either side), for the cross-checks. */
  mrz?: ParsedMrz | undefined;
  /** Names by role; @default the small shipped list */
  lexicon?: NameLexicon | undefined;
  /** Administrative units; without one places are returned as read. */
  places?: PlaceMatcher | undefined;
  /** Fields printed on the other side of the same card (a CMND back has no date of birth; its ID does). */
  otherSide?: Partial<Record<CardFieldName, FieldValue>> | undefined;
  /** @default new Date() */
  today?: Date;
  /** The card's type: on CCCD and Căn cước cards the expiry is a birthday (see {@link reconcileBirth}). */
  cardType?: CardType | undefined;
  /**
   * Values the card's MRZ check digits or QR payload vouch for ({@link confirmedByMrz},
   * {@link confirmedByQr}): they win over a disagreeing reading of the print, which stays
   * reported (see {@link fuseConfirmed}).
   */
  confirmed?: ConfirmedFields | undefined;
}

/** The raw OCR of one field: its lines, and how the layout says it is written. */
export interface FieldLines {
  field: CardFieldName;
  format: FieldFormat;
  lines: RecognizedLine[];
}

/**
 * Post-process the OCR lines of one card side into field values with confidences: dates,
 * ID-number rules, sex and nationality from core; names against the name lexicon; places
 * against the administrative units; and every field the MRZ also carries (number, name without
 * diacritics, date of birth, sex, expiry, nationality) cross-checked with it. A disagreement is
 * an error issue and holds the field's confidence at 0.3 or below. Values the card's MRZ or QR
 * vouch for (`options.confirmed`) then win over a disagreeing reading ({@link fuseConfirmed}).
 */
export function readCardFields(
  raw: readonly FieldLines[],
  options: ReadCardFieldsOptions = {},
): { fields: Partial<Record<CardFieldName, FieldValue>>; issues: Issue[] } {
  const { fields, issues, lines } = readPrintedFields(raw, options);
  if (options.confirmed) fuseConfirmed(fields, issues, options.confirmed, lines);
  return { fields, issues };
}
