import type { Quad } from '../src/geometry/findCardQuad.js';
import { editDistance } from '../src/ocr/evaluateLines.js';
import type { CardPhotoTruth } from '../src/testing/index.js';

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

/** A field's printed truth or reading as scored (NFC; sets cached before the generator mapped Ð (U+00D0) to Đ print the look-alike: scored as Đ). */
export const scoredText = (text: string) => text.normalize('NFC').replace(/\u00d0/g, '\u0110');

/** The side's MRZ read, fully valid and equal to the printed one. */
export const mrzRight = (
  r: { status: string; mrz?: { valid: boolean; lines: readonly string[] } } | undefined,
  truth: Pick<CardPhotoTruth, 'mrz'>,
) => r?.status === 'read' && !!r.mrz?.valid && r.mrz.lines.join('\n') === truth.mrz?.join('\n');

/** The worst corner's distance from the generator's, in card millimetres (the corners in the card's own order). */
export function worstCornerMm(
  quad: Quad,
  truth: Pick<CardPhotoTruth, 'quad'> & { parameters: Pick<CardPhotoTruth['parameters'], 'cardWidthPx'> },
): number {
  const mmPerPx = 85.6 / truth.parameters.cardWidthPx;
  return Math.max(
    ...quad.map((q, i) => Math.hypot(q.x - (truth.quad[i]?.x ?? 0), q.y - (truth.quad[i]?.y ?? 0)) * mmPerPx),
  );
}

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
  const t = scoredText(truth);
  const g = scoredText(got ?? '');
  f.n++;
  if (g === t) f.exact++;
  else if (got !== undefined && conf >= 0.6) f.confidentWrong++;
  f.edits += editDistance(t, g);
  f.chars += [...t].length;
}
