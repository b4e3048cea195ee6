/**
 * The TD1 (ID-1 card, 3 lines × 30 characters) layout of ICAO 9303 part 5 as data: where each
 * field is, which characters it may hold, and which check digit covers which characters.
 */

/** Characters a position may hold (the filler `<` is allowed everywhere). */
export type MrzCharClass = 'digit' | 'alpha' | 'alnum' | 'filler';

/** Name of a TD1 field. */
export type Td1FieldName =
  | 'documentCode'
  | 'issuingState'
  | 'documentNumber'
  | 'documentNumberCheck'
  | 'optionalData1'
  | 'dateOfBirth'
  | 'dateOfBirthCheck'
  | 'sex'
  | 'expiryDate'
  | 'expiryDateCheck'
  | 'nationality'
  | 'optionalData2'
  | 'compositeCheck'
  | 'name';

/** One field: line index (0–2), start column (0-based) and length. */
export interface Td1FieldSpec {
  name: Td1FieldName;
  line: 0 | 1 | 2;
  start: number;
  length: number;
  charClass: MrzCharClass;
}

/** The TD1 fields in order. */
export const td1Fields: readonly Td1FieldSpec[] = [
  { name: 'documentCode', line: 0, start: 0, length: 2, charClass: 'alpha' },
  { name: 'issuingState', line: 0, start: 2, length: 3, charClass: 'alpha' },
  { name: 'documentNumber', line: 0, start: 5, length: 9, charClass: 'alnum' },
  { name: 'documentNumberCheck', line: 0, start: 14, length: 1, charClass: 'digit' },
  { name: 'optionalData1', line: 0, start: 15, length: 15, charClass: 'alnum' },
  { name: 'dateOfBirth', line: 1, start: 0, length: 6, charClass: 'digit' },
  { name: 'dateOfBirthCheck', line: 1, start: 6, length: 1, charClass: 'digit' },
  { name: 'sex', line: 1, start: 7, length: 1, charClass: 'alpha' },
  { name: 'expiryDate', line: 1, start: 8, length: 6, charClass: 'digit' },
  { name: 'expiryDateCheck', line: 1, start: 14, length: 1, charClass: 'digit' },
  { name: 'nationality', line: 1, start: 15, length: 3, charClass: 'alpha' },
  { name: 'optionalData2', line: 1, start: 18, length: 11, charClass: 'alnum' },
  { name: 'compositeCheck', line: 1, start: 29, length: 1, charClass: 'digit' },
  { name: 'name', line: 2, start: 0, length: 30, charClass: 'alpha' },
];

/**
 * Vietnamese cards (issuing state `VNM`) narrow the classes: the document number is the last 9
 * digits of the 12-digit personal identification number, and optional data 1 is those 12
 * digits, `<<`, and a check digit over the 12 digits.
 */
export const td1VietnamClasses: Readonly<Record<string, MrzCharClass>> = {
  // "line:column" → class
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`0:${5 + i}`, 'digit'])),
  ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`0:${15 + i}`, 'digit'])),
  '0:27': 'filler',
  '0:28': 'filler',
  '0:29': 'digit',
};

/** Name of a check digit of a TD1 MRZ. `personalNumber` is the Vietnamese 12-digit check. */
export type MrzCheckName = 'documentNumber' | 'dateOfBirth' | 'expiryDate' | 'composite' | 'personalNumber';

/** A check digit: the character ranges it covers (`[line, start, end)`) and where it is. */
export interface Td1CheckSpec {
  name: MrzCheckName;
  ranges: readonly (readonly [line: number, start: number, end: number])[];
  at: readonly [line: number, column: number];
  /** Only on cards issued by Viet Nam. */
  vietnamOnly?: true;
}

/** Every TD1 check digit, individual checks before the composite one. */
export const td1Checks: readonly Td1CheckSpec[] = [
  { name: 'documentNumber', ranges: [[0, 5, 14]], at: [0, 14] },
  { name: 'dateOfBirth', ranges: [[1, 0, 6]], at: [1, 6] },
  { name: 'expiryDate', ranges: [[1, 8, 14]], at: [1, 14] },
  { name: 'personalNumber', ranges: [[0, 15, 27]], at: [0, 29], vietnamOnly: true },
  {
    name: 'composite',
    ranges: [
      [0, 5, 30],
      [1, 0, 7],
      [1, 8, 15],
      [1, 18, 29],
    ],
    at: [1, 29],
  },
];

/** Length of a TD1 line. */
export const TD1_LINE_LENGTH = 30;
