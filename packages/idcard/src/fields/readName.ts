import { type Issue, foldDiacritics, issue } from '@smart-citizen/core';
import type { RecognizedChar, RecognizedLine } from '../ocr/ctcDecode.js';
import { editDistance } from '../ocr/evaluateLines.js';
import { dropDoubledVowel, TONE_MARK_CLASS } from './doubledVowels.js';
import { type FieldReading, LOW_CONFIDENCE, spanConfidence } from './FieldReading.js';
import { DOUBTFUL_CHAR } from './fuseSources.js';
import { type NameLexicon, type NameRole, fallbackNameLexicon } from './nameLexicon.js';

/** Options of {@link readName}. */
export interface ReadNameOptions {
  /** Known name words. @default the small list shipped with the package */
  lexicon?: NameLexicon | undefined;
  /** The name as the MRZ spells it (no diacritics, words separated by spaces), when there is one. */
  mrzName?: string | undefined;
  /** Characters read below this confidence may be replaced by a lexicon word. @default 0.8 */
  repairBelow?: number;
  /**
   * Real Vietnamese syllables, upper case, with how many administrative units' names use each
   * (`PlaceMatcher.syllables`): a word on no name list but in these is a plausible rare
   * name, one in neither is more likely a misread mark. @default none (unlisted words count as seen)
   */
  syllables?: ReadonlyMap<string, number> | undefined;
}

const PATH = 'fullName';
/** Upper-case fold of one character: `Ấ` → `A`, `Đ` → `D`. */
const foldChar = (c: string): string => foldDiacritics(c).toUpperCase();

interface Word {
  text: string;
  chars: RecognizedChar[];
}

function splitWords(chars: readonly RecognizedChar[]): Word[] {
  const words: Word[] = [];
  let cur: RecognizedChar[] = [];
  for (const c of chars) {
    if (c.char === ' ') {
      if (cur.length) words.push({ text: cur.map((x) => x.char).join(''), chars: cur });
      cur = [];
    } else cur.push(c);
  }
  if (cur.length) words.push({ text: cur.map((x) => x.char).join(''), chars: cur });
  return words;
}

/** Re-split the letters at the MRZ's word breaks when both spell the same letters (OCR often loses a narrow space). */
function wordsFromMrz(chars: RecognizedChar[], mrzName: string): RecognizedChar[] | undefined {
  const letters = chars.filter((c) => c.char !== ' ');
  const mrzWords = mrzName.trim().split(/\s+/);
  if (letters.map((c) => foldChar(c.char)).join('') !== mrzWords.join('')) return undefined;
  const out: RecognizedChar[] = [];
  let i = 0;
  mrzWords.forEach((w, k) => {
    if (k > 0) out.push({ char: ' ', confidence: 1 });
    out.push(...letters.slice(i, i + w.length));
    i += w.length;
  });
  return out;
}

function roleOf(index: number, count: number): NameRole {
  if (index === 0) return 'family';
  return index === count - 1 ? 'given' : 'middle';
}

/** Tone on the first vowel of a word-final `oa`, `oe`, `uy` (`HÒA`, `KHỎE`, `THỦY`) → on the second, and back. */
const NEW_STYLE = new RegExp(`([OU])(${TONE_MARK_CLASS})([AEY])$`, 'u');
const OLD_STYLE = new RegExp(`([OU])([AEY])(${TONE_MARK_CLASS})$`, 'u');

/**
 * The word with its tone on the other vowel of a final `oa`, `oe` or `uy`: Vietnamese writes
 * `HOÀ` and `HÒA`, `THUỶ` and `THỦY` alike (the old and the new placement), and name lists hold
 * either. `undefined` when the word does not end so.
 */
function otherTonePlacement(word: string): string | undefined {
  const d = word.normalize('NFD');
  const moved = NEW_STYLE.test(d)
    ? d.replace(NEW_STYLE, '$1$3$2')
    : OLD_STYLE.test(d)
      ? d.replace(OLD_STYLE, '$1$3$2')
      : undefined;
  return moved?.normalize('NFC');
}

function known(lexicon: NameLexicon, role: NameRole, word: string): boolean {
  const has = (w: string) =>
    lexicon[role].has(w) || (role === 'middle' && (lexicon.given.has(w) || lexicon.family.has(w)));
  const other = otherTonePlacement(word);
  return has(word) || (other !== undefined && has(other));
}

