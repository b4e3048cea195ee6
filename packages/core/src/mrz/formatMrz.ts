import type { PartialDate, Sex } from '../identity/CitizenIdentity.js';
import { foldDiacritics } from '../text/foldDiacritics.js';
import { mrzCheckDigit } from './checkDigit.js';

/** Fields of a TD1 zone to write (see {@link formatTd1Mrz}). */
export interface Td1MrzInput {
  /** @default 'ID' */
  documentCode?: string;
  /** Three-letter code. @default 'VNM' */
  issuingState?: string;
  /** Up to 9 characters. */
  documentNumber: string;
  /** Up to 15 characters. @default '' */
  optionalData1?: string;
  dateOfBirth: PartialDate;
  /** @default '<' (unspecified) */
  sex?: Sex;
  /** Absent: `<<<<<<` (no expiry). */
  expiryDate?: PartialDate;
  /** @default the issuing state */
  nationality?: string;
  /** Up to 11 characters. @default '' */
  optionalData2?: string;
  /** Primary identifier (family name), any script: diacritics are removed. */
  surname: string;
  /** Secondary identifiers (middle and given names). @default '' */
  givenNames?: string;
}

const two = (n: number | undefined): string => (n === undefined || n === 0 ? '<<' : String(n).padStart(2, '0'));

function yymmdd(d: PartialDate): string {
  return `${String(d.year % 100).padStart(2, '0')}${two(d.month)}${two(d.day)}`;
}

/** Upper-case MRZ characters: diacritics removed, anything else a filler. */
function mrzText(s: string): string {
  return foldDiacritics(s.normalize('NFC'))
    .toUpperCase()
    .replace(/[^A-Z0-9<]/g, '<');
}

/** Words of a name joined by single fillers. */
function mrzName(s: string): string {
  return mrzText(s).split('<').filter(Boolean).join('<');
}

function field(s: string, length: number): string {
  const t = mrzText(s);
  if (t.length > length)
    throw new RangeError(`[@smart-citizen/core] MRZ field "${t}" is longer than ${length} characters`);
  return t.padEnd(length, '<');
}

/**
 * Write a TD1 zone (3 × 30 characters) with its check digits: the inverse of `parseMrz` for
 * generators and software cards. Names are written without diacritics, words joined by `<`,
 * family and given names by `<<`, truncated to 30 characters.
 *
 * @param input - {@link Td1MrzInput}.
 * @returns The three lines.
 * @throws RangeError when a field is longer than its place.
 */
export function formatTd1Mrz(input: Td1MrzInput): [string, string, string] {
  const state = field(input.issuingState ?? 'VNM', 3);
  const docNumber = field(input.documentNumber, 9);
  const line1 = `${field(input.documentCode ?? 'ID', 2)}${state}${docNumber}${mrzCheckDigit(docNumber)}${field(input.optionalData1 ?? '', 15)}`;
  const dob = yymmdd(input.dateOfBirth);
  const exp = input.expiryDate ? yymmdd(input.expiryDate) : '<<<<<<';
  const expCheck = String(mrzCheckDigit(exp));
  const start2 = `${dob}${mrzCheckDigit(dob)}${input.sex ?? '<'}${exp}${expCheck}${field(input.nationality ?? input.issuingState ?? 'VNM', 3)}${field(input.optionalData2 ?? '', 11)}`;
  const composite = mrzCheckDigit(line1.slice(5) + start2.slice(0, 7) + start2.slice(8, 15) + start2.slice(18, 29));
  const surname = mrzName(input.surname);
  const given = mrzName(input.givenNames ?? '');
  const line3 = (given === '' ? surname : `${surname}<<${given}`).slice(0, 30).padEnd(30, '<');
  return [line1, `${start2}${composite}`, line3];
}

/** Identity of a Vietnamese card holder for {@link formatVietnamTd1Mrz}. */
export interface VietnamTd1Input {
  /** The 12-digit personal identification number. */
  personalNumber: string;
  /** The full name as printed, e.g. `Ưng Hoàng Hiệp`: the first word is the family name. */
  fullName: string;
  dateOfBirth: PartialDate;
  sex: Sex;
  /** Absent for cards without expiry. */
  expiryDate?: PartialDate;
  /** @default 'ID' */
  documentCode?: string;
}

/**
 * The TD1 zone of a Vietnamese CCCD (2021) or Căn cước (2024) card: document number = the last
 * 9 digits of the personal number, optional data 1 = the 12 digits, `<<`, their check digit.
 *
 * @param input - {@link VietnamTd1Input}.
 * @returns The three lines.
 * @throws RangeError when the personal number is not 12 digits.
 * @example formatVietnamTd1Mrz({ personalNumber: '001093047064', fullName: 'Ưng Hoàng Hiệp', dateOfBirth: { year: 1993, month: 1, day: 5 }, sex: 'M', expiryDate: { year: 2033, month: 1, day: 5 } })[0] // 'IDVNM0930470641001093047064<<2'
 */
export function formatVietnamTd1Mrz(input: VietnamTd1Input): [string, string, string] {
  if (!/^\d{12}$/.test(input.personalNumber))
    throw new RangeError('[@smart-citizen/core] a personal number has 12 digits');
  const words = input.fullName.trim().split(/\s+/);
  return formatTd1Mrz({
    documentCode: input.documentCode ?? 'ID',
    issuingState: 'VNM',
    documentNumber: input.personalNumber.slice(3),
    optionalData1: `${input.personalNumber}<<${mrzCheckDigit(input.personalNumber)}`,
    dateOfBirth: input.dateOfBirth,
    sex: input.sex,
    ...(input.expiryDate ? { expiryDate: input.expiryDate } : {}),
    nationality: 'VNM',
    surname: words[0] ?? '',
    givenNames: words.slice(1).join(' '),
  });
}
