import type { Sex } from '../identity/CitizenIdentity.js';

/**
 * Words that name a sex on cards, chips, MRZ and forms, as {@link foldForCompare} keys
 * (no diacritics, lower case). `Nữ` folds to `nu`.
 */
export const sexWords: Readonly<Record<string, Sex>> = {
  nam: 'M',
  m: 'M',
  male: 'M',
  man: 'M',
  'gioi tinh nam': 'M',
  nu: 'F',
  f: 'F',
  female: 'F',
  woman: 'F',
  'gioi tinh nu': 'F',
};

/** How each sex is written, per output style. */
export const sexLabels: Readonly<Record<'vi' | 'en' | 'mrz', Readonly<Record<Sex, string>>>> = {
  vi: { M: 'Nam', F: 'Nữ' },
  en: { M: 'Male', F: 'Female' },
  mrz: { M: 'M', F: 'F' },
};
