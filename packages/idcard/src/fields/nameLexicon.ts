import { fallbackNames } from './data/fallbackNames.js';

/** Role of a word in a Vietnamese full name. */
export type NameRole = 'family' | 'middle' | 'given';

/** Known name words by role, in upper case (NFC), with how common each is. */
export type NameLexicon = Readonly<Record<NameRole, ReadonlyMap<string, number>>>;

const roles: readonly NameRole[] = ['family', 'middle', 'given'];

/** The letters of Vietnamese words without a tone (a-z, â ă đ ê ô ơ ư) and with one (à…ỹ). */
const VIETNAMESE_LETTERS = /^[a-zàáâãèéêìíòóôõùúýăđĩũơư\u1ea0-\u1ef9]+$/u;
/** A vowel followed by ù, ú or õ: how the old VNI encoding writes a tone (`Chuùc` for Chúc); no Vietnamese word does. */
const VNI_TONE_AFTER_VOWEL = /[aăâeêioôơuưy][ùúõ]/u;

/**
 * Whether `word` (one word, NFC) is written in Vietnamese letters. Name lists gathered from the
 * web hold a few words in the old VNI font encoding (`Huøynh`, `Döông`, `Vieät`) or in UTF-8
 * read as Windows-1252 (`BĂši`); such a word is printed on no card, so lists skip it.
 */
export function isVietnameseWord(word: string): boolean {
  const w = word.normalize('NFC').toLowerCase();
  return VIETNAMESE_LETTERS.test(w) && !VNI_TONE_AFTER_VOWEL.test(w);
}

/** Build a lexicon from lists of words, or of `[word, count]` pairs (words not in Vietnamese letters are skipped: {@link isVietnameseWord}). */
export function createNameLexicon(lists: Record<NameRole, Iterable<string | readonly [string, number]>>): NameLexicon {
  const out = {} as Record<NameRole, Map<string, number>>;
  for (const role of roles) {
    const map = new Map<string, number>();
    for (const item of lists[role]) {
      const [word, count] = typeof item === 'string' ? [item, 1] : item;
      const key = word.normalize('NFC').trim().toUpperCase();
      if (key && isVietnameseWord(key)) map.set(key, (map.get(key) ?? 0) + count);
    }
    out[role] = map;
  }
  return out;
}

let fallback: NameLexicon | undefined;

/** The small list shipped with the package (see `data/fallbackNames.ts`). */
export function fallbackNameLexicon(): NameLexicon {
  fallback ??= createNameLexicon({
    family: fallbackNames.family.split(/\s+/),
    middle: fallbackNames.middle.split(/\s+/),
    given: fallbackNames.given.split(/\s+/),
  });
  return fallback;
}

/** Parse `name<TAB>count` lines (a header line without a numeric count is skipped). */
export function parseNameTsv(text: string): [string, number][] {
  const out: [string, number][] = [];
  for (const line of text.split(/\r?\n/)) {
    const [word, count] = line.split('\t');
    const n = Number(count);
    if (word && Number.isFinite(n) && n > 0) out.push([word, n]);
  }
  return out;
}

/**
 * Read a lexicon from a folder holding `family.tsv`, `middle.tsv` and `given.tsv`
 * (`name<TAB>count`), such as the project's shared name data (Node only).
 * @returns `undefined` when the files are not there.
 */
export async function loadNameLexicon(dir: string): Promise<NameLexicon | undefined> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  try {
    const [family, middle, given] = await Promise.all(roles.map((r) => readFile(join(dir, `${r}.tsv`), 'utf8')));
    return createNameLexicon({
      family: parseNameTsv(family as string),
      middle: parseNameTsv(middle as string),
      given: parseNameTsv(given as string),
    });
  } catch {
    return undefined;
  }
}
