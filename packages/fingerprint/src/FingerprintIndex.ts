import { calibrate, DEFAULT_THRESHOLD } from './calibration.js';
import { prepareTemplate, type PreparedTemplate, buildEdgeHash } from './match/prepare.js';
import { MatchWorkspace, similarity } from './match/compare.js';
import { pairTemplates } from './match/pairing.js';
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
  /**
   * Gallery entries rescored by the cylinder-code matcher after the fast neighbour-edge pass;
   * at least `limit`. Raising it trades speed for the chance that a poorly paired true mate
   * is still looked at. @default 100
   */
  shortlist?: number;
}

const DEFAULT_SHORTLIST = 100;

/**
 * 1:N search over a gallery of templates kept in memory, in two stages. Gallery templates are
 * prepared once when added (local structures); the probe is prepared once per search (its edge
 * hash), so each first-stage comparison is a hash look-up per gallery edge plus the pairing
 * growth. The best `shortlist` entries by that pairing are then scored by the Minutia
 * Cylinder-Code matcher, which gives the same calibrated score as {@link matchTemplates}
 * (an entry's cylinders are kept once it has been shortlisted: 360 bytes per minutia with a cylinder, held once as the records the WebAssembly kernel reads, about 15 KB for an FVC template). A false match
 * rate per comparison of p gives about N·p false candidates over a gallery of N: raise the
 * threshold with the gallery (e.g. 40 for 10,000 entries keeps the expectation near 1).
 */
export class FingerprintIndex {
  readonly #entries = new Map<string, PreparedTemplate>();
  readonly #ws = new MatchWorkspace();

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
    const shortlist = Math.max(limit, options.shortlist ?? DEFAULT_SHORTLIST);
    if (!Number.isInteger(shortlist)) throw new RangeError(`shortlist must be an integer, got ${String(shortlist)}`);
    const p = prepareTemplate(probe);
    buildEdgeHash(p);
    // First stage: neighbour-edge pairing of every entry, the best `shortlist` kept (sorted, descending).
    const raw: number[] = [];
    const kept: { id: string; c: PreparedTemplate; paired: number }[] = [];
    for (const [id, c] of this.#entries) {
      const pairing = pairTemplates(p, c, this.#ws.pairing);
      const r = rawScore(pairing, p.count, c.count);
      if (kept.length === shortlist && r <= (raw[shortlist - 1] as number)) continue;
      let k = kept.length === shortlist ? shortlist - 1 : kept.length;
      while (k > 0 && (raw[k - 1] as number) < r) {
        raw[k] = raw[k - 1] as number;
        kept[k] = kept[k - 1] as (typeof kept)[number];
        k--;
      }
      raw[k] = r;
      kept[k] = { id, c, paired: pairing.count };
    }
    // Second stage: the calibrated cylinder-code score.
    const out: FingerprintCandidate[] = [];
    for (const { id, c, paired } of kept) {
      const score = calibrate(similarity(p, c, this.#ws));
      if (score >= threshold) out.push({ id, score, pairedMinutiae: paired });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
