/**
 * A seeded pseudo-random source: the same seed gives the same sequence on every platform, so
 * generated test sets, fuzz runs, benchmark inputs and simulations reproduce. The SDK's one
 * generator (mulberry32); tests, benches, the queue simulator and the QR test-set generator all
 * use it instead of a copy of their own.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** One element of a non-empty list; `RangeError` on an empty one. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal sample (Box–Muller, one uniform pair per sample). */
  gauss(): number;
}

/**
 * Creates a seeded {@link Rng} (mulberry32, 32-bit state). Not for secrets: use
 * `crypto.getRandomValues` there.
 * @param seed - any 32-bit integer
 * @example
 * const { next, int } = createRng(42); // the methods do not need `this`
 * int(1, 6);
 */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick from an empty list');
      return item;
    },
    gauss: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}
