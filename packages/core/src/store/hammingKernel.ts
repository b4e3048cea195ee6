/**
 * The Hamming pass of {@link FaceScanIndex}'s sign-code scan as a small WebAssembly kernel
 * (scalar `i64.popcnt`: one instruction per 64 bits, where JavaScript needs about twelve per 32),
 * assembled here from its instructions — no binary blob, no build step. Where WebAssembly is not
 * available the index keeps its JavaScript loop; both give the same distances.
 *
 * Memory (one `WebAssembly.Memory`, grown as the index grows): the codes of every row, then the
 * probe's code, the distances (u16 per row), the histogram (u32 per distance) and the output rows —
 * or, for a batch of probes ({@link HammingKernel.nearestMany}), their codes, cuts, counts and
 * candidate buffers.
 */

import { MODULE_HEADER, name, section, sleb, uleb, vec } from '../wasm/assembler.js';

// Opcodes used below.
const I32 = 0x7f;
const I64 = 0x7e;
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const IF = [0x04, 0x40];
const END = 0x0b;
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (v: number) => [0x41, v]; // small non-negative constants only (< 64)
/** `i32.const v` (signed LEB128). */
const i32Const = (v: number) => [0x41, ...sleb(v)];
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_LE_S = 0x4c;
const I32_SHL = 0x74;
const I32_GE_U = 0x4f;
const I32_LE_U = 0x4d;
const I64_ADD = 0x7c;
const I64_XOR = 0x85;
const I64_POPCNT = 0x7b;
const I32_WRAP_I64 = 0xa7;
const i64Load = (offset: number) => [0x29, 3, ...uleb(offset)];
const i32Load = [0x28, 2, 0];
const i32Store = [0x36, 2, 0];
const i32Store16 = [0x3b, 1, 0];
const i32Load16U = [0x2f, 1, 0];

/**
 * `scan(codes, rows, query, dist, hist)` for codes of `words64` 64-bit words, unrolled: for each
 * row, the Hamming distance of its code to the query's into `dist[row]` (u16), and
 * `hist[distance] += 1`. Locals: 5 row, 6 scratch, 7 distance (i64), 8 row pointer, 9… the query's
 * words (i64), loaded once.
 */
function scanBody(words64: number): number[] {
  const body: number[] = [
    ...vec([
      [2, I32],
      [1, I64],
      [1, I32],
      [words64, I64],
    ]),
  ];
  for (let w = 0; w < words64; w++) body.push(...get(2), ...i64Load(8 * w), ...set(9 + w));
  body.push(...get(0), ...set(8), ...BLOCK, ...LOOP, ...get(5), ...get(1), I32_GE_U, ...brIf(1));
  // distance = Σ popcnt(code[w] ^ query[w])
  for (let w = 0; w < words64; w++) {
    body.push(...get(8), ...i64Load(8 * w), ...get(9 + w), I64_XOR, I64_POPCNT);
    if (w > 0) body.push(I64_ADD);
  }
  body.push(
    ...set(7),
    // dist[row] = distance
    ...get(3),
    ...get(5),
    ...i32c(1),
    I32_SHL,
    I32_ADD,
    ...get(7),
    I32_WRAP_I64,
    ...i32Store16,
    // hist[distance] += 1
    ...get(4),
    ...get(7),
    I32_WRAP_I64,
    ...i32c(2),
    I32_SHL,
    I32_ADD,
    ...set(6),
    ...get(6),
    ...get(6),
    ...i32Load,
    ...i32c(1),
    I32_ADD,
    ...i32Store,
    ...get(8),
    ...i32Const(8 * words64),
    I32_ADD,
    ...set(8),
    ...get(5),
    ...i32c(1),
    I32_ADD,
    ...set(5),
    ...br(0),
    END,
    END,
    END,
  );
  return body;
}

/**
 * `collect(dist, rows, cut, out) → count`: the rows whose distance is at most `cut`, in order,
 * into `out` (i32 each). Locals: 4 row, 5 count.
 */
