import type { Pairing } from './pairing.js';

/**
 * Raw similarity of a pairing: paired minutiae weighted by the share of each template they
 * cover, plus the consistent edges between them (an impostor pairing rarely keeps many
 * edges consistent), plus agreement of minutia types.
 * @internal
 */
export function rawScore(p: Pairing, probeCount: number, candCount: number): number {
  if (p.count < 2) return 0;
  const n = p.count;
  const coverage = (n * n) / Math.max(8, Math.sqrt(probeCount * candCount));
  return coverage + 0.5 * (p.support - n + 1) + 0.25 * p.sameType;
}
