import type { CardFieldName } from '../cardTypes.js';

/** A line the recogniser reads: a printed field of the card, or one of the three MRZ lines. */
export type LineField = CardFieldName | 'mrz';

/** How a field's line is read: the characters it may hold and the tesseract language for it. */
export interface LineAlphabet {
  /** Characters the line may contain (decoding is restricted to them); `undefined` = the whole charset. */
  chars: string | undefined;
  /** tesseract.js language data that reads it. */
  tesseractLang: 'vie' | 'eng';
}

const DIGITS = '0123456789';
const MRZ = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';

/**
 * Every Vietnamese letter with its diacritics, upper and lower case (NFC), the same list the
 * recogniser was trained on (`training/charset.py`).
 */
export const VIETNAMESE_LETTERS: string = (() => {
  const vowels = 'aăâeêioôơuưy';
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  const lower = new Set<string>();
  for (const v of vowels) for (const t of tones) lower.add((v + t).normalize('NFC'));
  for (const c of 'bcdđghklmnpqrstvxfjwz') lower.add(c);
  const sorted = [...lower].sort();
  return sorted.join('') + sorted.map((c) => c.toUpperCase()).join('');
})();

const UPPER_LETTERS = [...VIETNAMESE_LETTERS].filter((c) => c === c.toUpperCase()).join('');

const DATE: LineAlphabet = { chars: `${DIGITS}/-.`, tesseractLang: 'eng' };
const TEXT: LineAlphabet = { chars: undefined, tesseractLang: 'vie' };

/**
 * The alphabet of each line, as data. Dates keep '-' and '.' so a misprinted separator is seen
 * (and repaired by the date rules) rather than forced into a digit.
 */
export const lineAlphabets: Readonly<Record<LineField, LineAlphabet>> = {
  idNumber: { chars: DIGITS, tesseractLang: 'eng' },
  fullName: { chars: `${UPPER_LETTERS} `, tesseractLang: 'vie' },
  dateOfBirth: DATE,
  expiryDate: { chars: `${DATE.chars}${VIETNAMESE_LETTERS} `, tesseractLang: 'vie' },
  issueDate: DATE,
  sex: { chars: 'NamNữ', tesseractLang: 'vie' },
  nationality: TEXT,
  ethnicity: TEXT,
  religion: TEXT,
  placeOfOrigin: TEXT,
  placeOfResidence: TEXT,
  placeOfBirthRegistration: TEXT,
  issuePlace: TEXT,
  personalIdentification: TEXT,
  mrz: { chars: MRZ, tesseractLang: 'eng' },
};
