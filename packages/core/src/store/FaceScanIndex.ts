import { createRng } from '../ports/random.js';
import { HammingKernel } from './hammingKernel.js';
import type { FaceSearchHit, FaceSearchOptions } from './IdentityStore.js';
import { type Centroids, nearestCentroids, popcount, sphericalKmeans } from './sphericalKmeans.js';
import { normalizeVector } from './validateRecord.js';

/** Options of {@link FaceScanIndex}'s sign-hash prefilter. */
export interface FaceHashPrefilter {
  /**
   * Bits of the sign code per embedding (random hyperplanes, a multiple of 32): the Hamming
   * distance of two codes estimates the angle between the embeddings.
   * @default 256 below `widenAt` embeddings, 512 from there on
   */
  bits?: number;
  /**
   * Embeddings re-ranked exactly per search: those with the smallest Hamming distance to the probe.
   * @default 2000 with 256-bit codes, 1000 with 512-bit codes
   */
  candidates?: number;
  /**
   * Without `bits` (and without `cells`): the size from which the index uses 512-bit codes. The
   * first search after the index reaches it adds the second 256 bits to every code (the first 256
   * hyperplanes stay: the codes are those of a 512-bit index with the same seed), and re-ranks
   * 1,000 candidates unless `candidates` was given. Measured at 1,000,000 synthetic faces
   * (`pnpm bench dedupe`): 256 bits with 300–3,000 candidates found the exact top-1 of 44–47 of 48
   * real photos, 512 bits with 1,000 all 48 (13 ms p50 CPU against 8–11 ms); at 100,000 256 bits
   * suffice. The widening costs one pass over the embeddings (≈ 256 × dimension multiply-adds each).
   * @default 500000
   */
  widenAt?: number;
  /** Seed of the hyperplanes (and of the partition's sample). @default 1 */
  seed?: number;
  /**
   * Coarse partition (inverted file): the embeddings are split into this many cells by spherical
   * k-means, and a search scans only the codes of the `probe` cells whose centroids are nearest
   * the probe — the cost of a search then grows with N / cells × probe instead of N. Built at the
   * first search once there are 16 embeddings per cell (or by {@link FaceScanIndex.prepare}),
   * rebuilt when the index has grown fourfold since. Absent or 0: every code is scanned.
   * Measured (`pnpm bench dedupe`, 300,000 synthetic faces, genuine cosine ≈ 0.72): 8/16/32 of 512
   * cells find the mate 35/55/67% of the time where the full code scan finds it every time — the
   * partition pays only when probes sit much closer to their mates than real face captures do.
   * @default 0
   */
  cells?: number;
  /**
   * Cells scanned per search (with `cells`).
   * @default 16
   */
  probe?: number;
  /**
   * Threads of {@link FaceScanIndex.searchMany}'s code scan: 2 splits each batch with a second
   * thread (a Node worker over shared WebAssembly memory, started at the first batch, stopped by
   * {@link FaceScanIndex.close}); elsewhere, or with 1, the calling thread does it all.
   * @default 1
   */
  threads?: number;
}

/** A probe of {@link FaceScanIndex.searchMany}. */
export interface FaceScanProbe {
  embedding: Float32Array;
  /**
   * The probe is this indexed template (e.g. from a scan of the store): the index's own unit vector
   * and sign code of it are used, nothing is normalised or encoded again. Ignored when not indexed.
   */
  templateId?: string;
}

/**
 * Dot product of `q` with the row of `data` at `base`, four running sums (independent additions
 * the CPU can overlap: about three times the speed of one sum over 512 dimensions).
 */
function dotAt(data: Float32Array, base: number, q: Float32Array, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += (data[base + i] as number) * (q[i] as number);
    s1 += (data[base + i + 1] as number) * (q[i + 1] as number);
    s2 += (data[base + i + 2] as number) * (q[i + 2] as number);
    s3 += (data[base + i + 3] as number) * (q[i + 3] as number);
  }
  for (; i < d; i++) s0 += (data[base + i] as number) * (q[i] as number);
  return s0 + s1 + (s2 + s3);
}