const collectBody = [
  ...vec([[2, I32]]),
  ...BLOCK,
  ...LOOP,
  ...get(4),
  ...get(1),
  I32_GE_U,
  ...brIf(1),
  ...get(0),
  ...get(4),
  ...i32c(1),
  I32_SHL,
  I32_ADD,
  ...i32Load16U,
  ...get(2),
  I32_LE_U,
  ...IF,
  ...get(3),
  ...get(5),
  ...i32c(2),
  I32_SHL,
  I32_ADD,
  ...get(4),
  ...i32Store,
  ...get(5),
  ...i32c(1),
  I32_ADD,
  ...set(5),
  END,
  ...get(4),
  ...i32c(1),
  I32_ADD,
  ...set(4),
  ...br(0),
  END,
  END,
  ...get(5),
  END,
];

/**
 * `block(codes, from, count, probes, cuts, counts, rows, dists, cap)`: `probesPerBlock` probes
 * against `count` consecutive codes (a tile, read once from memory and compared with every probe of
 * the block while its words sit in locals). For probe p, each row whose distance is at most
 * `cuts[p]` (signed: -1 records nothing) is appended to its buffers — row number (`from` + i) at
 * `rows + 4·(p·cap + counts[p])`, distance (u16) at `dists + 2·(p·cap + counts[p])` — and
 * `counts[p]` grows; the caller keeps `counts[p] + count ≤ cap`. Locals: 9 i, 10 code pointer,
 * 11 distance, then per probe its cut, count, row base and distance base (i32), then the code's
 * words and every probe's words (i64).
 */
function blockBody(words64: number, P: number): number[] {
  const cut = (p: number) => 12 + p;
  const cnt = (p: number) => 12 + P + p;
  const rowBase = (p: number) => 12 + 2 * P + p;
  const distBase = (p: number) => 12 + 3 * P + p;
  const codeWord = (w: number) => 12 + 4 * P + w;
  const probeWord = (p: number, w: number) => 12 + 4 * P + words64 + p * words64 + w;
  const body: number[] = [
    ...vec([
      [3 + 4 * P, I32],
      [words64 + P * words64, I64],
    ]),
  ];
  for (let p = 0; p < P; p++) {
    body.push(...get(4), ...i32Const(4 * p), I32_ADD, ...i32Load, ...set(cut(p)));
    body.push(...get(5), ...i32Const(4 * p), I32_ADD, ...i32Load, ...set(cnt(p)));
    body.push(...get(6), ...get(8), ...i32Const(4 * p), I32_MUL, I32_ADD, ...set(rowBase(p)));
    body.push(...get(7), ...get(8), ...i32Const(2 * p), I32_MUL, I32_ADD, ...set(distBase(p)));
    for (let w = 0; w < words64; w++) body.push(...get(3), ...i64Load(8 * (p * words64 + w)), ...set(probeWord(p, w)));
  }
  body.push(...get(0), ...set(10), ...BLOCK, ...LOOP, ...get(9), ...get(2), I32_GE_U, ...brIf(1));
  for (let w = 0; w < words64; w++) body.push(...get(10), ...i64Load(8 * w), ...set(codeWord(w)));
  for (let p = 0; p < P; p++) {
    for (let w = 0; w < words64; w++) {
      body.push(...get(codeWord(w)), ...get(probeWord(p, w)), I64_XOR, I64_POPCNT);
      if (w > 0) body.push(I64_ADD);
    }
    body.push(I32_WRAP_I64, ...set(11), ...get(11), ...get(cut(p)), I32_LE_S, ...IF);
    // rows[p][count] = from + i; dists[p][count] = d; count++
    body.push(
      ...get(rowBase(p)),
      ...get(cnt(p)),
      ...i32c(2),
      I32_SHL,
      I32_ADD,
      ...get(1),
      ...get(9),
      I32_ADD,
      ...i32Store,
    );
    body.push(...get(distBase(p)), ...get(cnt(p)), ...i32c(1), I32_SHL, I32_ADD, ...get(11), ...i32Store16);
    body.push(...get(cnt(p)), ...i32c(1), I32_ADD, ...set(cnt(p)), END);
  }
  body.push(
    ...get(10),
    ...i32Const(8 * words64),
    I32_ADD,
    ...set(10),
    ...get(9),
    ...i32c(1),
    I32_ADD,
    ...set(9),
    ...br(0),
    END,
    END,
  );
  for (let p = 0; p < P; p++) body.push(...get(5), ...i32Const(4 * p), I32_ADD, ...get(cnt(p)), ...i32Store);
  body.push(END);
  return body;
}

