import { type Issue, type PartialDate, type Sex, formatDate, issue } from '@smart-citizen/core';
import type { CardFieldName } from '../cardTypes.js';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { type FieldReading, LOW_CONFIDENCE, joinLines } from './FieldReading.js';
import type { FieldLines, FieldValue, ReadCardFieldsOptions } from './readCardFields.js';
import { type CardDateKind, readDate } from './readDate.js';
import { readIdNumber } from './readIdNumber.js';
import { readName } from './readName.js';
import { readNationality } from './readNationality.js';
import { readSex } from './readSex.js';
import { reconcileBirth } from './reconcileBirth.js';

/** The printed fields of one side, and each field's OCR line after the birth-date reconciliation. @internal */
export interface PrintedFields {
  fields: Partial<Record<CardFieldName, FieldValue>>;
  issues: Issue[];
  lines: Map<CardFieldName, RecognizedLine>;
}

const dateKind: Partial<Record<CardFieldName, CardDateKind>> = {
  dateOfBirth: 'birth',
  expiryDate: 'expiry',
  issueDate: 'issue',
};

function toValue(r: FieldReading<unknown>, render: (v: never) => string = String): FieldValue {
  return {
    value: r.value === undefined ? undefined : render(r.value as never),
    confidence: r.confidence,
    text: r.text,
  };
}

function plainText(line: RecognizedLine, path: string, issues: Issue[]): FieldValue {
  const text = line.text.normalize('NFC').trim().replace(/\s+/g, ' ');
  const confidence = text === '' ? 0 : line.confidence;
  if (text === '') issues.push(issue('idcard/field-unreadable', 'error', 'nothing was read in the field', path));
  else if (confidence < LOW_CONFIDENCE)
    issues.push(issue('idcard/low-confidence', 'warning', 'the field was read with low confidence', path));
  return { value: text === '' ? undefined : text, confidence, text };
}

/**
 * {@link readCardFields} before the fusion with the card's confirmed values: the OCR lines of one
 * side post-processed into field values with confidences: dates,
 * ID-number rules, sex and nationality from core; names against the name lexicon; places
 * against the administrative units; and every field the MRZ also carries (number, name without
 * diacritics, date of birth, sex, expiry, nationality) cross-checked with it. A disagreement is
 * an error issue and holds the field's confidence at 0.3 or below. `options.confirmed` is not used
 * here: {@link fuseConfirmed} takes the result's `lines`.
 *
 * @internal
 */
export function readPrintedFields(raw: readonly FieldLines[], options: ReadCardFieldsOptions = {}): PrintedFields {
  const mrz = options.mrz?.valid ? options.mrz : undefined;
  const today = options.today ?? new Date();
  const fields: Partial<Record<CardFieldName, FieldValue>> = {};
  const issues: Issue[] = [];
  const take = (r: FieldReading<unknown>, field: CardFieldName, render?: (v: never) => string): FieldValue => {
    issues.push(...r.issues);
    const v = toValue(r, render);
    fields[field] = v;
    return v;
  };
  const byField = new Map(raw.map((f) => [f.field, f]));
  const joined = new Map(raw.map((f) => [f.field, joinLines(f.lines)]));
  const sexRead = byField.get('sex');
  const idField = raw.find((f) => f.format === 'id-number');
  // the date of birth against the ID number's birth-year digits and a CCCD's expiry (a birthday)
  const birth = reconcileBirth(
    {
      idNumber: idField ? joined.get(idField.field) : undefined,
      dateOfBirth: joined.get('dateOfBirth'),
      expiryDate: joined.get('expiryDate'),
    },
    {
      expiryIsBirthday: options.cardType !== undefined && !options.cardType.startsWith('cmnd'),
      sex: sexRead ? readSex(joinLines(sexRead.lines), mrz?.sex).value : undefined,
    },
  );
  issues.push(...birth.issues);
  for (const k of ['dateOfBirth', 'expiryDate'] as const) {
    const l = birth.lines[k];
    if (l) joined.set(k, l);
  }
  const line = (f: FieldLines): RecognizedLine =>
    (f.format === 'id-number' ? birth.lines.idNumber : undefined) ?? (joined.get(f.field) as RecognizedLine);
  // sex and date of birth first: the ID number's digits are checked against them
  let sex: Sex | undefined;
  let dob: PartialDate | undefined;
  const sexLines = byField.get('sex');
  if (sexLines) {
    const r = readSex(line(sexLines), mrz?.sex);
    sex = r.value;
    take(r, 'sex', (v: Sex) => (v === 'M' ? 'Nam' : 'Nữ'));
    if (r.value) (fields.sex as FieldValue).parsed = r.value;
  }
  for (const f of raw) {
    const kind = dateKind[f.field];
    if (!kind) continue;
    const mrzDate = kind === 'birth' ? mrz?.dateOfBirth : kind === 'expiry' ? mrz?.expiryDate : undefined;
    const r = readDate(line(f), { kind, path: f.field, mrz: mrzDate, today });
    if (f.field === 'dateOfBirth' && r.value !== 'none') dob = r.value;
    const v = take(r, f.field, (d: PartialDate | 'none') => (d === 'none' ? 'Không thời hạn' : formatDate(d)));
    if (r.value !== undefined) v.parsed = r.value;
  }
  const other = options.otherSide;
  const otherSex = other?.sex?.parsed;
  const otherDob = other?.dateOfBirth?.parsed;
  for (const f of raw) {
    if (f.field === 'sex' || dateKind[f.field]) continue;
    const l = line(f);
    switch (f.format) {
      case 'id-number':
        take(
          readIdNumber(l, {
            dateOfBirth: dob ?? (typeof otherDob === 'object' ? otherDob : undefined),
            sex: sex ?? (otherSex === 'M' || otherSex === 'F' ? otherSex : undefined),
            mrzNumber: mrz?.personalNumber ?? mrz?.documentNumber,
            digits: options.cardType === undefined ? undefined : options.cardType === 'cmnd-9' ? 9 : 12,
            today,
          }),
          f.field,
        );
        break;
      case 'name':
        take(
          readName(l, { lexicon: options.lexicon, mrzName: mrz?.fullName, syllables: options.places?.syllables }),
          f.field,
        );
        break;
      case 'place':
        if (options.places && f.field === 'issuePlace') take(options.places.readIssuePlace(l, f.field), f.field);
        else if (options.places) take(options.places.read(l, f.field), f.field);
        else fields[f.field] = plainText(l, f.field, issues);
        break;
      default:
        if (f.field === 'nationality') take(readNationality(l, mrz?.nationality), f.field);
        else fields[f.field] = plainText(l, f.field, issues);
    }
  }
  return { fields, issues, lines: new Map(raw.map((f) => [f.field, line(f)])) };
}