/**
 * A lexicon word one edit away from `word`, where the edit falls on a character read with low
 * confidence and (with an MRZ) keeps the MRZ's letters; `undefined` unless exactly one such word
 * is the most common.
 */
function repairWord(
  word: Word,
  role: NameRole,
  lexicon: NameLexicon,
  below: number,
  mrzWord?: string,
): string | undefined {
  const lists = role === 'middle' ? [lexicon.middle, lexicon.given, lexicon.family] : [lexicon[role]];
  const lowAt = word.chars.map((c) => c.confidence < below);
  if (!lowAt.some(Boolean)) return undefined;
  let best: { w: string; n: number } | undefined;
  let tie = false;
  for (const list of lists) {
    for (const [w, n] of list) {
      if (Math.abs([...w].length - word.chars.length) > 1 || editDistance(w, word.text) !== 1) continue;
      if (mrzWord !== undefined && foldDiacritics(w).toUpperCase() !== mrzWord) continue;
      // the changed position must be one of the doubtful characters
      const wc = [...w];
      const changed =
        wc.length === word.chars.length ? wc.findIndex((c, i) => c !== word.chars[i]?.char) : lowAt.findIndex(Boolean);
      if (changed < 0 || !(lowAt[changed] ?? lowAt[changed - 1])) continue;
      if (!best || n > best.n) {
        tie = false;
        best = { w, n };
      } else if (n === best.n && w !== best.w) tie = true;
    }
  }
  return best && !tie ? best.w : undefined;
}

const foldWord = (w: string) => foldDiacritics(w).toUpperCase();

/** An alternative letter counts as the recogniser's evidence from this probability on. */
const MIN_SUPPORT = 0.05;
/** The best-fitting spelling must fit this many times better than the next to be taken. */
const CLEAR_MARGIN = 3;
/**
 * How likely a spelling is before the recogniser's evidence, against a name on the list (1 × the
 * list's rarest count): a real syllable that no listed name uses — one the administrative units'
 * names use at least {@link SEEN_SYLLABLE} times, like `KIẾN` or `KỲ` — is a plausible rare name;
 * a spelling neither list knows (`ĐÃNG`, `HUNG`) is most often a mark misread on a listed name.
 */
const PRIOR_SEEN = 0.3;
const PRIOR_UNSEEN = 0.02;
/** Unit names a syllable must appear in to count as seen (fewer are mostly minority-language names). */
const SEEN_SYLLABLE = 5;
/**
 * How much more a hook above an alternative is worth than the recogniser says, against the same
 * letter without it: the line model loses a hook stacked on a capital (`Ẩ` read `Ấ` 4 of 6 times,
 * `Ể` → `Ế`, `Ỷ` → `Ý`, `Ẳ` → `Â`: 7 of 49 hook letters on the tuning sets' names) and put one on a
 * letter printed without it none of about 1,300 times. 2: on those sets a doubled hook alternative
 * flags `KÝ` read for `KỶ` (Ỷ 0.23) and changes nothing else; above 2.7 it would turn a right
 * `DIỄM` (read `DIỀM`, Ể 0.37, Ễ 0.06) into a doubt.
 */
const HOOK_UNDERCALLED = 2;
const hasHook = (c: string): boolean => c.normalize('NFD').includes('\u0309');
/** At most this many spellings of a word are weighed (the likeliest by the recogniser). */
const MAX_SPELLINGS = 64;

/**
 * The spellings the recogniser's evidence allows for a word: at each letter the letter read or an
 * alternative of the same letter with other marks (`Ã` / `Ă`, `U` / `Ư`, `Ấ` / `Ẩ`) it gave at
 * least {@link MIN_SUPPORT}, each with the product of those probabilities; the likeliest first.
 */
function spellings(word: Word): { w: string; fit: number }[] {
  let out = [{ w: '', fit: 1 }];
  for (const c of word.chars) {
    const base = foldChar(c.char);
    const options = [
      { char: c.char, confidence: c.confidence },
      ...(c.alternatives ?? [])
        .filter((a) => a.char !== c.char && a.confidence >= MIN_SUPPORT && foldChar(a.char) === base)
        .map((a) => (hasHook(a.char) && !hasHook(c.char) ? { ...a, confidence: a.confidence * HOOK_UNDERCALLED } : a)),
    ];
    out = out
      .flatMap((s) => options.map((o) => ({ w: s.w + o.char, fit: s.fit * o.confidence })))
      .sort((a, b) => b.fit - a.fit)
      .slice(0, MAX_SPELLINGS);
  }
  return out;
}

