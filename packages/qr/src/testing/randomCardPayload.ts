import { centuryDigits, formatDate, type PartialDate, provinceCodes, type Sex } from '@smart-citizen/core';
import type { Rng } from '@smart-citizen/core';
import {
  districtNames,
  familyNames,
  givenNamesFemale,
  givenNamesMale,
  middleNamesFemale,
  middleNamesMale,
  streetNames,
  wardNames,
} from './vietnameseNames.js';

/** A generated card payload and the facts it encodes. */
export interface GeneratedCardPayload {
  /** The QR text, `ID|CMND|name|DDMMYYYY|Nam/Nữ|address|DDMMYYYY`. */
  text: string;
  idNumber: string;
  oldIdNumber: string;
  fullName: string;
  dateOfBirth: PartialDate;
  sex: Sex;
  placeOfResidence: string;
  issueDate: PartialDate;
}

/** Options of {@link randomCardPayload}. */
export interface RandomCardPayloadOptions {
  /**
   * Latest issue date.
   * @default 2025-12-31
   */
  latestIssue?: PartialDate;
  /**
   * Share of payloads with extra trailing fields, as some 2024 cards carry.
   * @default 0.1
   */
  extraFieldShare?: number;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function randomDate(rng: Rng, fromYear: number, toYear: number): PartialDate {
  const year = rng.int(fromYear, toYear);
  const month = rng.int(1, 12);
  const day = rng.int(1, month === 2 ? 28 : 30);
  return { year, month, day };
}

/**
 * A random but internally consistent CCCD / Căn cước QR payload: a 12-digit number with a real
 * province code, the century/sex digit and birth-year digits that agree with the date of birth
 * and sex, a Vietnamese name with diacritics, an address, and an issue date after the
 * 14th birthday between 2021 and `latestIssue`.
 *
 * @param rng - Seeded random source.
 * @param options - {@link RandomCardPayloadOptions}.
 * @returns The payload and its facts.
 */
export function randomCardPayload(rng: Rng, options: RandomCardPayloadOptions = {}): GeneratedCardPayload {
  const latest = options.latestIssue ?? { year: 2025, month: 12, day: 31 };
  const sex: Sex = rng.next() < 0.5 ? 'M' : 'F';
  const dateOfBirth = randomDate(rng, 1940, Math.min(2010, latest.year - 15));
  const century = dateOfBirth.year >= 2000 ? 2000 : 1900;
  const digit = centuryDigits.find((c) => c.century === century && c.sex === sex)?.digit ?? 0;
  const province = rng.pick(provinceCodes);
  const idNumber = `${province.code}${digit}${pad(dateOfBirth.year % 100, 2)}${pad(rng.int(1, 999_999), 6)}`;
  const hasOld = dateOfBirth.year < 2006 && rng.next() < 0.7;
  const oldIdNumber = hasOld ? `${rng.int(1, 38).toString().padStart(2, '0')}${pad(rng.int(0, 9_999_999), 7)}` : '';
  const male = sex === 'M';
  const fullName = [
    rng.pick(familyNames),
    rng.pick(male ? middleNamesMale : middleNamesFemale),
    ...(rng.next() < 0.3 ? [rng.pick(male ? givenNamesMale : givenNamesFemale)] : []),
    rng.pick(male ? givenNamesMale : givenNamesFemale),
  ].join(' ');
  const placeOfResidence = `Số ${rng.int(1, 300)} ${rng.pick(streetNames)}, ${rng.pick(wardNames)}, ${rng.pick(districtNames)}, ${province.fullName}`;
  const firstIssue = Math.max(2021, dateOfBirth.year + 14);
  const issueDate = randomDate(rng, firstIssue, Math.max(firstIssue, latest.year));
  const fields = [
    idNumber,
    oldIdNumber,
    fullName,
    formatDate(dateOfBirth, 'ddmmyyyy'),
    male ? 'Nam' : 'Nữ',
    placeOfResidence,
    formatDate(issueDate, 'ddmmyyyy'),
  ];
  if (rng.next() < (options.extraFieldShare ?? 0.1)) fields.push('', '');
  return {
    text: fields.join('|'),
    idNumber,
    oldIdNumber,
    fullName,
    dateOfBirth,
    sex,
    placeOfResidence,
    issueDate,
  };
}
