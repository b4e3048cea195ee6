// `export *` where a module's whole surface is public; a named list where it keeps internals.
export * from './provinceByCode.js';
export * from '../data/provinceCodes.js';
export * from '../data/centuryDigits.js';
export * from './idNumber.js';
export * from './validateCmndNumber.js';
export * from './dates.js';
export * from './sex.js';
