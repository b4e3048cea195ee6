import type { FaceSearchHit, FaceSearchOptions } from './IdentityStore.js';
import { normalizeVector } from './validateRecord.js';

/**
 * Exact 1:N face search by a linear scan over unit-length embeddings kept in one contiguous
 * `Float32Array`. The default for the in-memory and SQLite stores and for PostgreSQL without
 * pgvector. Holds decrypted embeddings in process memory only.
 */
export class FaceScanIndex {
  readonly dimension: number;
  private data: Float32Array;
  private ids: string[] = [];
  private owners: string[] = [];
  private slot = new Map<string, number>();

  /**
   * @param dimension - embedding length
   * @param capacity - initial number of rows
   * @default capacity 1024
   */
  constructor(dimension: number, capacity = 1024) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError('[@smart-citizen/core] bad dimension');
    this.dimension = dimension;
    this.data = new Float32Array(dimension * Math.max(1, capacity));
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
      }
      this.ids.push(templateId);
      this.owners.push(idNumber);
      this.slot.set(templateId, row);
    } else {
      this.owners[row] = idNumber;
    }
    this.data.set(unit, row * this.dimension);
  }

  /** Remove a template's embedding (the last row moves into its place). */
  remove(templateId: string): void {
    const row = this.slot.get(templateId);
    if (row === undefined) return;
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last] as string;
      this.data.copyWithin(row * this.dimension, last * this.dimension, (last + 1) * this.dimension);
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
    // Keep the best k in a small sorted array: k is tiny next to the number of rows.
    const bestScore: number[] = [];
    const bestRow: number[] = [];
    for (let r = 0, n = this.ids.length; r < n; r++) {
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
}
