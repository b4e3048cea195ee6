import { sexLabels, sexWords } from '../data/sexWords.js';
import type { Sex } from '../identity/CitizenIdentity.js';
import { foldForCompare } from '../text/foldDiacritics.js';

/** Output styles of {@link formatSex}: `vi` Nam/Nữ, `en` Male/Female, `mrz` M/F. */
export type SexFormat = 'vi' | 'en' | 'mrz';

/**
 * Read a sex as written on cards, chips, MRZ and forms: `Nam`, `Nữ`, `Nu`, `M`, `F`, `Male`,
 * `Female`, in any case, with or without diacritics, optionally after a label
 * (`Giới tính: Nữ`).
 *
 * @param text - The text.
 * @returns `M`, `F`, or undefined when the text names no sex.
 */
export function parseSex(text: string): Sex | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const key = foldForCompare(text).replace(/^[^a-z]+|[^a-z]+$/g, '');
  const direct = sexWords[key];
  if (direct) return direct;
  const colon = key.lastIndexOf(':');
  if (colon >= 0) return sexWords[key.slice(colon + 1).trim()];
  return undefined;
}

/**
 * Write a sex.
 *
 * @param sex - `M` or `F`.
 * @param style - {@link SexFormat}. @default 'vi'
 * @returns `Nam`/`Nữ`, `Male`/`Female` or `M`/`F`.
 */
export function formatSex(sex: Sex, style: SexFormat = 'vi'): string {
  const label = sexLabels[style]?.[sex];
  if (label === undefined) throw new RangeError(`[@smart-citizen/core] unknown sex or style`);
  return label;
}
