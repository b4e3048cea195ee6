import { calibrate, DEFAULT_THRESHOLD } from './calibration.js';
import { prepareTemplate, type PreparedTemplate, buildEdgeHash } from './match/prepare.js';
import { PairingWorkspace, pairTemplates } from './match/pairing.js';
import { rawScore } from './match/score.js';
import { checkTemplate } from './matchTemplates.js';
import type { FingerprintTemplate } from './types.js';

/** One gallery entry found by {@link FingerprintIndex.search}. */
export interface FingerprintCandidate {
  id: string;
  /** Calibrated score, as {@link matchTemplates} gives it. */
  score: number;
  pairedMinutiae: number;
}

/** Options of {@link FingerprintIndex.search}. */
export interface SearchOptions {
  /** Return at most this many candidates. @default 10 */
  limit?: number;
  /** Only candidates scoring at least this. @default 30 (FMR ≈ 0.1% per comparison) */
  threshold?: number;
}

/**
 * 1:N search over a gallery of templates kept in memory. Gallery templates are prepared once
 * when added (local structures); the probe is prepared once per search (its edge hash), so
 * each comparison is a hash look-up per gallery edge plus the pairing growth. A false match
 * rate per comparison of p gives about N·p false candidates over a gallery of N: raise the
 * threshold with the gallery (e.g. 40 for 10,000 entries keeps the expectation near 1).
 */
export class FingerprintIndex {
  readonly #entries = new Map<string, PreparedTemplate>();
  readonly #ws = new PairingWorkspace();

  /** Number of templates in the index. */
  get size(): number {
    return this.#entries.size;
  }

  /** Add or replace the template of `id`. */
  add(id: string, template: FingerprintTemplate): void {
    if (typeof id !== 'string' || id.length === 0) throw new TypeError('id must be a non-empty string');
    checkTemplate(template, 'template');
    this.#entries.set(id, prepareTemplate(template));
  }

  /** Remove `id`; true when it was there. */
  remove(id: string): boolean {
    return this.#entries.delete(id);
  }

  /** Whether `id` is in the index. */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /**
   * Compare the probe with every gallery template and return the best candidates, highest
   * score first.
   */
  search(probe: FingerprintTemplate, options: SearchOptions = {}): FingerprintCandidate[] {
    checkTemplate(probe, 'probe');
    const limit = options.limit ?? 10;
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new RangeError('threshold must be a number');
    const p = prepareTemplate(probe);
    buildEdgeHash(p);
    const out: FingerprintCandidate[] = [];
    let floor = threshold;
    for (const [id, c] of this.#entries) {
      const pairing = pairTemplates(p, c, this.#ws);
      const score = calibrate(rawScore(pairing, p.count, c.count));
      if (score < floor) continue;
      out.push({ id, score, pairedMinutiae: pairing.count });
      if (out.length > limit) {
        out.sort((a, b) => b.score - a.score);
        out.length = limit;
        floor = Math.max(threshold, (out[limit - 1] as FingerprintCandidate).score);
      }
    }
    return out.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
