import { normalizeVector } from '../validateRecord.js';

/** An account's impostor score distribution: mean and spread of its cosine to other people's faces. */
export interface ImpostorStats {
  mean: number;
  std: number;
}

/** {@link ImpostorModel} as JSON (kept in the dedupe checkpoint so a resumed job scores alike). */
export interface ImpostorModelJson {
  dimension: number;
  /** Embeddings the model was estimated from. */
  count: number;
  /** Mean unit embedding. */
  mean: number[];
  /** Second moment E[x xᵀ] of unit embeddings, upper triangle row by row. */
  second: number[];
}

const round6 = (v: number) => Number(v.toPrecision(6));

/**
 * The spread of impostor scores per account, from the population's first and second moments
 * (cohort normalisation with the whole population as the cohort): for a unit embedding a and
 * another person's x, cos(a, x) has mean aᵀm and variance aᵀCa − (aᵀm)². Faces differ in how
 * alike they look to everyone else — an embedding along the directions where the population varies
 * most scores high against many strangers — so a fixed cosine threshold lets those accounts make
 * most of the false pairs in a large gallery. The normalised pair score
 * ((s − μa)/σa + (s − μb)/σb) / 2 measures a pair against both accounts' own impostor spread.
 */
export class ImpostorModel {
  private constructor(
    readonly dimension: number,
    readonly count: number,
    private readonly mean: Float64Array,
    private readonly second: Float64Array,
  ) {}

  /** Estimate from unit (or any non-zero) embeddings of many different people. */
  static fit(embeddings: Iterable<Float32Array>, dimension: number): ImpostorModel {
    const mean = new Float64Array(dimension);
    const second = new Float64Array((dimension * (dimension + 1)) / 2);
    let count = 0;
    for (const e of embeddings) {
      if (e.length !== dimension) continue;
      const x = normalizeVector(e);
      count++;
      for (let i = 0, at = 0; i < dimension; i++) {
        const xi = x[i] as number;
        mean[i] = (mean[i] as number) + xi;
        for (let j = i; j < dimension; j++, at++) second[at] = (second[at] as number) + xi * (x[j] as number);
      }
    }
    for (let i = 0; i < mean.length; i++) mean[i] = (mean[i] as number) / Math.max(1, count);
    for (let i = 0; i < second.length; i++) second[i] = (second[i] as number) / Math.max(1, count);
    return new ImpostorModel(dimension, count, mean, second);
  }

  static fromJSON(json: ImpostorModelJson): ImpostorModel {
    const d = json.dimension;
    if (json.mean.length !== d || json.second.length !== (d * (d + 1)) / 2) {
      throw new RangeError('[@smart-citizen/core] impostor model of the wrong size');
    }
    return new ImpostorModel(d, json.count, Float64Array.from(json.mean), Float64Array.from(json.second));
  }

  toJSON(): ImpostorModelJson {
    return {
      dimension: this.dimension,
      count: this.count,
      mean: Array.from(this.mean, round6),
      second: Array.from(this.second, round6),
    };
  }

  /** Mean and spread of the embedding's cosine to the population (undefined for another dimension). */
  stats(embedding: Float32Array): ImpostorStats | undefined {
    const d = this.dimension;
    if (embedding.length !== d) return undefined;
    const a = normalizeVector(embedding);
    let mu = 0;
    let q = 0;
    for (let i = 0, at = 0; i < d; i++) {
      const ai = a[i] as number;
      mu += ai * (this.mean[i] as number);
      // Diagonal once, the rest of the row twice (the matrix is symmetric).
      let row = (this.second[at] as number) * ai;
      at++;
      let off = 0;
      for (let j = i + 1; j < d; j++, at++) off += (this.second[at] as number) * (a[j] as number);
      row += 2 * off;
      q += ai * row;
    }
    return { mean: mu, std: Math.sqrt(Math.max(1e-12, q - mu * mu)) };
  }
}

/** The normalised score of a pair with cosine `score` (see {@link ImpostorModel}). */
export function normalisedScore(score: number, a: ImpostorStats, b: ImpostorStats): number {
  return ((score - a.mean) / a.std + (score - b.mean) / b.std) / 2;
}
