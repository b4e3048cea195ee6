import { centuryDigits, formatDate, type PartialDate, provinceCodes, type Rng, type Sex } from '@smart-citizen/core';
import { formatVietnamTd1Mrz } from '@smart-citizen/core';
import { vietnameseNames } from '@smart-citizen/qr/testing';
import type { CardFieldName, CardType } from '../cardTypes.js';

/** Lists to draw names from: `[name, weight]` pairs (weights are relative frequencies). */
export interface NameLists {
  family: readonly (readonly [string, number])[];
  /** Middle + given names (one or more words) by sex. */
  givenMale: readonly string[];
  givenFemale: readonly string[];
}

/** An administrative unit before and after the 2025 reorganisation. */
export interface AdminUnit {
  oldWard: string;
  oldDistrict: string;
  oldProvince: string;
  newWard: string;
  newProvince: string;
}

/** A generated card holder and every field any card type prints. */
export interface GeneratedIdentity {
  cardType: CardType;
  /** The card number: 12 digits, or 9 for `cmnd-9`. */
  idNumber: string;
  fullName: string;
  dateOfBirth: PartialDate;
  sex: Sex;
  nationality: string;
  ethnicity: string;
  religion: string;
  placeOfOrigin: string;
  placeOfResidence: string;
  placeOfBirthRegistration: string;
  issueDate: PartialDate;
  /** Absent when the card does not expire (holders over 60). */
  expiryDate?: PartialDate;
  issuePlace: string;
  personalIdentification: string;
  /** CCCD 2021 / Căn cước 2024: the three MRZ lines. */
  mrz?: [string, string, string];
  /** CCCD 2021 / 2024: the QR text `ID|CMND|name|DDMMYYYY|sex|address|issue DDMMYYYY`. */
  qrText?: string;
}

const MARKS = [
  'Nốt ruồi C:1cm dưới sau mép trái',
  'Sẹo chấm C:2cm trên trước đầu mày phải',
  'Nốt ruồi C:1,5cm trên sau cánh mũi phải',
  'Sẹo chấm C:3cm dưới trước tai trái',
  'Nốt ruồi C:2cm dưới trước đuôi mắt trái',
];
const ETHNIC = ['Kinh', 'Kinh', 'Kinh', 'Kinh', 'Tày', 'Thái', 'Mường', 'Khơ Me', 'Hoa', 'Nùng'];
const RELIGION = ['Không', 'Không', 'Không', 'Phật giáo', 'Công giáo'];

/** The built-in name lists (from `@smart-citizen/qr/testing`), used when `../shared/data/names` is absent. */
export const builtinNameLists: NameLists = {
  family: vietnameseNames.family.map((n) => [n, 1] as const),
  givenMale: vietnameseNames.middleMale.flatMap((m) => vietnameseNames.givenMale.map((g) => `${m} ${g}`)),
  givenFemale: vietnameseNames.middleFemale.flatMap((m) => vietnameseNames.givenFemale.map((g) => `${m} ${g}`)),
};

function weighted(rng: Rng, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng.next() * total;
  for (const [name, w] of items) {
    r -= w;
    if (r < 0) return name;
  }
  return items[items.length - 1]?.[0] ?? '';
}

function randomDate(rng: Rng, fromYear: number, toYear: number): PartialDate {
  const month = rng.int(1, 12);
  return { year: rng.int(fromYear, toYear), month, day: rng.int(1, month === 2 ? 28 : 30) };
}

const addYears = (d: PartialDate, years: number): PartialDate => ({ ...d, year: d.year + years });

/**
 * The expiry of a CCCD / Căn cước card (Law 19/2014 art. 21, Law 26/2023 art. 21): the card is
 * renewed at 25, 40 and 60; the expiry is the next of those birthdays after issue, none after 60.
 */
function cardExpiry(dob: PartialDate, issue: PartialDate): PartialDate | undefined {
  const age = issue.year - dob.year;
  for (const limit of [25, 40, 60]) if (age < limit - 2) return addYears(dob, limit);
  return undefined;
}

const oldAddress = (u: AdminUnit): string => `${u.oldWard}, ${u.oldDistrict}, ${u.oldProvince}`;
const newAddress = (u: AdminUnit): string => `${u.newWard}, ${u.newProvince}`;

/**
 * A random but valid identity for one card type: a real province code and century/sex digit
 * that agree with the date of birth and sex (core rules), a name from the lists, real
 * administrative units (old units on cards issued before 1 July 2025, new ones on Căn cước
 * 2024 cards issued after it), an issue date inside the type's issuing years, the expiry rule,
 * and the matching MRZ and QR text.
 *
 * @param rng - Seeded random source.
 * @param cardType - The card to fill.
 * @param names - Name lists ({@link builtinNameLists} when absent).
 * @param units - Administrative units (e.g. from `@smart-citizen/forms` `loadAddressTables`).
 */