/** Probes compared per pass over a tile of codes (their words stay in locals). */
const PROBES_PER_BLOCK = 8;

/** Pages of a shared memory's maximum (a shared `WebAssembly.Memory` must declare one): 4 GiB. */
const SHARED_MAX_PAGES = 65_536;

function moduleBytes(words64: number, shared: boolean): Uint8Array<ArrayBuffer> {
  const scanType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0];
  const scan = scanBody(words64);
  const collectType = [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const blockType = [0x60, ...vec(Array.from({ length: 9 }, () => [I32])), 0];
  const block = blockBody(words64, PROBES_PER_BLOCK);
  return new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, vec([scanType, collectType, blockType])),
    // Imported memory: min 1 page; shared (flag 3) with its maximum, for the scan thread.
    ...section(
      2,
      vec([
        [...name('env'), ...name('mem'), 0x02, ...(shared ? [0x03, 0x01, ...uleb(SHARED_MAX_PAGES)] : [0x00, 0x01])],
      ]),
    ),
    ...section(3, vec([[0], [1], [2]])),
    ...section(
      7,
      vec([
        [...name('scan'), 0x00, 0],
        [...name('collect'), 0x00, 1],
        [...name('block'), 0x00, 2],
      ]),
    ),
    ...section(
      10,
      vec([
        [...uleb(scan.length), ...scan],
        [...uleb(collectBody.length), ...collectBody],
        [...uleb(block.length), ...block],
      ]),
    ),
  ]);
}

interface KernelExports {
  scan(codes: number, rows: number, query: number, dist: number, hist: number): void;
  collect(dist: number, rows: number, cut: number, out: number): number;
  block(
    codes: number,
    from: number,
    count: number,
    probes: number,
    cuts: number,
    counts: number,
    rows: number,
    dists: number,
    cap: number,
  ): void;
}

const PAGE = 65_536;
const compiled = new Map<string, WebAssembly.Module | null>();

/** The module for codes of `words64` 64-bit words, or null where WebAssembly is missing or refuses it. */
function kernelModule(words64: number, shared: boolean): WebAssembly.Module | null {
  const key = `${words64}${shared ? 's' : ''}`;
  let m = compiled.get(key);
  if (m === undefined) {
    try {
      m = typeof WebAssembly === 'object' ? new WebAssembly.Module(moduleBytes(words64, shared)) : null;
    } catch {
      m = null;
    }
    compiled.set(key, m);
  }
  return m;
}

/** Where a batch of {@link HammingKernel.nearestMany} lives in kernel memory (byte offsets). */
interface BatchLayout {
  rows: number;
  words: number;
  probes: number;
  perBlock: number;
  keep: number;
  slack: number;
  cap: number;
  tile: number;
  probesAt: number;
  cutsAt: number;
  countsAt: number;
  rowsAt: number;
  distsAt: number;
}

/**
 * The tiled scan of probe blocks `[firstBlock, lastBlock)` of a batch against every code (see
 * {@link HammingKernel.nearestMany}); returns the probes whose ties overflowed their buffer. It
 * refers to nothing outside itself: a scan thread runs it from its source text.
 */
