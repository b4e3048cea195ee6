// Samplers for the simulator's handling times and arrivals, over core's one seeded generator.
import type { Rng } from '@smart-citizen/core';

/** Exponential variate with the given mean. */
export function sampleExponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng.next());
}

/** Standard normal variate (Box–Muller). */
export function sampleNormal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal variate with the given mean and standard deviation (of the variate itself). */
export function sampleLognormal(rng: Rng, mean: number, sd: number): number {
  const s2 = Math.log(1 + (sd * sd) / (mean * mean));
  const mu = Math.log(mean) - s2 / 2;
  return Math.exp(mu + Math.sqrt(s2) * sampleNormal(rng));
}