/**
 * The breve the line model loses on a capital A, by what it reads instead: `Ằ` as `À` (`HẰNG` →
 * `HÀNG`, with all the weight), `Ắ` or `Ẳ` as `Â` (`THẮNG` → `THÂNG`), `Ă` as `Ã` (`THĂNG` →
 * `THÃNG`). At 32 px the breve is a 1–2 px smile the model takes for a grave's, a circumflex's
 * or a tilde's stroke; every other mark stacked on a capital is read with its tone nearly always.
 */
const BREVE_LOST: Readonly<Record<string, readonly string[]>> = {
  À: ['Ằ'],
  Â: ['Ắ', 'Ẳ', 'Ằ', 'Ẵ', 'Ặ', 'Ă'],
  Ã: ['Ă', 'Ẵ'],
};

/**
 * The name of the word's own role that the word spells with the breve the line model lost on one of
 * its A letters ({@link BREVE_LOST}: `HÀNG` → `HẰNG`, `THÂNG` → `THẮNG`), for a word no list knows in
 * that role; `undefined` unless exactly one such name is listed. Over the name lists the generator
 * draws from, the only printed word this would change is the given name `Hàng`, 17 times rarer
 * there than `Hằng`.
 */
function breveFromList(word: string, role: NameRole, lexicon: NameLexicon): string | undefined {
  const chars = [...word];
  const found = new Set<string>();
  chars.forEach((c, i) => {
    for (const b of BREVE_LOST[c] ?? []) {
      const w = [...chars.slice(0, i), b, ...chars.slice(i + 1)].join('');
      if (lexicon[role].has(w)) found.add(w);
    }
  });
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * The marks of a name word settled by what the recogniser saw and what Vietnamese names are:
 * each spelling its alternatives allow (same letters, other marks: `TUÂN`, `TUẤN`, `TUẦN` …) is
 * scored by how likely the recogniser made it ({@link spellings}) times how likely it is as a name
 * — its count on the name list (a word listed in another role counts as the list's rarest), or,
 * for a word on no list, {@link PRIOR_SEEN} or {@link PRIOR_UNSEEN} of the rarest count as the
 * administrative units' names use the syllable or not (`syllables`; without them every unlisted
 * word counts as seen). A spelling replaces the reading only when it scores at least
 * {@link CLEAR_MARGIN} times better than any other; two that score about equally leave the reading
 * and say so (`ambiguous`). `undefined` when the recogniser offered no other spelling.
 */
function marksFromAlternatives(
  word: Word,
  role: NameRole,
  lexicon: NameLexicon,
  syllables: ReadonlyMap<string, number> | undefined,
): { word: string; listed: boolean; ambiguous: boolean } | undefined {
  const options = spellings(word);
  if (options.length < 2) return undefined;
  const lists = role === 'middle' ? [lexicon.middle, lexicon.given, lexicon.family] : [lexicon[role]];
  // an empty list (a custom lexicon) weighs an unlisted word against a count of 1
  const counts = lists.flatMap((l) => [...l.values()]);
  const rarest = counts.length ? Math.min(...counts) : 1;
  const listed = (w: string): number | undefined => {
    let n: number | undefined;
    for (const l of lists) {
      const c = l.get(w);
      if (c !== undefined) n = Math.max(n ?? 0, c);
    }
    return n ?? (lexicon.family.has(w) || lexicon.middle.has(w) || lexicon.given.has(w) ? rarest : undefined);
  };
  const prior = (w: string): number =>
    listed(w) ?? rarest * (!syllables || (syllables.get(w) ?? 0) >= SEEN_SYLLABLE ? PRIOR_SEEN : PRIOR_UNSEEN);
  const ranked = options.map(({ w, fit }) => ({ w, score: fit * prior(w) })).sort((a, b) => b.score - a.score);
  const [best, second] = ranked;
  if (!best) return undefined;
  if (second && best.score < CLEAR_MARGIN * second.score) return { word: word.text, listed: false, ambiguous: true };
  return { word: best.w, listed: listed(best.w) !== undefined, ambiguous: false };
}

/** Characters with their marks split off (NFD), so an edit distance counts a lost mark as one edit, not a letter. */
const marks = (w: string) => w.normalize('NFD');

/**
 * The word to print where the print's letters differ from the MRZ's: among the name list's words
 * (any role) that fold to the MRZ word, the one closest to the printed reading, marks counted
 * (ties: the commoner); else, when the printed word is not itself a known name, the MRZ's letters
 * with the print's marks kept on each letter that the two spell alike.
 */
function wordForMrz(
  word: string,
  mrzWord: string,
  role: NameRole,
  lexicon: NameLexicon,
  printedKnown: boolean,
): { word: string; known: boolean } | undefined {
  let best: { w: string; d: number; n: number } | undefined;
  const lists = [lexicon[role], lexicon.family, lexicon.middle, lexicon.given];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const [w, n] of list) {
      if (seen.has(w) || foldWord(w) !== mrzWord) continue;
      seen.add(w);
      const d = editDistance(marks(w), marks(word));
      if (!best || d < best.d || (d === best.d && n > best.n)) best = { w, d, n };
    }
  }
  if (best) return { word: best.w, known: true };
  if (printedKnown) return undefined;
  const p = [...word];
  if (p.length !== mrzWord.length) return { word: mrzWord, known: false };
  return { word: p.map((c, k) => (foldWord(c) === mrzWord[k] ? c : (mrzWord[k] as string))).join(''), known: false };
}