function scanTiles(
  block: KernelExports['block'],
  buffer: ArrayBufferLike,
  L: BatchLayout,
  firstBlock: number,
  lastBlock: number,
): number[] {
  const { words: W, perBlock: P, keep, slack, cap, tile } = L;
  const cuts = new Int32Array(buffer, L.cutsAt, L.probes);
  const counts = new Int32Array(buffer, L.countsAt, L.probes);
  const candRows = new Int32Array(buffer, L.rowsAt, L.probes * cap);
  const candDist = new Uint16Array(buffer, L.distsAt, L.probes * cap);
  const histogram = new Uint32Array(W * 32 + 1);
  const overflowed: number[] = [];
  const trim = (q: number) => {
    const m = counts[q] as number;
    const at = q * cap;
    histogram.fill(0);
    for (let j = 0; j < m; j++) {
      const h = candDist[at + j] as number;
      histogram[h] = (histogram[h] as number) + 1;
    }
    let cut = 0;
    for (let seen = 0; cut < histogram.length - 1; cut++) {
      seen += histogram[cut] as number;
      if (seen >= keep) break;
    }
    let o = 0;
    for (let j = 0; j < m; j++) {
      const h = candDist[at + j] as number;
      if (h > cut) continue;
      candRows[at + o] = candRows[at + j] as number;
      candDist[at + o] = h;
      o++;
    }
    counts[q] = o;
    cuts[q] = cut;
  };
  for (let from = 0; from < L.rows; from += tile) {
    const count = Math.min(tile, L.rows - from);
    for (let b = firstBlock; b < lastBlock; b++) {
      const first = b * P;
      block(
        from * W * 4,
        from,
        count,
        L.probesAt + first * W * 4,
        L.cutsAt + first * 4,
        L.countsAt + first * 4,
        L.rowsAt + first * cap * 4,
        L.distsAt + first * cap * 2,
        cap,
      );
      for (let q = first; q < first + P; q++) {
        if ((counts[q] as number) > keep + slack) trim(q);
        if ((counts[q] as number) > keep + slack) {
          // Ties fill the buffer: this probe is answered by a scan of its own.
          overflowed.push(q);
          cuts[q] = -1;
          counts[q] = 0;
        }
      }
    }
  }
  for (let b = firstBlock; b < lastBlock; b++) for (let q = b * P; q < (b + 1) * P; q++) trim(q);
  return overflowed;
}

/** A second thread running {@link scanTiles} over the same (shared) kernel memory. */
interface ScanThread {
  run(layout: BatchLayout, firstBlock: number, lastBlock: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Source of the scan thread: instantiate the kernel over the shared memory, then scan on request. */
const threadSource = () => `
const { parentPort } = require('node:worker_threads');
const __name = (f) => f; // the transpiler's keep-names helper, should it appear in the source below
const scanTiles = ${scanTiles.toString()};
let fn;
let memory;
parentPort.on('message', (m) => {
  if (m.module) {
    memory = m.memory;
    fn = new WebAssembly.Instance(m.module, { env: { mem: memory } }).exports;
    return;
  }
  parentPort.postMessage(scanTiles(fn.block, memory.buffer, m.layout, m.firstBlock, m.lastBlock));
});`;

/** A scan thread over `memory` (Node's worker_threads), or undefined where there are none. */
async function startScanThread(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<ScanThread | undefined> {
  const isNode = typeof globalThis.process === 'object' && !!globalThis.process.versions?.node;
  if (!isNode) return undefined;
  try {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(threadSource(), { eval: true });
    worker.unref();
    worker.postMessage({ module, memory });
    let pending: { resolve: (v: number[]) => void; reject: (e: unknown) => void } | undefined;
    worker.on('message', (v: number[]) => {
      worker.unref();
      pending?.resolve(v);
      pending = undefined;
    });
    worker.on('error', (e) => {
      pending?.reject(e);
      pending = undefined;
    });
    return {
      run: (layout, firstBlock, lastBlock) =>
        new Promise<number[]>((resolve, reject) => {
          pending = { resolve, reject };
          worker.ref();
          worker.postMessage({ layout, firstBlock, lastBlock });
        }),
      close: async () => {
        await worker.terminate();
      },
    };
  } catch {
    return undefined;
  }
}

/**
 * A copy of an index's sign codes in WebAssembly memory and the Hamming pass over them. Rows are
 * copied in as they are synced; `invalidateFrom` marks rows that changed (replaced or moved). With
 * `threads: 2` (Node) the memory is shared and {@link nearestManyParallel} splits a batch with a
 * second thread.
 */
export class HammingKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly module: WebAssembly.Module;
  private readonly fn: KernelExports;
  private readonly words: number;
  private readonly threads: number;
  /** Rows whose codes in wasm memory are current. */
  private synced = 0;
  private thread: Promise<ScanThread | undefined> | undefined;

  private constructor(module: WebAssembly.Module, words: number, shared: boolean) {
    this.words = words;
    this.module = module;
    this.threads = shared ? 2 : 1;
    this.memory = shared
      ? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true })
      : new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(module, { env: { mem: this.memory } });
    this.fn = instance.exports as unknown as KernelExports;
  }

