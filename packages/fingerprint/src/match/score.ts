import type { Pairing } from './pairing.js';

/**
 * Raw similarity of a pairing: the squared number of edges that stay consistent between
 * paired minutiae, over the geometric mean of the two minutia counts. Consistent edges grow
 * roughly with the square of the true correspondences but only linearly for the chance
 * pairings of an impostor, which is why they separate better than the pair count (measured on
 * the tuning half: mean EER 6.8% vs 12.1% for the pair count, 8.4% for a pair-count mix).
 * @internal
 */
export function rawScore(p: Pairing, probeCount: number, candCount: number): number {
  if (p.count < 2) return 0;
  return (p.support * p.support) / Math.max(8, Math.sqrt(probeCount * candCount));
}
