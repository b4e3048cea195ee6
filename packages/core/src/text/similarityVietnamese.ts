import { SmartCitizenError } from '../errors/SmartCitizenError.js';
import { foldForCompare } from './foldDiacritics.js';

/** Longest text (in code points, after folding) {@link similarityVietnamese} accepts. */
export const MAX_SIMILARITY_LENGTH = 4096;

/**
 * Levenshtein distance between two arrays of code points (two-row dynamic programme); OCR
 * benchmarks use it for character error rates.
 */
export function levenshtein(a: readonly number[], b: readonly number[]): number {
  if (a.length < b.length) [a, b] = [b, a];
  const m = b.length;
  if (m === 0) return a.length;
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a[i - 1];
    for (let j = 1; j <= m; j++) {
      const sub = (prev[j - 1] ?? 0) + (ca === b[j - 1] ? 0 : 1);
      const del = (prev[j] ?? 0) + 1;
      const ins = (cur[j - 1] ?? 0) + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m] ?? 0;
}

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

/**
 * Similarity of two Vietnamese texts from 0 (nothing in common) to 1 (equal), for fuzzy
 * cross-checks between sources (OCR against QR): 1 − Levenshtein distance / longer length,
 * computed on {@link foldForCompare} keys, so case, spacing and diacritics do not count.
 * Two empty texts are equal (1).
 *
 * @param a - First text.
 * @param b - Second text.
 * @returns A score in [0, 1].
 * @throws SmartCitizenError `text/too-long` when a folded text is longer than
 *   {@link MAX_SIMILARITY_LENGTH} code points (the cost is quadratic).
 */
export function similarityVietnamese(a: string, b: string): number {
  const fa = codePoints(foldForCompare(a));
  const fb = codePoints(foldForCompare(b));
  const longest = Math.max(fa.length, fb.length);
  if (longest > MAX_SIMILARITY_LENGTH) {
    throw new SmartCitizenError('text/too-long', `text is too long to compare (over ${MAX_SIMILARITY_LENGTH})`, {
      details: { length: longest, limit: MAX_SIMILARITY_LENGTH },
    });
  }
  if (longest === 0) return 1;
  return 1 - levenshtein(fa, fb) / longest;
}