export function randomIdentity(
  rng: Rng,
  cardType: CardType,
  names: NameLists,
  units: readonly AdminUnit[],
): GeneratedIdentity {
  const issueYears: Record<CardType, [number, number]> = {
    'cmnd-9': [2000, 2015],
    'cmnd-12': [2012, 2016],
    'cccd-2016': [2016, 2020],
    'cccd-2021': [2021, 2024],
    'cancuoc-2024': [2024, 2025],
  };
  const [fromIssue, toIssue] = issueYears[cardType];
  const sex: Sex = rng.next() < 0.5 ? 'M' : 'F';
  const dateOfBirth = randomDate(rng, 1945, toIssue - 15);
  const issueDate = randomDate(rng, Math.max(fromIssue, dateOfBirth.year + 15), toIssue);
  const province = rng.pick(provinceCodes);
  const century = dateOfBirth.year >= 2000 ? 2000 : 1900;
  const digit = centuryDigits.find((c) => c.century === century && c.sex === sex)?.digit ?? 0;
  const serial = String(rng.int(0, 999_999)).padStart(6, '0');
  const idNumber =
    cardType === 'cmnd-9'
      ? `${String(rng.int(1, 38)).padStart(2, '0')}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`
      : `${province.code}${digit}${String(dateOfBirth.year % 100).padStart(2, '0')}${serial}`;
  const fullName = `${weighted(rng, names.family)} ${rng.pick(sex === 'M' ? names.givenMale : names.givenFemale)}`;
  const origin = rng.pick(units);
  const home = rng.pick(units);
  const afterReform =
    cardType === 'cancuoc-2024' && (issueDate.year > 2025 || (issueDate.year === 2025 && (issueDate.month ?? 1) >= 7));
  const street = `Số ${rng.int(1, 300)} ${rng.pick(vietnameseNames.streets)}`;
  const placeOfResidence = afterReform ? `${street}, ${newAddress(home)}` : `${street}, ${oldAddress(home)}`;
  const expiryDate =
    cardType === 'cmnd-9'
      ? undefined
      : cardType === 'cmnd-12'
        ? addYears(issueDate, 15)
        : cardExpiry(dateOfBirth, issueDate);
  const identity: GeneratedIdentity = {
    cardType,
    idNumber,
    fullName,
    dateOfBirth,
    sex,
    nationality: 'Việt Nam',
    ethnicity: rng.pick(ETHNIC),
    religion: rng.pick(RELIGION),
    placeOfOrigin: afterReform ? newAddress(origin) : `${origin.oldWard}, ${origin.oldDistrict}, ${origin.oldProvince}`,
    placeOfResidence,
    placeOfBirthRegistration: afterReform ? newAddress(origin) : oldAddress(origin),
    issueDate,
    ...(expiryDate ? { expiryDate } : {}),
    issuePlace: cardType === 'cmnd-9' || cardType === 'cmnd-12' ? `CA ${province.name}` : 'Cục Cảnh sát QLHC về TTXH',
    personalIdentification: rng.pick(MARKS),
  };
  if (cardType === 'cccd-2021' || cardType === 'cancuoc-2024') {
    identity.mrz = formatVietnamTd1Mrz({
      personalNumber: idNumber,
      fullName,
      dateOfBirth,
      sex,
      ...(expiryDate ? { expiryDate } : {}),
    });
    identity.qrText = [
      idNumber,
      '',
      fullName,
      formatDate(dateOfBirth, 'ddmmyyyy'),
      sex === 'M' ? 'Nam' : 'Nữ',
      placeOfResidence,
      formatDate(issueDate, 'ddmmyyyy'),
    ].join('|');
  }
  return identity;
}

/**
 * The text a card prints for a field, as the card writes it (dates `dd/mm/yyyy`, sex `Nam`/`Nữ`,
 * names in upper case where the layout says so). `Không thời hạn` for a card without expiry.
 */
export function printedFieldText(identity: GeneratedIdentity, field: CardFieldName, upperCase = false): string {
  let text: string;
  switch (field) {
    case 'dateOfBirth':
    case 'issueDate':
      text = formatDate(identity[field], 'dd/mm/yyyy');
      break;
    case 'expiryDate':
      text = identity.expiryDate ? formatDate(identity.expiryDate, 'dd/mm/yyyy') : 'Không thời hạn';
      break;
    case 'sex':
      text = identity.sex === 'M' ? 'Nam' : 'Nữ';
      break;
    default:
      text = identity[field];
  }
  return upperCase ? text.toLocaleUpperCase('vi') : text;
}
