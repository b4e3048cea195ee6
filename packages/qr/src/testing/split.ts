/** Which half of an evaluation set a sample belongs to. */
export type EvaluationHalf = 'tune' | 'report';

/**
 * Assign a sample to the tuning or the report half of its set, fixed by a seeded hash
 * (FNV-1a, 32 bit) of its name — a file name relative to the set, or a generated sample's
 * name. Thresholds and the order of the reader's ladder may be chosen on the tuning half
 * only; accuracy is quoted on the report half. The assignment does not depend on what else
 * is in the set, so adding files never moves one from half to half.
 *
 * @param name - The sample's stable name, e.g. `qrcode-2/13.png`.
 * @param seed - Seed of the split (changing it draws a new split). @default 16
 * @returns `tune` or `report` (about half each).
 */
export function evaluationHalf(name: string, seed = 16): EvaluationHalf {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  const bytes = new TextEncoder().encode(name);
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32) so the lowest bit depends on every byte.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h & 1 ? 'report' : 'tune';
}
