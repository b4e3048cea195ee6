import { editDistance } from '../src/ocr/evaluateLines.js';

/** Exact matches and character errors of one field (or field × level × …) over a bench run. */
export interface FieldTally {
  n: number;
  exact: number;
  edits: number;
  chars: number;
  /** Fields given with confidence ≥ 0.6 that were wrong: the "confident wrong answers". */
  confidentWrong: number;
}

export { cpuMs } from '@smart-citizen/bench';

/** `a` of `b` in per cent with one decimal; `null` for an empty count. */
export const pct = (a: number, b: number) => (b ? Math.round((1000 * a) / b) / 10 : null);

/** Count one field read against its printed truth (NFC; a `got` of `undefined` is an unread field). */
export function tallyField(
  map: Map<string, FieldTally>,
  key: string,
  truth: string,
  got: string | undefined,
  conf = 0,
): void {
  const f = map.get(key) ?? { n: 0, exact: 0, edits: 0, chars: 0, confidentWrong: 0 };
  map.set(key, f);
  // sets cached before the generator mapped Ð (U+00D0) to Đ print the look-alike: score as Đ
  const t = truth.normalize('NFC').replace(/\u00d0/g, '\u0110');
  const g = (got ?? '').normalize('NFC').replace(/\u00d0/g, '\u0110');
  f.n++;
  if (g === t) f.exact++;
  else if (got !== undefined && conf >= 0.6) f.confidentWrong++;
  f.edits += editDistance(t, g);
  f.chars += [...t].length;
}
