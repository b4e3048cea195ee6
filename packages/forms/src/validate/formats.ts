import { safeParseDate, safeParseIdNumber } from '@smart-citizen/core';

const PARTIAL_DATE = /^(?:\d{2}\/){0,2}\d{4}$/;
const FULL_DATE = /^\d{2}\/\d{2}\/\d{4}$/;
const PHONE_SEPARATORS = /[\s.\-()]/g;
const MOBILE = /^(?:0|\+84)(?:3|5|7|8|9)\d{8}$/;
const LANDLINE = /^(?:0|\+84)2\d{9}$/;
// Letters (any script, with combining marks), spaces, apostrophes, hyphens and dots: what a
// person's name may contain. Digits and markup characters are refused.
const NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M} '’\-.])*$/u;

/** `dd/mm/yyyy`, `mm/yyyy` or `yyyy`, a real calendar date. */
export function isVnDate(s: string): boolean {
  return PARTIAL_DATE.test(s) && safeParseDate(s, 'dd/mm/yyyy').ok;
}

/** A complete `dd/mm/yyyy` date. */
export function isVnFullDate(s: string): boolean {
  return FULL_DATE.test(s) && safeParseDate(s, 'dd/mm/yyyy').ok;
}

/** A 12-digit personal identification number with a known province code and century digit. */
export function isVnPersonalId(s: string): boolean {
  return /^\d{12}$/.test(s) && safeParseIdNumber(s).ok;
}

/** A Vietnamese mobile (`09x…`, `+849x…`) or landline (`02x…`) number. */
export function isVnPhone(s: string): boolean {
  const t = s.replace(PHONE_SEPARATORS, '');
  return MOBILE.test(t) || LANDLINE.test(t);
}

/** A person's name: letters, spaces, apostrophes, hyphens, dots. */
export function isVnName(s: string): boolean {
  return s.length <= 100 && NAME.test(s);
}

/** The custom formats every form schema may use, by name. */
export const formFormats: Record<string, (s: string) => boolean> = {
  'vn-date': isVnDate,
  'vn-full-date': isVnFullDate,
  'vn-personal-id': isVnPersonalId,
  'vn-phone': isVnPhone,
  'vn-name': isVnName,
};
