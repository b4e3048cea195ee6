import { foldDiacritics } from '@smart-citizen/core';

// Folding through String.prototype.normalize('NFD') costs several microseconds per name;
// indexing 11,000 mappings needs it 50,000 times. A per-character table built once from the
// core folding gives the same result for NFC text at a fraction of the cost.
let foldTable: Map<number, string> | undefined;
/** Fold NFC lower-case text to plain ASCII letters (diacritics and đ removed). @internal */
export function foldFast(nfcLower: string): string {
  if (!foldTable) {
    foldTable = new Map();
    for (let c = 0xc0; c <= 0x1eff; c++) {
      const ch = String.fromCharCode(c);
      const f = foldDiacritics(ch).toLowerCase();
      if (f !== ch) foldTable.set(c, f);
    }
  }
  let out = '';
  for (let i = 0; i < nfcLower.length; i++) {
    const c = nfcLower.charCodeAt(i);
    if (c < 0xc0) out += nfcLower[i];
    else if (c >= 0x300 && c <= 0x36f) continue;
    else out += foldTable.get(c) ?? nfcLower[i];
  }
  return out;
}

// Administrative-unit prefixes as written on cards and in the population database, with the
// usual abbreviations (matched on the folded text). Longest first so `thanh pho` wins.
const PREFIX = /^(thanh pho|thi tran|dac khu|thi xa|phuong|huyen|quan|tinh|xa|tp|tx|tt|p|q|h|x)(?: (?=.)|(?=\d))/;

// Common ways to write a few province names that the key alone does not reconcile.
const PROVINCE_ALIASES: Record<string, string> = {
  hcm: 'ho chi minh',
  hcmc: 'ho chi minh',
  'ho chi minh city': 'ho chi minh',
  'sai gon': 'ho chi minh',
  hn: 'ha noi',
  'thua thien hue': 'hue',
  'ba ria vung tau': 'ba ria vung tau',
  brvt: 'ba ria vung tau',
  'dak lak': 'dak lak',
  'dac lac': 'dak lak',
  'dak nong': 'dak nong',
  'dac nong': 'dak nong',
};

/**
 * The comparison key of an administrative unit's name: prefix (Tỉnh, Quận, Phường, P., …)
 * removed, punctuation and spacing normalised, leading zeros of numbered wards removed
 * (`Phường 05` → `5`), lower case. With `fold`, diacritics are removed too.
 * @internal
 */
export function unitKey(name: string, fold: boolean): string {
  const cache = fold ? foldedCache : exactCache;
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  let s = canonicalTone(name.normalize('NFC').toLowerCase());
  if (fold) s = foldFast(s);
  s = s
    .replace(/[.\-–_/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const m = PREFIX.exec(fold ? s : foldFast(s));
  if (m) {
    const words = m[1]!.split(' ').length;
    // `p12` has no space: strip the letters; otherwise strip whole words.
    s = m[0].endsWith(' ') ? s.split(' ').slice(words).join(' ') : s.slice(m[1]!.length);
  }
  s = s.replace(/\b0+(\d)/g, '$1');
  if (cache.size > 100_000) cache.clear();
  cache.set(name, s);
  return s;
}

const exactCache = new Map<string, string>();

// The two tone-placement conventions differ only in open syllables ending in oa, oe, uy
// (`hoà`/`hòa`, `khoẻ`/`khỏe`, `thuý`/`thúy`; not after `q`, where `u` is part of the
// consonant). Moving the mark to the first vowel there gives one exact key for both, without
// the cost of the full normalisation. Closed syllables (`hoàng`) are the same in both.
// For each marked second vowel, the pair written the traditional way: `à` (of `oà`) → `òa`,
// `ý` (of `uý`) → `úy`: the same mark, on `o` or `u`.
const MOVED_TONE: Record<string, string> = Object.fromEntries(
  [...'àáảãạèéẻẽẹỳýỷỹỵ'].map((marked) => {
    const [plain, mark] = marked.normalize('NFD');
    return [marked, `${plain === 'y' ? 'u' : 'o'}${mark}`.normalize('NFC') + plain];
  }),
);
const NEW_STYLE = /(?<!q)(o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ])(?![\p{L}\p{M}])/gu;

/** Lower-case NFC text with oa/oe/uy tone marks on the first vowel. @internal */
export function canonicalTone(lower: string): string {
  return lower.replace(NEW_STYLE, (m) => MOVED_TONE[m[1]!]!);
}
const foldedCache = new Map<string, string>();

const KINDS: Record<string, string> = {
  phuong: 'p',
  p: 'p',
  xa: 'x',
  x: 'x',
  'thi tran': 'tt',
  tt: 'tt',
  'dac khu': 'dk',
  quan: 'q',
  q: 'q',
  huyen: 'h',
  h: 'h',
  'thi xa': 'tx',
  tx: 'tx',
  'thanh pho': 'tp',
  tp: 'tp',
  tinh: 't',
};

/**
 * The kind of unit a name's prefix says (`p` phường, `x` xã, `tt` thị trấn, `dk` đặc khu,
 * `q`, `h`, `tx`, `tp`, `t`), or undefined without a prefix. The same name can be a town and a
 * commune of one district (`Thị trấn Mường Tè`, `Xã Mường Tè`): the kind tells them apart.
 * @internal
 */
export function unitKind(name: string): string | undefined {
  const folded = foldFast(name.normalize('NFC').toLowerCase())
    .replace(/[.\-–_/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const m = PREFIX.exec(folded);
  return m ? KINDS[m[1]!] : undefined;
}

/** Key of a province name, with aliases (`TP.HCM` → `ho chi minh`). @internal */
export function provinceKey(name: string, fold: boolean): string {
  const k = unitKey(name, fold);
  // An alias is written without diacritics, so it only ever matches the folded index.
  return PROVINCE_ALIASES[foldFast(k)] ?? k;
}
