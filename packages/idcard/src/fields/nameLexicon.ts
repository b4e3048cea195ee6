import { fallbackNames } from './data/fallbackNames.js';

/** Role of a word in a Vietnamese full name. */
export type NameRole = 'family' | 'middle' | 'given';

/** Known name words by role, in upper case (NFC), with how common each is. */
export type NameLexicon = Readonly<Record<NameRole, ReadonlyMap<string, number>>>;

const roles: readonly NameRole[] = ['family', 'middle', 'given'];

/** Build a lexicon from lists of words, or of `[word, count]` pairs. */
export function createNameLexicon(lists: Record<NameRole, Iterable<string | readonly [string, number]>>): NameLexicon {
  const out = {} as Record<NameRole, Map<string, number>>;
  for (const role of roles) {
    const map = new Map<string, number>();
    for (const item of lists[role]) {
      const [word, count] = typeof item === 'string' ? [item, 1] : item;
      const key = word.normalize('NFC').trim().toUpperCase();
      if (key && !key.includes(' ')) map.set(key, (map.get(key) ?? 0) + count);
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
