import {
  foldDiacritics,
  type Issue,
  issue,
  levenshtein,
  type ParsedMrz,
  type ParseMrzOptions,
  safeParseMrz,
} from '@smart-citizen/core';
import { DOUBTFUL_CHAR } from './fuseSources.js';
import type { NameLexicon } from './nameLexicon.js';

/** @internal The name letters as the MRZ spells them: upper-case ASCII, words separated by one space. */
export const mrzNameLetters = (name: string): string =>
  foldDiacritics(name.normalize('NFC'))
    .toUpperCase()
    .replace(/[^A-Z ]/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');

/** @internal At most this many letters of the MRZ name line are rewritten from another source. */
export const MAX_NAME_LETTER_REPAIRS = 2;

const foldedNames = new WeakMap<NameLexicon, Set<string>>();

/** Every name word of the lexicon (any role) without its marks. */
function foldedLexicon(lexicon: NameLexicon): Set<string> {
  let set = foldedNames.get(lexicon);
  if (!set) {
    set = new Set<string>();
    for (const role of ['family', 'middle', 'given'] as const)
      for (const w of lexicon[role].keys()) set.add(foldDiacritics(w).toUpperCase());
    foldedNames.set(lexicon, set);
  }
  return set;
}

/** @internal Where the MRZ's name came from after {@link settleMrzName}, and what is said about it. */
export interface SettledMrzName {
  /** The MRZ, its name line rewritten when a source settled a misread letter. */
  mrz: ParsedMrz;
  /**
   * `qr` / `print`: the name line took that source's letters; `names`: a letter the OCR doubted
   * was dropped from a word that then spells a known name (no QR or print to ask).
   */
  from?: 'qr' | 'print' | 'names';
  /** The name line disagrees with the card's other sources and nothing settled it: not a confident value. */
  uncertain: boolean;
  issues: Issue[];
}

/**
 * A name line no holder's name is written as: a filler first, three fillers or more before a letter,
 * a second `<<` between words (ICAO 9303: the primary identifier, `<<`, the secondary identifier's
 * components each after one `<`, then fillers to the end), or a word without a vowel (every
 * Vietnamese syllable has one, `Y` included: `NGC` is `NGOC` with a letter lost, the filler that
 * pads the line's end hiding it from the length).
 *
 * @internal
 */
export function malformedNameLine(line: string): boolean {
  return /^<|<<<+[A-Z]|[A-Z]<<[A-Z].*[A-Z]<<[A-Z]|(?:^|<)[B-DF-HJ-NP-TV-XZ]+(?=<|$)/.test(line);
}

/** The words of a name line (runs of letters between fillers) with where each starts. */
function lineWords(line: string): { word: string; at: number }[] {
  return [...line.matchAll(/[A-Z]+/g)].map((m) => ({ word: m[0], at: m.index ?? 0 }));
}

/**
 * The MRZ name line, which no check digit covers, against the card's other sources: the QR's
 * name (its error correction makes it the surer source) and the printed name as read (checked
 * against the name list). Words are compared by their letters, whatever the line's split into
 * primary and secondary identifier (a two-word family name sits before the `<<`); a line whose
 * words spell a source's name is settled. A rewrite only replaces letters in place — the same
 * words of the same lengths, at most {@link MAX_NAME_LETTER_REPAIRS} letters in all — and keeps
 * the line's fillers. The QR's name rewrites the line so, and may also give a word a letter the
 * OCR dropped or take one it inserted (the same words, at most that many edits, the fillers read
 * between words kept). The print's only where each MRZ word
 * it changes spells no known name while the print's does, and the OCR doubted each MRZ letter
 * changed (below {@link DOUBTFUL_CHAR}): the evidence that the MRZ, not the print, was misread
 * (the name list is an open set: an unknown word alone is no proof). A QR name the line cannot
 * be rewritten to, or a print that points at a misread MRZ word without that evidence, leaves
 * the line as read and `uncertain`, so the reader does not report it as sure. The print also
 * settles a letter the OCR inserted and doubted (`NIAM` where the print, a known name, reads
 * `NAM`). With neither QR nor print (a back read alone), the name list alone takes such a letter
 * out of a line read one character too long: a word that is no known name but is exactly one
 * without a letter read below {@link DOUBTFUL_CHAR}, when one word of the line is so (`names`).
 * A print that
 * differs otherwise (an unknown printed word, a known MRZ word) is the print's misreading:
 * `readName` takes the MRZ's letters for it, as before.
 *
 * @internal
 * @param mrz - The parsed MRZ (its check digits are not touched: the name line has none).
 * @param evidence - The QR payload's name and the printed name (with marks), where read; the
 *   confidence of each of the name line's 30 characters as the OCR read them, where they line up.
 * @param lexicon - Known name words.
 */
export function settleMrzName(
  mrz: ParsedMrz,
  evidence: {
    qrName?: string | undefined;
    printedName?: string | undefined;
    nameLineConfidences?: readonly number[] | undefined;
    /** How many characters the OCR read on the name line (fillers included, before the parser fitted it to 30). */
    nameLineReadLength?: number | undefined;
  },
  lexicon: NameLexicon,
  options: ParseMrzOptions = {},
): SettledMrzName {
  const read = mrz.lines[2];
  const words = lineWords(read);
  const settled: SettledMrzName = { mrz, uncertain: false, issues: [] };
  /** The source's words spell the line's (a name cut at the line's end counts by what the line holds). */
  const spells = (name: string[]) =>
    name.length >= words.length &&
    words.every(
      (w, i) =>
        w.word === name[i] ||
        (i === words.length - 1 && w.at + w.word.length === 30 && (name[i] ?? '').startsWith(w.word)),
    );
  /** The line with the source's letters put in place of its words', when only letters change. */
  const inPlace = (name: string[]): { line: string; changed: number[] } | undefined => {
    if (name.length !== words.length || words.some((w, i) => w.word.length !== name[i]?.length)) return undefined;
    const out = [...read];
    const changed: number[] = [];
    words.forEach((w, i) => {
      for (let k = 0; k < w.word.length; k++)
        if (w.word[k] !== name[i]?.[k]) {
          out[w.at + k] = name[i]?.[k] as string;
          changed.push(w.at + k);
        }
    });
    return changed.length > 0 && changed.length <= MAX_NAME_LETTER_REPAIRS
      ? { line: out.join(''), changed }
      : undefined;
  };
  /**
   * The line with the source's words put in place of its words', each keeping where it starts
   * after the words before it and the fillers read between them, when a word gained or lost a
   * letter (a letter dropped or inserted by the OCR); at most {@link MAX_NAME_LETTER_REPAIRS}
   * letter edits in all, and the name must still fit the line.
   */
  const shifted = (name: string[]): string | undefined => {
    if (name.length !== words.length || words.length === 0) return undefined;
    const edits = words.reduce(
      (n, w, i) =>
        n +
        levenshtein(
          [...w.word].map((c) => c.charCodeAt(0)),
          [...(name[i] ?? '')].map((c) => c.charCodeAt(0)),
        ),
      0,
    );
    if (edits === 0 || edits > MAX_NAME_LETTER_REPAIRS) return undefined;
    let out = read.slice(0, words[0]?.at ?? 0);
    words.forEach((w, i) => {
      const next = words[i + 1];
      out += `${name[i]}${next ? read.slice(w.at + w.word.length, next.at) : ''}`;
    });
    return out.length <= 30 ? out.padEnd(30, '<') : undefined;
  };
  /**
   * The words with one letter dropped where the OCR doubted it (below {@link DOUBTFUL_CHAR}): for each
   * word, the known name words it becomes so (a CTC decoder emits a stray letter in a narrow gap).
   */
  const conf = evidence.nameLineConfidences;
  const withoutDoubted = (w: { word: string; at: number }): Set<string> => {
    const out = new Set<string>();
    if (conf?.length !== 30) return out;
    for (let k = 0; k < w.word.length; k++)
      if ((conf[w.at + k] ?? 1) < DOUBTFUL_CHAR) out.add(w.word.slice(0, k) + w.word.slice(k + 1));
    return out;
  };
  const rewrite = (line: string, from: 'qr' | 'print' | 'names'): SettledMrzName | undefined => {
    const p = safeParseMrz([mrz.lines[0], mrz.lines[1], line], options);
    if (!p.ok || p.value.valid !== mrz.valid) return undefined;
    return {
      mrz: p.value,
      from,
      uncertain: false,
      issues: [
        issue(
          from === 'qr'
            ? 'idcard/mrz-name-from-qr'
            : from === 'print'
              ? 'idcard/mrz-name-from-print'
              : 'idcard/mrz-name-from-names',
          'warning',
          from === 'qr'
            ? "letters of the MRZ name line were taken from the QR code's name"
            : from === 'print'
              ? 'letters of the MRZ name line were taken from the printed name, a known name where the MRZ read none'
              : 'a letter the OCR doubted was dropped from an MRZ name word that then spells a known name',
          'mrz',
        ),
      ],
    };
  };
  const uncertain = (message: string): SettledMrzName => ({
    mrz,
    uncertain: true,
    issues: [issue('idcard/mrz-name-uncertain', 'warning', message, 'mrz')],
  });
  const qr = evidence.qrName ? mrzNameLetters(evidence.qrName).split(' ').filter(Boolean) : [];
  if (qr.length) {
    if (spells(qr)) return settled;
    const put = inPlace(qr)?.line ?? shifted(qr);
    const done = put && rewrite(put, 'qr');
    return done || uncertain("the MRZ name line and the QR code's name differ");
  }
  const printed = evidence.printedName ? mrzNameLetters(evidence.printedName).split(' ').filter(Boolean) : [];
  if (printed.length && spells(printed)) return settled;
  const known = foldedLexicon(lexicon);
  if (!printed.length) {
    // nothing else to ask: a line read one character too long (a letter inserted pushes a filler
    // past the 30th column), one word of it no known name but one without a letter the OCR doubted
    // (`NIAM` read for `NAM`): that name
    // fillers where a letter stands (`VO<<<ON` for `VO<<SON`): the line is no name as written, and
    // nothing here says which letter it lost
    if (malformedNameLine(read)) return uncertain('the MRZ name line holds fillers where a name has a letter');
    if (evidence.nameLineReadLength !== 31) return settled;
    const fixes = words.map((w) => (known.has(w.word) ? [] : [...withoutDoubted(w)].filter((x) => known.has(x))));
    if (fixes.filter((f) => f.length > 0).length !== 1 || fixes.some((f) => f.length > 1)) return settled;
    const put = shifted(words.map((w, i) => fixes[i]?.[0] ?? w.word));
    return (put && rewrite(put, 'names')) || settled;
  }
  // the MRZ looks misread where it spells no known name and the print, at the same place, does
  const suspect = (m: string, p: string | undefined) => p !== undefined && p !== m && known.has(p) && !known.has(m);
  const sameWords = printed.length === words.length;
  // otherwise a misread print (or an unknown name): readName takes the MRZ's letters for the print
  if (!sameWords || !words.some((w, i) => suspect(w.word, printed[i]))) return settled;
  const put = words.every((w, i) => w.word === printed[i] || suspect(w.word, printed[i]))
    ? inPlace(printed)
    : undefined;
  const doubted = conf?.length === 30 && !!put && put.changed.every((k) => (conf[k] ?? 1) < DOUBTFUL_CHAR);
  // or the MRZ word is the printed one with a letter inserted that the OCR doubted (`NIAM`, print `NAM`)
  const inserted =
    !put &&
    words.every(
      (w, i) => w.word === printed[i] || (suspect(w.word, printed[i]) && withoutDoubted(w).has(printed[i] as string)),
    )
      ? shifted(printed)
      : undefined;
  const done = doubted && put ? rewrite(put.line, 'print') : inserted ? rewrite(inserted, 'print') : undefined;
  return done ?? uncertain('the MRZ name line and the printed name differ in their letters');
}
