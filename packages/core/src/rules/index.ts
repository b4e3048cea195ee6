export { provinceByCode } from './provinceByCode.js';
export { provinceCodes } from '../data/provinceCodes.js';
export type { ProvinceCode } from '../data/provinceCodes.js';
export { centuryDigits } from '../data/centuryDigits.js';
export type { CenturyDigit } from '../data/centuryDigits.js';
export { isIdNumberFormat, parseIdNumber, safeParseIdNumber, validateIdNumber } from './idNumber.js';
export type {
  IdNumberParts,
  IdNumberValidation,
  SafeParseIdNumberResult,
  ValidateIdNumberOptions,
} from './idNumber.js';
export { validateCmndNumber } from './validateCmndNumber.js';
export type { CmndValidation } from './validateCmndNumber.js';
export {
  parseDate,
  safeParseDate,
  parseYYMMDD,
  formatDate,
  isValidPartialDate,
  comparePartialDates,
  ageOn,
  toPartialDate,
  daysInMonth,
} from './dates.js';
export type {
  DateInputFormat,
  DateOutputFormat,
  ParseDateOptions,
  ParseYYMMDDOptions,
  SafeParseDateResult,
} from './dates.js';
export { parseSex, formatSex } from './sex.js';
export type { SexFormat } from './sex.js';
