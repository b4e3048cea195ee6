import { type ProvinceCode, provinceCodes } from '../data/provinceCodes.js';

const byCode: ReadonlyMap<string, ProvinceCode> = new Map(provinceCodes.map((p) => [p.code, p]));

/**
 * The province of a three-digit code of the 12-digit personal identification number
 * (Thông tư 07/2016/TT-BCA, amended by 06/2021/TT-BCA).
 *
 * @param code - Three digits, e.g. `001`; a number (1) or shorter string (`1`) is zero-padded.
 * @returns The province, or undefined for a code outside the table.
 * @example provinceByCode('079')?.name // 'Hồ Chí Minh'
 */
export function provinceByCode(code: string | number): ProvinceCode | undefined {
  const key = typeof code === 'number' ? (Number.isInteger(code) && code >= 0 ? String(code) : '') : code.trim();
  if (!/^\d{1,3}$/.test(key)) return undefined;
  return byCode.get(key.padStart(3, '0'));
}
