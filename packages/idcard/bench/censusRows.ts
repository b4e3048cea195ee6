import type { Issue } from '@smart-citizen/core';
import type { CardFieldName, CardSide, CardType } from '../src/cardTypes.js';
import type { Quad } from '../src/geometry/findCardQuad.js';
import type { CardPhotoTruth } from '../src/testing/index.js';
import { mrzRight, scoredText, worstCornerMm } from './fieldTally.js';

/** The fields issue #14 sets targets for, in the order the census lists them. */
export const CENSUS_FIELDS = [
  'idNumber',
  'dateOfBirth',
  'fullName',
  'placeOfOrigin',
  'placeOfResidence',
  'placeOfBirthRegistration',
] as const satisfies readonly CardFieldName[];

/** An outline whose worst corner is further than this from the generator's is off (mm on the card). */
export const OUTLINE_OFF_MM = 1;

/** The census's causes, from the side's whole loss to one field's. */
export const MISS_CAUSES = ['unread', 'type', 'outline', 'mrz', 'field'] as const;

/**
 * Why a side lost something, roughly: the side was not read at all, was read as another type or
 * side, was read with an outline more than {@link OUTLINE_OFF_MM} off, or was read right and
 * still lost its MRZ or a field (line OCR or post-processing).
 */
export type MissCause = (typeof MISS_CAUSES)[number];

/** What the census needs of a photo's truth. */
export type CensusTruth = Pick<CardPhotoTruth, 'type' | 'side' | 'level' | 'quad' | 'fields' | 'mrz'> & {
  parameters: Pick<CardPhotoTruth['parameters'], 'cardWidthPx'>;
};

/** What the census needs of the reader's answer for the side (`SideResult` is one). */
export interface CensusSide {
  status: string;
  issues: readonly Issue[];
  quad?: Quad;
  documentType?: CardType;
  side?: CardSide;
  fields?: Partial<Record<CardFieldName, { value: string | undefined; confidence: number; text?: string }>>;
  mrz?: { valid: boolean; lines: readonly string[] };
  mrzConfidence?: number;
}

/** One row of the census: a target field (or the MRZ) missed, or an outline off or typed wrong with nothing missed. */
export interface CensusRow {
  photo: string;
  type: CardType;
  side: CardSide;
  level: number;
  /** Worst corner's error in mm; `null` when the reader gave no outline. */
  'corner mm': number | null;
  /** `type/side` as classified, or the status of a side not read. */
  'read as': string;
  /** The field missed, `mrz`, or `–` for an outline off or typed wrong that cost no target field. */
  field: string;
  truth: string;
  read: string;
  conf: number | null;
  /** The raw line OCR of the field, before post-processing. */
  ocr: string;
  cause: MissCause;
  /** The side's issue codes, each once. */
  issues: string;
  [column: string]: string | number | null;
}

/** The side's cause, before its fields are looked at; `undefined` when it was read right with a good outline. */
export function sideCause(truth: CensusTruth, r: CensusSide): MissCause | undefined {
  if (r.status !== 'read') return 'unread';
  if (r.documentType !== truth.type || r.side !== truth.side) return 'type';
  if (r.quad && worstCornerMm(r.quad, truth) > OUTLINE_OFF_MM) return 'outline';
  return undefined;
}

/**
 * The census rows of one photo: each target field whose reading is not the printed text (scored as
 * the idcard bench scores it: a side not read or read as another type misses every field), the MRZ
 * when it is not fully valid and equal to the printed one, and one row for an outline off or a
 * type wrong that missed nothing. A photo read right has no row.
 */
export function censusRows(photo: string, truth: CensusTruth, r: CensusSide): CensusRow[] {
  const cause = sideCause(truth, r);
  const corner = r.quad ? Math.round(worstCornerMm(r.quad, truth) * 100) / 100 : null;
  const base = {
    photo,
    type: truth.type,
    side: truth.side,
    level: truth.level,
    'corner mm': corner,
    'read as': r.status === 'read' ? `${r.documentType}/${r.side}` : r.status,
  };
  const issues = [...new Set(r.issues.map((i) => i.code))].join(' ');
  const scored = cause !== 'unread' && cause !== 'type';
  const rows: CensusRow[] = [];
  for (const field of CENSUS_FIELDS) {
    const want = truth.fields[field];
    if (want === undefined) continue;
    const got = r.fields?.[field];
    if (scored && got?.value !== undefined && scoredText(got.value) === scoredText(want)) continue;
    rows.push({
      ...base,
      field,
      truth: want,
      read: got?.value ?? '',
      conf: got ? Math.round(got.confidence * 100) / 100 : null,
      ocr: got?.text ?? '',
      cause: cause ?? 'field',
      issues,
    });
  }
  if (truth.mrz && !mrzRight(r, truth))
    rows.push({
      ...base,
      field: 'mrz',
      truth: truth.mrz.join(' / '),
      read: r.mrz ? `${r.mrz.lines.join(' / ')}${r.mrz.valid ? '' : ' (invalid)'}` : '',
      conf: r.mrzConfidence === undefined ? null : Math.round(r.mrzConfidence * 100) / 100,
      ocr: '',
      cause: cause ?? 'mrz',
      issues,
    });
  if (rows.length === 0 && cause)
    rows.push({ ...base, field: '–', truth: '', read: '', conf: null, ocr: '', cause, issues });
  return rows;
}