/**
 * The family name whose letters without marks are the word's (`NGUYÊN` → `NGUYỄN`), when
 * exactly one known family name folds to them. Family names are close to a closed set (a few
 * hundred cover nearly everyone), so a word that is none of them but spells one of them
 * without its marks is that name read with a mark lost or changed — the commonest OCR error
 * on these cards (stacked marks on circumflex letters).
 */
function familyByFold(word: string, lexicon: NameLexicon): string | undefined {
  // a name word of any role with its tone placed the other way (`HOÀ` for the list's `HÒA`) is a spelling, not a misread
  const other = otherTonePlacement(word);
  if (other !== undefined && (['family', 'middle', 'given'] as const).some((r) => lexicon[r].has(other)))
    return undefined;
  const folded = foldDiacritics(word).toUpperCase();
  const found = [...lexicon.family.keys()].filter((w) => foldDiacritics(w).toUpperCase() === folded);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The full name from its OCR line (upper case with diacritics). Each word is looked up in the
 * name lexicon by its role (family, middle, given); a word not in it keeps its reading but
 * lowers confidence — names are an open set. A word with a doubtful character that is one edit
 * from a known word is repaired to it (and said so), and so is a family name that differs from
 * exactly one known family name only in its marks. With an MRZ, the letters must agree once
 * diacritics are removed: agreement confirms the letters (and restores lost spaces), a
 * disagreement is an error with low confidence.
 */
export function readName(line: RecognizedLine, options: ReadNameOptions = {}): FieldReading {
  const lexicon = options.lexicon ?? fallbackNameLexicon();
  const below = options.repairBelow ?? 0.8;
  const issues: Issue[] = [];
  let chars: RecognizedChar[] = line.chars
    .filter((c) => /[\p{L} ]/u.test(c.char))
    .map((c) => ({
      char: c.char.normalize('NFC').toUpperCase(),
      confidence: c.confidence,
      ...(c.alternatives
        ? { alternatives: c.alternatives.map((a) => ({ ...a, char: a.char.normalize('NFC').toUpperCase() })) }
        : {}),
    }));
  const text = chars
    .map((c) => c.char)
    .join('')
    .trim()
    .replace(/\s+/g, ' ');
  let doubledBound = 1;
  for (let once = dropDoubledVowel(chars); once; once = dropDoubledVowel(chars)) {
    chars = once.chars;
    doubledBound = Math.min(doubledBound, once.dropped.confidence);
    issues.push(issue('idcard/name-vowel-doubled', 'warning', 'a vowel read twice with two tones was read once', PATH));
  }
  const mrzName = options.mrzName?.normalize('NFC').toUpperCase().replace(/</g, ' ').trim().replace(/\s+/g, ' ');
  if (mrzName) {
    const resplit = wordsFromMrz(chars, mrzName);
    if (resplit && resplit.map((c) => c.char).join('') !== text) {
      chars = resplit;
      issues.push(issue('idcard/name-spaces-from-mrz', 'info', 'word breaks were taken from the MRZ', PATH));
    }
  }
  const words = splitWords(chars);
  if (words.length === 0) {
    issues.push(issue('idcard/name-unreadable', 'error', 'no letters were read in the name', PATH));
    return { value: undefined, text, confidence: 0, issues };
  }
  let confidence = Math.min(spanConfidence(chars), doubledBound);
  const mrzWords = mrzName?.split(' ');
  const out: string[] = [];
  let fromMrz = false;
  words.forEach((w, i) => {
    const role = roleOf(i, words.length);
    const mrzWord = mrzWords?.length === words.length ? mrzWords[i] : undefined;
    // the MRZ spells the word's letters otherwise: take the letters from it, the marks from the print
    if (mrzWord !== undefined && foldWord(w.text) !== mrzWord) {
      const picked = wordForMrz(w.text, mrzWord, role, lexicon, known(lexicon, role, w.text));
      if (picked) {
        out.push(picked.word);
        fromMrz = true;
        // a sure reading of other letters is a disagreement of two sure sources, not a misread
        const sure = w.chars.every((c) => c.confidence >= DOUBTFUL_CHAR);
        confidence = Math.min(confidence, sure ? 0.5 : picked.known ? 0.85 : 0.65);
        return;
      }
    }
    // the recogniser saw other marks too: the spelling its alternatives and the name list (or the syllables) favour
    const byMarks = marksFromAlternatives(w, role, lexicon, options.syllables);
    if (byMarks?.ambiguous) {
      issues.push(
        issue(
          'idcard/name-marks-ambiguous',
          'warning',
          `two spellings of the ${role} name fit its doubtful marks about equally`,
          PATH,
        ),
      );
      confidence = Math.min(confidence, 0.5);
    } else if (byMarks && byMarks.word !== w.text) {
      out.push(byMarks.word);
      issues.push(
        byMarks.listed
          ? issue(
              'idcard/name-marks-from-list',
              'warning',
              `the doubtful marks of a ${role} name word were taken from the name list`,
              PATH,
            )
          : issue(
              'idcard/name-marks-from-syllables',
              'warning',
              `the doubtful marks of a ${role} name word were taken from the syllable the units' names use`,
              PATH,
            ),
      );
      confidence = Math.min(confidence, 0.75);
      return;
    }
    if (known(lexicon, role, w.text)) {
      out.push(w.text);
      return;
    }
    // the breve the line model loses on a capital A, where the word with it is a name of its role (HÀNG → HẰNG);
    // a word whose alternatives left two spellings about equal stays flagged as it was read
    const breve = byMarks?.ambiguous ? undefined : breveFromList(w.text, role, lexicon);
    if (breve) {
      out.push(breve);
      issues.push(
        issue(
          'idcard/name-marks-from-list',
          'warning',
          `the doubtful marks of a ${role} name word were taken from the name list`,
          PATH,
        ),
      );
      confidence = Math.min(confidence, 0.75);
      return;
    }
    const fixed =
      repairWord(w, role, lexicon, below, mrzWord) ?? (role === 'family' ? familyByFold(w.text, lexicon) : undefined);
    if (fixed) {
      out.push(fixed);
      issues.push(
        issue('idcard/name-repaired', 'warning', `a doubtful ${role} name word was matched to a known name`, PATH),
      );
      confidence = Math.min(confidence, 0.75);
    } else {
      out.push(w.text);
      issues.push(issue('idcard/name-word-unknown', 'info', `the ${role} name word is not in the name list`, PATH));
      confidence *= 0.85;
    }
  });
  const value = out.join(' ');
  if (mrzName) {
    if (fromMrz) {
      // the print and the MRZ disagreed: said so (a misread or a forged print), letters taken from the MRZ
      issues.push(
        issue('idcard/name-mrz-mismatch', 'error', 'the printed name and the MRZ name differ in their letters', PATH),
        issue(
          'idcard/fused-from-mrz',
          'info',
          "the name's letters were taken from the MRZ, its marks from the print or the name list",
          PATH,
        ),
      );
    } else if (foldDiacritics(value).toUpperCase() === mrzName) confidence = 1 - (1 - confidence) * 0.5;
    else {
      issues.push(
        issue('idcard/name-mrz-mismatch', 'error', 'the printed name and the MRZ name differ in their letters', PATH),
      );
      confidence = Math.min(confidence, 0.3);
    }
  }
  if (confidence < LOW_CONFIDENCE)
    issues.push(issue('idcard/low-confidence', 'warning', 'the name was read with low confidence', PATH));
  return { value, text, confidence, issues };
}