/** `bits` Gaussian hyperplanes of `dimension` (Box–Muller over the project's RNG): a fixed seed gives fixed codes, and fewer bits are a prefix of more. */
function hyperplanes(seed: number, bits: number, dimension: number): Float32Array {
  const rng = createRng(seed).next;
  const planes = new Float32Array(bits * dimension);
  for (let i = 0; i < planes.length; i++) {
    planes[i] = Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-12))) * Math.cos(2 * Math.PI * rng());
  }
  return planes;
}

/** Embeddings per cell needed before the partition is built. */
const MIN_PER_CELL = 16;
/** Rows per cell the k-means is trained on (a seeded sample). */
const TRAIN_PER_CELL = 64;
const TRAIN_ITERATIONS = 6;

/** Codes and row numbers of one cell, contiguous so a search reads them in order. */
interface Cell {
  rows: Int32Array;
  codes: Uint32Array;
  count: number;
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
  private words: number;
  private candidates: number;
  private planes: Float32Array | undefined;
  /** Size from which 256-bit codes widen to 512 (0: never — `bits` was given, or a partition). */
  private readonly widenAt: number;
  private candidatesGiven: boolean;
  private readonly threads: number;
  private codes: Uint32Array;
  private readonly seed: number;
  private readonly cellCount: number;
  private probe: number;
  private centroids: Centroids | undefined;
  private cellOf: Int32Array;
  private cells: Cell[] = [];
  /** Size when the partition was built (0: not built). */
  private trainedAt = 0;
  /** A replacement or removal moved rows: the cells are rebuilt from `cellOf` before the next search. */
  private cellsStale = false;
  /** The full code scan in WebAssembly (absent: no WebAssembly, or codes not a multiple of 64 bits). */
  private kernel: HammingKernel | undefined;

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
    this.candidatesGiven = prefilter?.candidates !== undefined;
    this.threads = prefilter?.threads ?? 1;
    this.codes = new Uint32Array(this.words * Math.max(1, capacity));
    this.seed = prefilter?.seed ?? 1;
    this.cellCount = prefilter?.cells ?? 0;
    this.probe = prefilter?.probe ?? 16;
    if (!Number.isInteger(this.cellCount) || this.cellCount < 0 || this.cellCount > 65_536)
      throw new RangeError('[@smart-citizen/core] prefilter cells must be an integer 0…65536');
    if (!Number.isInteger(this.probe) || this.probe < 1)
      throw new RangeError('[@smart-citizen/core] prefilter probe must be ≥ 1');
    const widenAt = prefilter?.widenAt ?? 500_000;
    if (!Number.isInteger(widenAt) || widenAt < 1)
      throw new RangeError('[@smart-citizen/core] prefilter widenAt must be a positive integer');
    this.widenAt = prefilter && prefilter.bits === undefined && this.cellCount === 0 ? widenAt : 0;
    this.cellOf = new Int32Array(this.cellCount > 0 ? Math.max(1, capacity) : 0);
    if (prefilter) {
      this.kernel = HammingKernel.create(this.words, this.threads);
      this.planes = hyperplanes(this.seed, bits, dimension);
    }
  }

  /**
   * 256-bit codes become 512-bit ones once the index holds `widenAt` embeddings (see
   * {@link FaceHashPrefilter.widenAt}): the old words are kept, the new ones computed.
   */
  private widen(): void {
    const n = this.ids.length;
    if (this.widenAt === 0 || this.words !== 8 || n < this.widenAt) return;
    const d = this.dimension;
    const old = this.codes;
    const W = 16;
    this.planes = hyperplanes(this.seed, W * 32, d);
    const codes = new Uint32Array(W * Math.max(1, old.length / 8));
    const extra = new Uint32Array(W);
    for (let r = 0; r < n; r++) {
      codes.set(old.subarray(r * 8, r * 8 + 8), r * W);
      const unit = this.data.subarray(r * d, (r + 1) * d);
      for (let w = 8; w < W; w++) {
        let word = 0;
        for (let b = 0; b < 32; b++) if (dotAt(this.planes, (w * 32 + b) * d, unit, d) > 0) word |= 1 << b;
        extra[w] = word >>> 0;
      }
      codes.set(extra.subarray(8), r * W + 8);
    }
    this.codes = codes;
    this.words = W;
    void this.kernel?.close();
    this.kernel = HammingKernel.create(W, this.threads);
    if (!this.candidatesGiven) this.candidates = 1000;
  }

  /** The sign code of a unit vector into `out` at `at`. */
  private encode(unit: Float32Array, out: Uint32Array, at: number): void {
    const planes = this.planes as Float32Array;
    const d = this.dimension;
    for (let w = 0; w < this.words; w++) {
      let word = 0;
      for (let b = 0; b < 32; b++) if (dotAt(planes, (w * 32 + b) * d, unit, d) > 0) word |= 1 << b;
      out[at + w] = word >>> 0;
    }
  }

  /**
   * Change the effort of later searches (re-ranked candidates, probed cells) without rebuilding.
   * @param effort - new `candidates` and/or `probe` (positive integers)
   */
  tune(effort: { candidates?: number; probe?: number }): void {
    for (const v of [effort.candidates, effort.probe])
      if (v !== undefined && (!Number.isInteger(v) || v < 1))
        throw new RangeError('[@smart-citizen/core] effort must be ≥ 1');
    if (effort.candidates !== undefined) {
      this.candidates = effort.candidates;
      this.candidatesGiven = true;
    }
    if (effort.probe !== undefined) this.probe = effort.probe;
  }

  /** Stop the scan thread of {@link searchMany}, if it started one. Idempotent; the index stays usable. */
  async close(): Promise<void> {
    await this.kernel?.close();
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
    let fresh = true;
    if (row === undefined) {
      row = this.ids.length;
      if ((row + 1) * this.dimension > this.data.length) {
        const bigger = new Float32Array(this.data.length * 2);
        bigger.set(this.data);
        this.data = bigger;
        const codes = new Uint32Array(this.codes.length * 2);
        codes.set(this.codes);
        this.codes = codes;
        if (this.cellOf.length > 0) {
          const cellOf = new Int32Array(this.cellOf.length * 2);
          cellOf.set(this.cellOf);
          this.cellOf = cellOf;
        }
      }
      this.ids.push(templateId);
      this.owners.push(idNumber);
      this.slot.set(templateId, row);
    } else {
      this.owners[row] = idNumber;
      fresh = false;
      this.kernel?.invalidateFrom(row);
    }
    this.data.set(unit, row * this.dimension);
    if (this.planes) this.encode(unit, this.codes, row * this.words);
    if (!this.centroids) return;
    if (fresh) this.appendToCell(row);
    else {
      this.cellOf[row] = this.cellOfRow(row);
      this.cellsStale = true;
    }
  }

  /** The cell of a row: its nearest centroid. */
  private cellOfRow(row: number): number {
    const set = this.centroids as Centroids;
    return nearestCentroids(set, this.data, row * this.dimension, this.codes, row * this.words, 1)[0] as number;
  }

  /** File a new row (its code already written) under its nearest centroid. */
  private appendToCell(row: number): void {
    const c = this.cellOfRow(row);
    this.cellOf[row] = c;
    if (this.cellsStale) return;
    const cell = this.cells[c] as Cell;
    if (cell.count === cell.rows.length) {
      const rows = new Int32Array(Math.max(16, cell.rows.length * 2));
      rows.set(cell.rows);
      cell.rows = rows;
      const codes = new Uint32Array(rows.length * this.words);
      codes.set(cell.codes);
      cell.codes = codes;
    }
    cell.rows[cell.count] = row;
    cell.codes.set(this.codes.subarray(row * this.words, (row + 1) * this.words), cell.count * this.words);
    cell.count++;
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
      if (this.cellOf.length > 0) this.cellOf[row] = this.cellOf[last] as number;
      this.kernel?.invalidateFrom(row);
      this.ids[row] = lastId;
      this.owners[row] = this.owners[last] as string;
      this.slot.set(lastId, row);
    }
    this.ids.pop();
    this.owners.pop();
    this.slot.delete(templateId);
    if (this.centroids) this.cellsStale = true;
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
    this.kernel?.clear();
    this.centroids = undefined;
    this.cells = [];
    this.trainedAt = 0;
    this.cellsStale = false;
  }

  /**
   * Build (or rebuild) the coarse partition now when it is due — the first search would do it
   * otherwise: trains the centroids once there are 16 embeddings per cell, again when the index
   * has grown fourfold since, and refiles rows moved by removals. No-op without `cells`.
   */
  prepare(): void {
    const n = this.ids.length;
    if (this.cellCount === 0 || !this.planes) return;
    if (n >= this.cellCount * MIN_PER_CELL && (this.trainedAt === 0 || n >= 4 * this.trainedAt)) {
      this.centroids = sphericalKmeans(
        this.data,
        this.codes,
        n,
        this.dimension,
        this.words,
        this.cellCount,
        (unit, out, at) => this.encode(unit, out, at),
        { sample: this.cellCount * TRAIN_PER_CELL, iterations: TRAIN_ITERATIONS, seed: this.seed },
      );
      for (let r = 0; r < n; r++) this.cellOf[r] = this.cellOfRow(r);
      this.trainedAt = n;
      this.cellsStale = true;
    }
    if (this.centroids && this.cellsStale) this.refile();
  }

  /** Rebuild every cell's rows and codes from `cellOf` (counting sort). */
  private refile(): void {
    const n = this.ids.length;
    const W = this.words;
    const counts = new Int32Array(this.cellCount);
    for (let r = 0; r < n; r++) counts[this.cellOf[r] as number] = (counts[this.cellOf[r] as number] as number) + 1;
    this.cells = Array.from(counts, (count) => {
      const size = Math.max(16, Math.ceil(count * 1.25));
      return { rows: new Int32Array(size), codes: new Uint32Array(size * W), count: 0 };
    });
    for (let r = 0; r < n; r++) {
      const cell = this.cells[this.cellOf[r] as number] as Cell;
      cell.rows[cell.count] = r;
      cell.codes.set(this.codes.subarray(r * W, (r + 1) * W), cell.count * W);
      cell.count++;
    }
    this.cellsStale = false;
  }

  /**
   * The `k` most similar embeddings (cosine), best first.
   * @param query - probe embedding (any length; a different dimension gives no hits)
   */
  search(query: Float32Array, options: FaceSearchOptions = {}): FaceSearchHit[] {
    const k = options.k ?? 5;
    const min = options.minSimilarity ?? -1;
    if (query.length !== this.dimension || k <= 0) return [];
    this.widen();
    const q = normalizeVector(query);
    const n = this.ids.length;
    let rows: Int32Array | undefined;
    if (this.planes && n > 2 * this.candidates && !options.exact) {
      this.prepare();
      rows = this.nearestCodes(q);
    }
    return this.rank(q, rows, k, min);
  }

  /**
   * {@link search} for many probes: the same hits per probe. Without cells, the sign-code pass is
   * one tiled all-pairs scan ({@link HammingKernel.nearestMany}) instead of a scan per probe, and a
   * probe that is an indexed template (`templateId`) reuses its stored unit vector and code — the
   * dedupe job's case, where every probe is a template of the index.
   * @param probes - embeddings (any length; another dimension gives no hits)
   * @returns hits per probe, in the probes' order
   */
  async searchMany(probes: readonly FaceScanProbe[], options: FaceSearchOptions = {}): Promise<FaceSearchHit[][]> {
    const k = options.k ?? 5;
    const min = options.minSimilarity ?? -1;
    this.widen();
    const n = this.ids.length;
    const batch = !!this.planes && !!this.kernel && !this.centroids && this.cellCount === 0;
    if (!batch || options.exact || n <= 2 * this.candidates || k <= 0)
      return probes.map((p) => this.search(p.embedding, options));
    const d = this.dimension;
    const W = this.words;
    const live = probes.flatMap((p, i) => (p.embedding.length === d ? [i] : []));
    const units: Float32Array[] = [];
    const qcodes = new Uint32Array(live.length * W);
    live.forEach((i, j) => {
      const p = probes[i] as FaceScanProbe;
      const row = p.templateId === undefined ? undefined : this.slot.get(p.templateId);
      if (row !== undefined) {
        units.push(this.data.subarray(row * d, (row + 1) * d));
        qcodes.set(this.codes.subarray(row * W, (row + 1) * W), j * W);
      } else {
        const q = normalizeVector(p.embedding);
        units.push(q);
        this.encode(q, qcodes, j * W);
      }
    });
    const rows = await (this.kernel as HammingKernel).nearestManyParallel(this.codes, n, qcodes, this.candidates);
    const out: FaceSearchHit[][] = probes.map(() => []);
    live.forEach((i, j) => {
      out[i] = this.rank(units[j] as Float32Array, rows[j] as Int32Array, k, min);
    });
    return out;
  }

  /** The best `k` of `rows` (every row when absent) by exact cosine with the unit probe `q`. */
  private rank(q: Float32Array, rows: Int32Array | undefined, k: number, min: number): FaceSearchHit[] {
    const d = this.dimension;
    const data = this.data;
    const n = this.ids.length;
    // Keep the best k in a small sorted array: k is tiny next to the number of rows.
    const bestScore: number[] = [];
    const bestRow: number[] = [];
    for (let j = 0, m = rows ? rows.length : n; j < m; j++) {
      const r = rows ? (rows[j] as number) : j;
      const dot = dotAt(data, r * d, q, d);
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

  /**
   * Rows whose codes are nearest the probe's: the `candidates` smallest Hamming distances (ties at
   * the cut included), among every code or, with a partition, among the codes of the probed cells.
   */
  private nearestCodes(q: Float32Array): Int32Array {
    const W = this.words;
    const qc = new Uint32Array(W);
    this.encode(q, qc, 0);
    if (!this.centroids && this.kernel) return this.kernel.nearest(this.codes, this.ids.length, qc, this.candidates);
    const segments: Cell[] = this.centroids
      ? Array.from(nearestCentroids(this.centroids, q, 0, qc, 0, this.probe), (c) => this.cells[c] as Cell)
      : [{ rows: new Int32Array(0), codes: this.codes, count: this.ids.length }];
    const all = !this.centroids;
    let total = 0;
    for (const s of segments) total += s.count;
    const dist = new Uint16Array(total);
    const histogram = new Uint32Array(W * 32 + 1);
    let j = 0;
    for (const { codes, count } of segments) {
      for (let r = 0; r < count; r++, j++) {
        let h = 0;
        const base = r * W;
        for (let w = 0; w < W; w++) h += popcount(((codes[base + w] as number) ^ (qc[w] as number)) >>> 0);
        dist[j] = h;
        histogram[h] = (histogram[h] as number) + 1;
      }
    }
    let cut = 0;
    for (let seen = 0; cut < histogram.length; cut++) {
      seen += histogram[cut] as number;
      if (seen >= this.candidates) break;
    }
    let count = 0;
    for (let h = 0; h <= cut && h < histogram.length; h++) count += histogram[h] as number;
    const out = new Int32Array(count);
    j = 0;
    let o = 0;
    for (const { rows, count: m } of segments) {
      for (let r = 0; r < m; r++, j++) if ((dist[j] as number) <= cut) out[o++] = all ? r : (rows[r] as number);
    }
    return out;
  }
}
