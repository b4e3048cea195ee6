export { MRZ_ALPHABET, mrzCharValue, mrzCheckDigit } from './checkDigit.js';
export { TD1_LINE_LENGTH, td1Checks, td1Fields, td1VietnamClasses } from './td1Layout.js';
export type { MrzCharClass, MrzCheckName, Td1CheckSpec, Td1FieldName, Td1FieldSpec } from './td1Layout.js';
export { MRZ_DIGIT_LOOKALIKES, parseMrz, safeParseMrz } from './parseMrz.js';
export type { MrzCheck, MrzField, MrzRepair, ParsedMrz, ParseMrzOptions, SafeParseMrzResult } from './parseMrz.js';
export { formatTd1Mrz, formatVietnamTd1Mrz } from './formatMrz.js';
export type { Td1MrzInput, VietnamTd1Input } from './formatMrz.js';
