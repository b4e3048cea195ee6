import { levenshtein } from '@smart-citizen/core';

/** One line read against its truth. */
export interface LineOutcome {
  group: string;
  truth: string;
  read: string;
  confidence: number;
}

/** Accuracy of a set of lines. */
export interface LineScores {
  group: string;
  lines: number;
  /** Share of lines read exactly (NFC, every diacritic), 0–1. */
  exact: number;
  /** Character error rate: edit distance / truth length over all lines, 0–1. */
  cer: number;
}

const codePoints = (s: string): number[] => [...s.normalize('NFC')].map((c) => c.codePointAt(0) ?? 0);

/** Edit distance between two texts in code points after NFC. */
export function editDistance(truth: string, read: string): number {
  return levenshtein(codePoints(truth), codePoints(read));
}

/** Exact-line rate and character error rate per group, then over all lines (group `all`). */
export function scoreLines(outcomes: readonly LineOutcome[]): LineScores[] {
  const groups = [...new Set(outcomes.map((o) => o.group)), 'all'];
  return groups.map((group) => {
    const set = group === 'all' ? outcomes : outcomes.filter((o) => o.group === group);
    let errors = 0;
    let chars = 0;
    let exact = 0;
    for (const o of set) {
      errors += editDistance(o.truth, o.read);
      chars += [...o.truth].length;
      if (o.truth.normalize('NFC') === o.read.normalize('NFC')) exact++;
    }
    return { group, lines: set.length, exact: set.length ? exact / set.length : 0, cer: chars ? errors / chars : 0 };
  });
}