  /**
   * A kernel for codes of `words` 32-bit words, or undefined when WebAssembly is unavailable or
   * the codes are not a whole number of 64-bit words.
   * @param threads - 2: shared memory and a second scan thread for batches (where the platform has
   *   both, else 1)
   * @default threads 1
   */
  static create(words: number, threads = 1): HammingKernel | undefined {
    if (!(words > 0 && words % 2 === 0)) return undefined;
    const shared = threads > 1 && typeof SharedArrayBuffer === 'function' ? kernelModule(words / 2, true) : null;
    if (shared) {
      try {
        return new HammingKernel(shared, words, true);
      } catch {
        // no shared memory here: one thread
      }
    }
    const m = kernelModule(words / 2, false);
    return m ? new HammingKernel(m, words, false) : undefined;
  }

  /** Rows from `row` on changed: copy them again before the next pass. */
  invalidateFrom(row: number): void {
    if (row < this.synced) this.synced = row;
  }

  /** Forget every row. */
  clear(): void {
    this.synced = 0;
  }

  /** Stop the scan thread, if one was started. Idempotent. */
  async close(): Promise<void> {
    const t = this.thread;
    this.thread = undefined;
    await (await t)?.close();
  }

  /**
   * Hamming distances of the first `rows` codes to `query`; the rows at the `keep` smallest
   * distances (ties at the cut included), in row order.
   * @param codes - the index's codes (`words` per row), of which the first `rows` are live
   */
  nearest(codes: Uint32Array, rows: number, query: Uint32Array, keep: number): Int32Array {
    const W = this.words;
    const queryAt = rows * W * 4;
    const distAt = queryAt + W * 4;
    const histAt = distAt + ((rows * 2 + 7) & ~7);
    const histLen = W * 32 + 1;
    const outAt = histAt + histLen * 4;
    this.sync(codes, rows, outAt + rows * 4);
    const u32 = new Uint32Array(this.memory.buffer);
    u32.set(query.subarray(0, W), queryAt >>> 2);
    const hist = new Uint32Array(this.memory.buffer, histAt, histLen);
    hist.fill(0);
    this.fn.scan(0, rows, queryAt, distAt, histAt);
    let cut = 0;
    for (let seen = 0; cut < histLen; cut++) {
      seen += hist[cut] as number;
      if (seen >= keep) break;
    }
    const count = this.fn.collect(distAt, rows, Math.min(cut, histLen - 1), outAt);
    return new Int32Array(this.memory.buffer, outAt, count).slice();
  }

