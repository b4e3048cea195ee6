import { type Issue, foldDiacritics, issue } from '@smart-citizen/core';
import type { RecognizedChar, RecognizedLine } from '../ocr/ctcDecode.js';
import { editDistance } from '../ocr/evaluateLines.js';
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

function known(lexicon: NameLexicon, role: NameRole, word: string): boolean {
  return lexicon[role].has(word) || (role === 'middle' && (lexicon.given.has(word) || lexicon.family.has(word)));
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
/** The best-fitting list word must fit this many times better than the next to be taken. */
const CLEAR_MARGIN = 3;

/**
 * The marks of a word the recogniser doubted, settled by the name list: among the list's words
 * that spell the same letters without marks (`TUÂN`, `TUẤN`, `TUẦN` …), each scored by how
 * likely the recogniser made each of its letters (the letter read, or one of its alternatives
 * at that place, at their probabilities; a letter it gave no weight rules the word out) times
 * how common the word is. A list word replaces the reading only when it fits at least
 * {@link CLEAR_MARGIN} times better than any other; two words that fit about equally leave the
 * reading and say so (`ambiguous`). `undefined` when no character is doubtful or no list word
 * has the word's letters.
 */
function marksFromAlternatives(
  word: Word,
  role: NameRole,
  lexicon: NameLexicon,
  below: number,
): { word: string; ambiguous: boolean } | undefined {
  if (!word.chars.some((c) => c.confidence < below)) return undefined;
  const folded = foldWord(word.text);
  const lists = role === 'middle' ? [lexicon.middle, lexicon.given, lexicon.family] : [lexicon[role]];
  const counts = new Map<string, number>();
  for (const list of lists)
    for (const [w, n] of list)
      if ([...w].length === word.chars.length && foldWord(w) === folded) counts.set(w, Math.max(counts.get(w) ?? 0, n));
  if (counts.size === 0) return undefined;
  // a reading no list word spells competes as a name as rare as the rarest on the list: names are an open set
  if (!counts.has(word.text)) counts.set(word.text, Math.min(...lists.flatMap((l) => [...l.values()])));
  const fit = (w: string): number => {
    let p = 1;
    [...w].forEach((ch, i) => {
      const c = word.chars[i] as RecognizedChar;
      if (ch === c.char) p *= c.confidence;
      else {
        const alt = c.confidence < below ? c.alternatives?.find((a) => a.char === ch)?.confidence : undefined;
        p *= alt !== undefined && alt >= MIN_SUPPORT ? alt : 0;
      }
    });
    return p;
  };
  const ranked = [...counts]
    .map(([w, n]) => ({ w, score: fit(w) * n }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score);
  const [best, second] = ranked;
  if (!best) return undefined;
  if (second && best.score < CLEAR_MARGIN * second.score) return { word: word.text, ambiguous: true };
  return { word: best.w, ambiguous: false };
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
  let confidence = spanConfidence(chars);
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
    // the recogniser doubted a mark: the list word of the same letters its alternatives fit best
    const byMarks = marksFromAlternatives(w, role, lexicon, below);
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
    if (known(lexicon, role, w.text)) {
      out.push(w.text);
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
