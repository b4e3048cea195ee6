import { createRng } from '../ports/random.js';
import type { FaceSearchHit, FaceSearchOptions } from './IdentityStore.js';
import { normalizeVector } from './validateRecord.js';

/** Options of {@link FaceScanIndex}'s sign-hash prefilter. */
export interface FaceHashPrefilter {
  /**
   * Bits of the sign code per embedding (random hyperplanes, a multiple of 32): the Hamming
   * distance of two codes estimates the angle between the embeddings.
   * @default 256
   */
  bits?: number;
  /**
   * Embeddings re-ranked exactly per search: those with the smallest Hamming distance to the probe.
   * @default 2000
   */
  candidates?: number;
  /** Seed of the hyperplanes. @default 1 */
  seed?: number;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  v = (v + (v >>> 4)) & 0x0f0f0f0f;
  return Math.imul(v, 0x01010101) >>> 24;
}

/**
 * 1:N face search by a linear scan over unit-length embeddings kept in one contiguous
 * `Float32Array`: exact by default (the in-memory and SQLite stores, PostgreSQL without pgvector).
 * With a `prefilter`, each embedding also gets a sign code over random hyperplanes (SimHash); a
 * search scans the codes (Hamming distance, 32 bits per step) and re-ranks only the `candidates`
 * nearest codes exactly — approximate, several times faster at 100,000+ embeddings. Holds
 * decrypted embeddings in process memory only.
 */
export class FaceScanIndex {
  readonly dimension: number;
  private data: Float32Array;
  private ids: string[] = [];
  private owners: string[] = [];
  private slot = new Map<string, number>();
  private readonly words: number;
  private readonly candidates: number;
  private readonly planes: Float32Array | undefined;
  private codes: Uint32Array;