  /** Copy rows not yet in wasm memory and make room for `need` bytes (codes first: growing never moves them). */
  private sync(codes: Uint32Array, rows: number, need: number): void {
    const W = this.words;
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need * 1.25 - this.memory.buffer.byteLength) / PAGE));
    }
    if (this.synced < rows) {
      new Uint32Array(this.memory.buffer).set(codes.subarray(this.synced * W, rows * W), this.synced * W);
      this.synced = rows;
    }
  }

  /** Lay a batch out past the codes and write its probes, open cuts and empty counts. */
  private layout(codes: Uint32Array, rows: number, queries: Uint32Array, keep: number): BatchLayout {
    const W = this.words;
    const Q = Math.floor(queries.length / W);
    const P = PROBES_PER_BLOCK;
    const slots = Math.ceil(Q / P) * P;
    // A probe holds at most keep + slack rows between tiles (slack: room for ties at its cut).
    const slack = Math.max(keep, 256);
    const cap = keep + slack + TILE;
    const probesAt = rows * W * 4;
    const cutsAt = probesAt + slots * W * 4;
    const countsAt = cutsAt + slots * 4;
    const rowsAt = countsAt + slots * 4;
    const distsAt = rowsAt + slots * cap * 4;
    this.sync(codes, rows, distsAt + slots * cap * 2);
    const buffer = this.memory.buffer;
    const u32 = new Uint32Array(buffer);
    u32.fill(0, probesAt >>> 2, (probesAt >>> 2) + slots * W);
    u32.set(queries.subarray(0, Q * W), probesAt >>> 2);
    const cuts = new Int32Array(buffer, cutsAt, slots);
    cuts.fill(0x7fffffff);
    cuts.fill(-1, Q); // padding probes record nothing
    new Int32Array(buffer, countsAt, slots).fill(0);
    return {
      rows,
      words: W,
      probes: slots,
      perBlock: P,
      keep,
      slack,
      cap,
      tile: TILE,
      probesAt,
      cutsAt,
      countsAt,
      rowsAt,
      distsAt,
    };
  }

  /** Each probe's rows out of the batch (sorted), the overflowed ones by a scan of their own. */
  private answers(
    L: BatchLayout,
    Q: number,
    overflowed: number[],
    codes: Uint32Array,
    queries: Uint32Array,
  ): Int32Array[] {
    const buffer = this.memory.buffer;
    const counts = new Int32Array(buffer, L.countsAt, L.probes);
    const candRows = new Int32Array(buffer, L.rowsAt, L.probes * L.cap);
    const out: Int32Array[] = [];
    for (let q = 0; q < Q; q++) out.push(candRows.slice(q * L.cap, q * L.cap + (counts[q] as number)).sort());
    const W = this.words;
    for (const q of overflowed) out[q] = this.nearest(codes, L.rows, queries.subarray(q * W, (q + 1) * W), L.keep);
    return out;
  }

  /**
   * {@link nearest} for many probes at once, with the same answer per probe (the rows at the `keep`
   * smallest distances, ties at the cut included, in row order), computed tile by tile: a tile of
   * {@link TILE} codes (256 kB at 256 bits, so it stays in the core's cache) is compared with every
   * probe of the batch, {@link PROBES_PER_BLOCK} probes per pass, before the next tile is read — an
   * all-pairs scan reads the codes once per batch instead of once per probe. Each probe keeps the
   * rows at or under its cut; the cut starts open and, whenever a probe holds more than `keep` +
   * max(`keep`, 256) rows, drops to its `keep`-th smallest distance so far (never below the final
   * one, so nothing of the answer is lost). A probe whose ties overflow that is answered by
   * {@link nearest}.
   * @param queries - the probes' codes, `words` per probe
   */
  nearestMany(codes: Uint32Array, rows: number, queries: Uint32Array, keep: number): Int32Array[] {
    const Q = Math.floor(queries.length / this.words);
    const L = this.layout(codes, rows, queries, keep);
    const overflowed = scanTiles(this.fn.block, this.memory.buffer, L, 0, L.probes / L.perBlock);
    return this.answers(L, Q, overflowed, codes, queries);
  }

  /**
   * {@link nearestMany} with the probe blocks split between this thread and a second one (a Node
   * worker over the same shared memory, started at the first call and kept, unreferenced, between
   * calls); the same answer. One thread where the kernel has no shared memory or no workers.
   */
  async nearestManyParallel(
    codes: Uint32Array,
    rows: number,
    queries: Uint32Array,
    keep: number,
  ): Promise<Int32Array[]> {
    const Q = Math.floor(queries.length / this.words);
    const blocks = Math.ceil(Q / PROBES_PER_BLOCK);
    if (this.threads < 2 || blocks < 2) return this.nearestMany(codes, rows, queries, keep);
    this.thread ??= startScanThread(this.module, this.memory);
    const thread = await this.thread;
    if (!thread) return this.nearestMany(codes, rows, queries, keep);
    const L = this.layout(codes, rows, queries, keep);
    const half = Math.floor(blocks / 2);
    const theirs = thread.run(L, half, blocks);
    const mine = scanTiles(this.fn.block, this.memory.buffer, L, 0, half);
    const overflowed = [...mine, ...(await theirs)];
    return this.answers(L, Q, overflowed, codes, queries);
  }
}

/** Codes per tile of {@link HammingKernel.nearestMany}. */
const TILE = 8192;
