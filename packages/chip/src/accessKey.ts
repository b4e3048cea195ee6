import { sha1 } from '@noble/hashes/legacy.js';
import { mrzCheckDigit } from '@smart-citizen/core';

/** The MRZ fields that make the BAC key (and the PACE password when PACE runs with MRZ). */
export interface MrzKey {
  /** Document number as printed in the MRZ (9 characters on the CCCD; longer ones use the full number). */
  documentNumber: string;
  /** Date of birth, `YYMMDD` as in the MRZ. */
  dateOfBirth: string;
  /** Date of expiry, `YYMMDD` as in the MRZ. */
  dateOfExpiry: string;
}

/** The access key a reader tries: the Card Access Number (PACE) and/or the MRZ fields (PACE or BAC). */
export interface AccessKey {
  /** CAN: on the CCCD and Căn cước, the last 6 digits of the 12-digit ID number. */
  can?: string;
  mrz?: MrzKey;
}

/**
 * The MRZ information of ICAO 9303-11 §9.7.2: document number, date of birth and date of
 * expiry, each followed by its check digit.
 * @throws RangeError when a date is not 6 digits or the document number is empty or not MRZ characters
 */
export function mrzInformation(key: MrzKey): string {
  const doc = key.documentNumber.toUpperCase().replace(/\s/g, '');
  if (!/^[0-9A-Z<]{1,}$/.test(doc)) throw new RangeError('documentNumber must be MRZ characters (0-9, A-Z, <)');
  for (const [name, v] of [
    ['dateOfBirth', key.dateOfBirth],
    ['dateOfExpiry', key.dateOfExpiry],
  ] as const) {
    if (!/^\d{6}$/.test(v)) throw new RangeError(`${name} must be YYMMDD`);
  }
  const padded = doc.padEnd(9, '<');
  const cd = (f: string) => mrzCheckDigit(f) ?? 0; // characters were checked above
  return `${padded}${cd(padded)}${key.dateOfBirth}${cd(key.dateOfBirth)}${key.dateOfExpiry}${cd(key.dateOfExpiry)}`;
}

/** SHA-1 of the MRZ information: the BAC key seed source and the PACE MRZ password. */
export function mrzPassword(key: MrzKey): Uint8Array {
  return sha1(new TextEncoder().encode(mrzInformation(key)));
}

/**
 * Check a CAN: 6 digits.
 * @throws RangeError
 */
export function checkCan(can: string): Uint8Array {
  if (!/^\d{6}$/.test(can)) throw new RangeError('CAN must be 6 digits (the last 6 of the 12-digit ID number)');
  return new TextEncoder().encode(can);
}

/** The CAN of a CCCD / Căn cước: the last 6 digits of its 12-digit ID number. */
export function canFromIdNumber(idNumber: string): string {
  if (!/^\d{12}$/.test(idNumber)) throw new RangeError('idNumber must be 12 digits');
  return idNumber.slice(6);
}

/** The BAC / PACE MRZ key from a TD1 zone parsed by core's `parseMrz` (e.g. from DG1, or OCR of the card back). */
export function mrzKeyFromParsed(mrz: {
  documentNumber: string;
  dateOfBirthRaw: string;
  expiryDateRaw: string;
}): MrzKey {
  return {
    documentNumber: mrz.documentNumber.replace(/<+$/, ''),
    dateOfBirth: mrz.dateOfBirthRaw,
    dateOfExpiry: mrz.expiryDateRaw,
  };
}