  /**
   * @param dimension - embedding length
   * @param capacity - initial number of rows
   * @param prefilter - sign-hash prefilter (approximate search); absent: exact scan
   * @default capacity 1024
   */
  constructor(dimension: number, capacity = 1024, prefilter?: FaceHashPrefilter) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError('[@smart-citizen/core] bad dimension');
    this.dimension = dimension;
    this.data = new Float32Array(dimension * Math.max(1, capacity));
    const bits = prefilter ? (prefilter.bits ?? 256) : 0;
    if (!Number.isInteger(bits) || bits % 32 !== 0 || bits < 0 || bits > 4096)
      throw new RangeError('[@smart-citizen/core] prefilter bits must be a multiple of 32, at most 4096');
    this.words = bits / 32;
    this.candidates = Math.max(1, prefilter?.candidates ?? 2000);
    this.codes = new Uint32Array(this.words * Math.max(1, capacity));
    if (prefilter) {
      // Gaussian hyperplanes (Box–Muller over the project's RNG): a fixed seed gives fixed codes.
      const rng = createRng(prefilter.seed ?? 1).next;
      this.planes = new Float32Array(bits * dimension);
      for (let i = 0; i < this.planes.length; i++) {
        this.planes[i] = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
      }
    }
  }

  /** The sign code of a unit vector into `out` at `at`. */
  private encode(unit: Float32Array, out: Uint32Array, at: number): void {
    const planes = this.planes as Float32Array;
    const d = this.dimension;
    for (let w = 0; w < this.words; w++) {
      let word = 0;
      for (let b = 0; b < 32; b++) {
        const base = (w * 32 + b) * d;
        let dot = 0;
        for (let i = 0; i < d; i++) dot += (planes[base + i] as number) * (unit[i] as number);
        if (dot > 0) word |= 1 << b;
      }
      out[at + w] = word >>> 0;
    }
  }

  /** Number of embeddings held. */
  get size(): number {
    return this.ids.length;
  }

  /** Add or replace the embedding of a template. Embeddings of another dimension are ignored. */
  add(templateId: string, idNumber: string, embedding: Float32Array): void {
    if (embedding.length !== this.dimension) return;
    const unit = normalizeVector(embedding);
    let row = this.slot.get(templateId);
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dimension > this.data.length) {
        const bigger = new Float32Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
        const codes = new Uint32Array(this.codes.length * 2);
        codes.set(this.codes);
        this.codes = codes;
      }
      this.ids.push(templateId);
      this.owners.push(idNumber);
      this.slot.set(templateId, row);
    } else {
      this.owners[row] = idNumber;
    }
    this.data.set(unit, row * this.dimension);
    if (this.planes) this.encode(unit, this.codes, row * this.words);
  }

  /** Remove a template's embedding (the last row moves into its place). */
  remove(templateId: string): void {
    const row = this.slot.get(templateId);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last] as string;
      this.data.copyWithin(row * this.dimension, last * this.dimension, (last + 1) * this.dimension);
      this.codes.copyWithin(row * this.words, last * this.words, (last + 1) * this.words);
      this.ids[row] = lastId;
      this.owners[row] = this.owners[last] as string;
      this.slot.set(lastId, row);
    }
    this.ids.pop();
    this.owners.pop();
    this.slot.delete(templateId);
  }

  /** Remove every embedding of a citizen. */
  removeOwner(idNumber: string): void {
    for (let i = this.ids.length - 1; i >= 0; i--) if (this.owners[i] === idNumber) this.remove(this.ids[i] as string);
  }

  /** Drop everything. */
  clear(): void {
    this.ids = [];
    this.owners = [];
    this.slot.clear();
  }

  /**
   * The `k` most similar embeddings (cosine), best first.
   * @param query - probe embedding (any length; a different dimension gives no hits)
   */
  search(query: Float32Array, options: FaceSearchOptions = {}): FaceSearchHit[] {
    const k = options.k ?? 5;
    const min = options.minSimilarity ?? -1;
    if (query.length !== this.dimension || k <= 0) return [];
    const q = normalizeVector(query);
    const d = this.dimension;
    const data = this.data;
    const n = this.ids.length;
    const rows = this.planes && n > 2 * this.candidates ? this.nearestCodes(q) : undefined;
    // Keep the best k in a small sorted array: k is tiny next to the number of rows.
    const bestScore: number[] = [];
    const bestRow: number[] = [];
    for (let j = 0, m = rows ? rows.length : n; j < m; j++) {
      const r = rows ? (rows[j] as number) : j;
      let dot = 0;
      const base = r * d;
      for (let i = 0; i < d; i++) dot += (data[base + i] as number) * (q[i] as number);
      if (dot < min) continue;
      if (bestScore.length === k && dot <= (bestScore[k - 1] as number)) continue;
      let pos = bestScore.length;
      while (pos > 0 && (bestScore[pos - 1] as number) < dot) pos--;
      bestScore.splice(pos, 0, dot);
      bestRow.splice(pos, 0, r);
      if (bestScore.length > k) {
        bestScore.pop();
        bestRow.pop();
      }
    }
    return bestRow.map((r, i) => ({
      idNumber: this.owners[r] as string,
      templateId: this.ids[r] as string,
      similarity: Math.max(-1, Math.min(1, bestScore[i] as number)),
    }));
  }

  /** Rows whose codes are nearest the probe's: the `candidates` smallest Hamming distances (ties at the cut included). */
  private nearestCodes(q: Float32Array): Int32Array {
    const W = this.words;
    const qc = new Uint32Array(W);
    this.encode(q, qc, 0);
    const n = this.ids.length;
    const dist = new Uint16Array(n);
    const histogram = new Uint32Array(W * 32 + 1);
    const codes = this.codes;
    for (let r = 0; r < n; r++) {
      let h = 0;
      const base = r * W;
      for (let w = 0; w < W; w++) h += popcount(((codes[base + w] as number) ^ (qc[w] as number)) >>> 0);
      dist[r] = h;
      histogram[h] = (histogram[h] as number) + 1;
    }
    let cut = 0;
    for (let total = 0; cut < histogram.length; cut++) {
      total += histogram[cut] as number;
      if (total >= this.candidates) break;
    }
    let count = 0;
    for (let h = 0; h <= cut && h < histogram.length; h++) count += histogram[h] as number;
    const rows = new Int32Array(count);
    for (let r = 0, j = 0; r < n; r++) if ((dist[r] as number) <= cut) rows[j++] = r;
    return rows;
  }
}
